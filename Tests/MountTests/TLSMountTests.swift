import Foundation
import TestSupport
import XCTest

/// The mount over HTTPS: a private CA and a certificate for `localhost` made with `openssl` at test
/// time, and `socat` terminating TLS in front of the server on loopback (a separate process keeps
/// the server plain HTTP and its build free of a TLS library). `cafile=` trusts the private CA; a
/// certificate nobody vouches for, or one for another name, is a one-line mount error.
final class TLSMountTests: MountTestCase {
    private var terminator: HelperProcess?

    override func tearDownWithError() throws {
        // Unmount (in super) while the endpoint still answers, then stop the terminator.
        defer { terminator?.stop(); terminator = nil }
        try super.tearDownWithError()
    }

    /// Makes `ca.pem` and a certificate for `name` signed by it; returns the HTTPS URL of a
    /// terminator presenting that certificate.
    private func startTLS(certificateName name: String) throws -> URL {
        try local("openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj '/CN=ossfuse test CA' 2>/dev/null")
        try local("openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj '/CN=\(name)' 2>/dev/null")
        try local("printf 'subjectAltName=DNS:\(name)\\nbasicConstraints=CA:FALSE\\n' > ext.cnf")
        try local("openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2"
                  + " -extfile ext.cnf 2>/dev/null")
        let port = try TestServer.unusedPort()
        terminator = try HelperProcess("/usr/bin/socat", [
            "OPENSSL-LISTEN:\(port),bind=127.0.0.1,reuseaddr,fork,cert=\(scratch!)/server.pem,key=\(scratch!)/server.key,verify=0",
            "TCP:127.0.0.1:\(server.process.port)",
        ]) { _ in HelperProcess.isListening(port: port) }
        return URL(string: "https://localhost:\(port)")!
    }

    func testAMountOverTLSWithAPrivateCAWorks() throws {
        let url = try startTLS(certificateName: "localhost")
        let m = try mount(options: ["cafile=\(scratch!)/ca.pem"], endpoint: url)
        try sh(m, "head -c 3M /dev/urandom > big && printf small > s && ln -s s l")
        XCTAssertEqual(try sh(m, "cat l"), "small")
        XCTAssertEqual(try sh(m, "sha256sum < big"), try sh(m, "cat big | sha256sum"))
        XCTAssertEqual(try keys(), ["big", "s", "l"])
    }

    func testAnUntrustedCertificateIsRefused() throws {
        let url = try startTLS(certificateName: "localhost")
        XCTAssertThrowsError(try mount(endpoint: url)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("certificate is not trusted") && text.contains("cafile"), text)
        }
    }

    func testACertificateForAnotherHostIsRefused() throws {
        let url = try startTLS(certificateName: "elsewhere.example")
        XCTAssertThrowsError(try mount(options: ["cafile=\(scratch!)/ca.pem"], endpoint: url)) { error in
            XCTAssertTrue("\(error)".contains("certificate is not trusted or not valid for the host"), "\(error)")
        }
    }
}
