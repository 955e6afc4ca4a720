import PAGI

/// The application's response fields plus an optional server-computed `content-length`, as the
/// serializer's field collection — without copying the application's `PAGIHeaders` (a copy with
/// one more field cost two allocations per single-body response).
struct ResponseHeadFields: RandomAccessCollection {
    static let contentLengthName: ArraySlice<UInt8> = Array("content-length".utf8)[...]

    let headers: PAGIHeaders
    /// The digits of a computed `content-length`, or `nil` when the application sent its own.
    let contentLength: ArraySlice<UInt8>?

    var startIndex: Int { 0 }
    var endIndex: Int { self.headers.count + (self.contentLength == nil ? 0 : 1) }

    subscript(position: Int) -> (name: ArraySlice<UInt8>, value: ArraySlice<UInt8>) {
        if position < self.headers.count {
            let field = self.headers[position]
            return (name: field.nameBytes, value: field.valueBytes)
        }
        guard let contentLength = self.contentLength else {
            preconditionFailure("ResponseHeadFields index \(position) out of range")
        }
        return (name: Self.contentLengthName, value: contentLength)
    }
}

/// The decimal digits of the last computed `content-length`, reused while it does not change
/// (a server answering the same resource repeatedly formats the number once).
struct ContentLengthDigitsCache {
    private var length = -1
    private var digits: ArraySlice<UInt8> = []

    mutating func digits(for length: Int) -> ArraySlice<UInt8> {
        if length != self.length {
            self.length = length
            self.digits = Array(String(length).utf8)[...]
        }
        return self.digits
    }
}
