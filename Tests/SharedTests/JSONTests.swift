import Testing
@testable import Shared

@Suite struct JSONTests {
    @Test func roundTripKeepsOrderNumbersAndUnicode() throws {
        let line = #"{"z":1,"a":2.50,"n":-0,"e":1e3,"big":100000000000000000000,"s":"é/\"\\\n","arr":[true,false,null,{}],"o":{"b":[],"a":""}}"#
        let value = try JSON.parse(line)
        #expect(value.serialized == line.replacingOccurrences(of: "é/", with: "é/"))
        #expect(value["a"] == .number("2.50"))
        #expect(value["s"]?.stringValue == "é/\"\\\n")
    }

    @Test func unicodeEscapesAndSurrogates() throws {
        let value = try JSON.parse(#"{"s":"\u00e9\ud83d\ude00\u0001"}"#)
        #expect(value["s"]?.stringValue == "é😀\u{01}")
        #expect(value.serialized == #"{"s":"é😀\u0001"}"#)
    }

    @Test(arguments: [
        ("{", "unexpected end of input"),
        (#"{"a":}"#, "unexpected character"),
        (#"{"a":1,}"#, "expected a member name"),
        (#"[1 2]"#, "expected ',' or ']'"),
        (#"{"a":01}"#, "expected ',' or '}'"),
        (#""\ud800""#, "unpaired surrogate"),
        ("nul", "invalid literal"),
        (#"{"a":1} x"#, "unexpected text after"),
    ])
    func malformedInputNamesTheFault(input: String, reason: String) {
        do {
            _ = try JSON.parse(input)
            Issue.record("parsed malformed input \(input)")
        } catch {
            #expect(error.reason.contains(reason), "\(error)")
            #expect(error.column >= 1)
        }
    }

    @Test func objectSubscriptSetsReplacesAndRemovesInPlace() {
        var object: JSONObject = ["a": 1, "b": 2]
        object["a"] = "x"
        object["c"] = true
        object["b"] = nil
        #expect(JSON.object(object).serialized == #"{"a":"x","c":true}"#)
    }

    @Test func photoRecordAnnotatesWithoutTouchingUnknownFields() throws {
        let line = #"{"type":"photo","id":"A","x-future":{"k":[1.0]},"files":{"original":{"path":"/p/a.heic","status":"downloaded","extra":1}},"live":{"original":{"path":"/p/a.mov"}}}"#
        guard case .photo(var record) = RecordLine.classify(Array(line.utf8), lineNumber: 1) else {
            Issue.record("not classified as a photo")
            return
        }
        #expect(record.fileRefs.map(\.size) == ["original", "original"])
        record.set(record.fileRefs[0], "asset", "id-1")
        record.addError(stage: "immich-scan", "boom")
        #expect(record.json.serialized == #"{"type":"photo","id":"A","x-future":{"k":[1.0]},"files":{"original":{"path":"/p/a.heic","status":"downloaded","extra":1,"asset":"id-1"}},"live":{"original":{"path":"/p/a.mov"}},"errors":[{"stage":"immich-scan","message":"boom"}]}"#)
    }
}
