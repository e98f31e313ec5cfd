// The client's public API is written in OSSProtocol's types (Credentials, OSSError, ObjectStore, ...):
// importing OSSClient makes them visible too.
@_exported import OSSProtocol
