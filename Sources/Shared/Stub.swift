#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation

/// Commands that are not built yet say so and fail, rather than pretend to work.
public enum Stub {
    public static func run(command: String) -> Int32 {
        let message = "\(command): not implemented yet in this build\n"
        FileHandle.standardError.write(Data(message.utf8))
        return 1
    }
}
