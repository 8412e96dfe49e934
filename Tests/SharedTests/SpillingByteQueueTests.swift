import Foundation
import Testing
@testable import Shared

@Suite struct SpillingByteQueueTests {
    func line(_ n: Int) -> [UInt8] { Array("{\"type\":\"photo\",\"id\":\"\(n)\"}\n".utf8) }

    @Test func keepsOrderAcrossMemoryAndDiskWhileTheConsumerLags() throws {
        let queue = SpillingByteQueue(memoryLimit: 200, readChunk: 37)
        var expected: [UInt8] = []
        var got: [UInt8] = []
        var maxSpilled = 0
        var n = 0
        // The consumer stalls for 200 lines, then takes once every 3 lines, then drains; twice.
        for _ in 0..<2 {
            for step in 0..<400 {
                let bytes = line(n)
                n += 1
                expected += bytes
                try queue.append(bytes)
                maxSpilled = max(maxSpilled, queue.spilledBytes)
                if step >= 200 && step % 3 == 0 { for chunk in try queue.take() { got += chunk } }
            }
            while !queue.isEmpty { for chunk in try queue.take() { got += chunk } }
            #expect(queue.spilledBytes == 0)
        }
        #expect(maxSpilled > 1000, "most of the backlog went to disk")
        #expect(got == expected)
        #expect(try queue.take().isEmpty)
    }

    @Test func staysInMemoryWhenTheConsumerKeepsUp() throws {
        let queue = SpillingByteQueue(memoryLimit: 1 << 20)
        for i in 0..<1000 {
            try queue.append(line(i))
            #expect(try queue.take() == [line(i)])
        }
        #expect(queue.spilledBytes == 0 && queue.isEmpty)
    }
}
