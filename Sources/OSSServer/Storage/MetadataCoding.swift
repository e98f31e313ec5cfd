import Foundation

/// JSON form of the string dictionaries stored in the index (headers, user metadata).
enum MetadataCoding {
    static func encode(_ dictionary: [String: String]) -> String {
        if dictionary.isEmpty { return "{}" }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        guard let data = try? encoder.encode(dictionary) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    static func decode(_ text: String?) -> [String: String] {
        guard let text, text != "{}" else { return [:] }
        return (try? JSONDecoder().decode([String: String].self, from: Data(text.utf8))) ?? [:]
    }
}
