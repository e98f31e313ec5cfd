import Foundation

/// The real `ObjectStore`: OSS over HTTP(S) with libcurl. Signs every request (V4 by default,
/// V1 on request), reuses connections, bounds parallel transfers, and retries what is safe to retry.
/// Failures are `OSSError` (the server answered) or `TransportError` (it did not).
public final class OSSClient: ObjectStore {
    /// The configuration this client was made with.
    public let configuration: ClientConfiguration
    let addressing: Addressing
    let loop: CurlMultiLoop
    let retryPolicy: RetryPolicy
    let region: String
    let credentialsProvider: any CredentialsProvider
    /// Seconds to add to the local clock when signing, learnt from a `RequestTimeTooSkewed` answer.
    let clockOffset = ClockOffset()

    /// Creates a client; throws `TransportError` for an unusable endpoint or when curl cannot start.
    public init(configuration: ClientConfiguration) throws {
        self.configuration = configuration
        addressing = try Addressing(endpoint: configuration.endpoint, bucket: configuration.bucket,
                                    style: configuration.addressingStyle)
        guard let region = configuration.effectiveRegion ?? (configuration.signatureVersion == .v1 ? "" : nil) else {
            throw TransportError(.other, "the endpoint \(configuration.endpoint.host ?? "") does not name its OSS region:"
                                 + " give the region (e.g. cn-hangzhou) for V4 signatures")
        }
        self.region = region
        credentialsProvider = configuration.credentialsProvider ?? StaticCredentialsProvider(configuration.credentials)
        retryPolicy = RetryPolicy(maxRetries: max(0, configuration.maxRetries),
                                  retriesUnreachable: configuration.retriesUnreachable,
                                  throttleBudget: max(0, configuration.throttleRetrySeconds))
        loop = try CurlMultiLoop(maxTransfers: configuration.maxConnections,
                                 settings: TransferSettings(connectTimeout: configuration.connectTimeout,
                                                            lowSpeedTimeout: configuration.lowSpeedTimeout,
                                                            caFile: configuration.caFile))
    }

    deinit { loop.shutdown() }

    /// One operation as `send` carries it out.
    struct Call {
        var operation: String
        var method: String
        var key: String?
        var query: [(name: String, value: String)] = []
        var headers: [(name: String, value: String)] = []
        var body: UploadBody? = nil
        var safety: RetryPolicy.Safety = .repeatable
        var computeUploadCRC = false
        /// Statuses other than 2xx that are not errors for this call.
        var acceptedStatuses: Set<Int> = []
        /// Told of the body as it arrives when the answer is a 206.
        var progress: (any BodyProgress)? = nil
    }

    /// Signs, sends and retries `call`; returns the first successful answer or throws the last failure.
    /// Besides the retry policy's retries, one immediate attempt each after new credentials were
    /// fetched for a refused token or key, and after the clock was corrected by a `RequestTimeTooSkewed`.
    func send(_ call: Call) async throws -> HTTPResponse {
        if let key = call.key { try ObjectName.validate(key) }
        var attempt = 1
        var mayHaveApplied = false
        var refreshedCredentials = false
        var correctedClock = false
        var waited = 0.0
        while true {
            try Task.checkCancellation()
            let credentials = try await credentialsProvider.credentials()
            let offsetUsed = clockOffset.offset
            let started = DispatchTime.now().uptimeNanoseconds
            let outcome: RetryPolicy.Outcome
            let failure: Error
            var code: String?
            do {
                let response = try await loop.perform(signedRequest(call, credentials: credentials))
                let rid = response.header("x-oss-request-id") ?? ""
                if (200..<300).contains(response.status) || call.acceptedStatuses.contains(response.status) {
                    record(call, attempt: attempt, started: started, status: response.status, requestId: rid, error: nil)
                    return response
                }
                let error = OSSError.fromResponse(httpStatus: response.status, body: response.body) { response.header($0.lowercased()) }
                record(call, attempt: attempt, started: started, status: response.status, requestId: rid, error: error.description)
                if !refreshedCredentials, CredentialRefusal.isRefusal(error) {
                    refreshedCredentials = true
                    if try await credentialsProvider.refresh(after: credentials) != nil { continue }
                }
                if !correctedClock, error.is(.requestTimeTooSkewed) {
                    // Another request may have corrected the clock already: retry when the offset in
                    // effect now differs from the one this request was signed with.
                    clockOffset.correct(serverDate: response.header("date"))
                    if abs(clockOffset.offset - offsetUsed) > 1 {
                        correctedClock = true
                        continue
                    }
                }
                if retryPolicy.needsOwnershipCheck(status: response.status, code: error.code, safety: call.safety,
                                                   earlierMayHaveApplied: mayHaveApplied) {
                    throw UnconfirmedConflict(error: error)
                }
                outcome = .status(response.status)
                code = error.code
                failure = error
            } catch let f as TransportFailure {
                record(call, attempt: attempt, started: started, status: 0, requestId: "", error: f.error.message)
                outcome = .transport(f.error.kind, requestSent: f.requestSent)
                failure = f.error
            }
            mayHaveApplied = mayHaveApplied || retryPolicy.mayHaveApplied(outcome)
            switch retryPolicy.decide(attempt: attempt, outcome: outcome, code: code, safety: call.safety,
                                      waited: waited, random: Double.random(in: 0..<1)) {
            case .stop: throw failure
            case .retry(let seconds):
                try await Task.sleep(nanoseconds: UInt64(seconds * 1_000_000_000))
                waited += seconds
                attempt += 1
            }
        }
    }

    private func signedRequest(_ call: Call, credentials: Credentials) -> HTTPRequest {
        var s = SigningRequest(method: call.method, bucket: configuration.bucket, key: call.key,
                               query: call.query, headers: call.headers)
        let date = clockOffset.now()
        switch configuration.signatureVersion {
        case .v1: SignerV1.sign(&s, credentials: credentials, date: date)
        case .v4: SignerV4.sign(&s, credentials: credentials, region: region, date: date)
        }
        return HTTPRequest(method: call.method, url: addressing.url(key: call.key, query: call.query), headers: s.headers,
                           body: call.body, computeUploadCRC: call.computeUploadCRC, progress: call.progress)
    }

    private func record(_ call: Call, attempt: Int, started: UInt64, status: Int, requestId: String, error: String?) {
        guard let log = configuration.onRequest else { return }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        log(RequestLogRecord(operation: call.operation, key: call.key ?? "", httpStatus: status, requestId: requestId,
                             durationSeconds: seconds, attempt: attempt, error: error))
    }
}
