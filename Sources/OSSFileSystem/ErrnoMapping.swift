import Foundation
import OSSProtocol

/// The one place where store and transport errors become POSIX errors for the kernel.
enum ErrnoMapping {
    /// Maps any error thrown below the file system to the errno the application should see.
    static func fsError(_ error: any Error) -> FSError {
        switch error {
        case let error as FSError:
            return error
        case let error as OSSError:
            return FSError(errno(for: error))
        case is TransportError:
            return FSError(EIO)
        case is CancellationError:
            return FSError(EINTR)
        default:
            return FSError(EIO)
        }
    }

    /// The errno of one OSS error answer.
    static func errno(for error: OSSError) -> Int32 {
        switch error.knownCode {
        case .noSuchKey, .symlinkTargetNotExist, .noSuchBucket, .noSuchUpload:
            return ENOENT
        case .accessDenied, .invalidAccessKeyId, .signatureDoesNotMatch, .requestTimeTooSkewed,
             .invalidSecurityToken, .securityTokenExpired, .accessKeyIdAndSecurityTokenNotMatch:
            return EACCES
        case .invalidObjectState:
            // An archive-class object that is not restored: it exists and stat works, but its data
            // is not available ("No data available"). Not EACCES (sends users to check permissions),
            // not EIO (damage), not EAGAIN (programs retry at once), not ESTALE (the kernel retries
            // lookups). The log line says how to restore it (OSSFileSystem+Archive.swift).
            return notRestored
        case .fileAlreadyExists:
            return EEXIST
        case .fileImmutable:
            return EPERM
        case .invalidTargetType:
            return ELOOP
        case .notSymlink:
            return EINVAL
        case .invalidObjectName:
            // The only invalid names a POSIX path can produce here are the too-long ones.
            return error.message.localizedCaseInsensitiveContains("long") || error.message.isEmpty
                ? ENAMETOOLONG : EINVAL
        case .invalidArgument, .invalidRange, .malformedXML, .invalidDigest, .invalidPart,
             .invalidPartOrder, .entityTooSmall:
            return EINVAL
        case .entityTooLarge:
            return EFBIG
        case .objectNotAppendable, .positionNotEqualToLength, .operationNotSupported, .notImplemented:
            return ENOTSUP
        case .preconditionFailed:
            // The only If-Match the file system sends pins a reader or writer to the version it
            // opened: that version is gone (NFS's "stale file handle").
            return ESTALE
        default:
            switch error.httpStatus {
            case 403: return EACCES
            case 404: return ENOENT
            case 409: return EEXIST
            case 400: return EINVAL
            default: return EIO
            }
        }
    }

    /// The errno of reading an archive-class object that is not restored (see `errno(for:)`).
    static let notRestored = ENODATA

    /// True for 403 InvalidObjectState: the object's data is frozen (Archive classes, not restored).
    static func isNotRestored(_ error: any Error) -> Bool {
        (error as? OSSError)?.is(.invalidObjectState) == true
    }

    /// True for 409 RestoreAlreadyInProgress.
    static func isRestoreInProgress(_ error: any Error) -> Bool {
        (error as? OSSError)?.is(.restoreAlreadyInProgress) == true
    }

    /// True when `error` is the answer "there is no object under this key" (and nothing else).
    static func isNoSuchKey(_ error: any Error) -> Bool {
        guard let error = error as? OSSError else { return false }
        // A bodiless 404 from an old service (no `x-oss-err`) also means "no such key".
        return error.is(.noSuchKey) || (error.httpStatus == 404 && error.code.isEmpty)
    }

    /// True when a HEAD answer says the key is a symlink although it failed to follow it.
    static func isLinkFollowFailure(_ error: any Error) -> Bool {
        guard let error = error as? OSSError else { return false }
        return error.is(oneOf: .symlinkTargetNotExist, .invalidTargetType)
    }

    /// True for 409 FileAlreadyExists (forbid-overwrite hit an existing key).
    static func isAlreadyExists(_ error: any Error) -> Bool {
        (error as? OSSError)?.is(.fileAlreadyExists) == true
    }
}

/// Runs `body` and turns whatever it throws into an `FSError`.
func mappingErrors<T>(_ body: () async throws -> T) async throws(FSError) -> T {
    do {
        return try await body()
    } catch {
        throw ErrnoMapping.fsError(error)
    }
}
