import OSSProtocol

/// The error answers of the restore rule (docs/archive-objects.md). Codes, statuses and messages
/// are documented; the ECs of InvalidObjectState, RestoreAlreadyInProgress and OperationNotSupported
/// are not (left empty), the Days one is (0016-00000704).
extension ServerError {
    /// GetObject of an archive-class object (directly or through a link) that is not restored.
    static let invalidObjectState = ServerError(.invalidObjectState)
    /// RestoreObject while a restore of the same object is still running.
    static let restoreAlreadyInProgress = ServerError(.restoreAlreadyInProgress)
    /// RestoreObject of an object whose class needs no restore (Standard, IA).
    static let restoreNotSupported = ServerError(.operationNotSupported)
    /// A Days value outside the class's range.
    static func invalidRestoreDays(_ days: Int) -> ServerError {
        ServerError(.invalidArgument, "The Days value in the RestoreRequest is invalid.", ec: "0016-00000704",
                    extras: [("ArgumentName", "Days"), ("ArgumentValue", String(days))])
    }
}
