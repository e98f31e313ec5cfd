import XCTest

final class OSSProtocolTestsPlaceholder: XCTestCase {
    func testPlaceholderBuilds() { XCTAssertTrue(true) }
}
