#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// glibc gives every thread that allocates concurrently its own malloc arena (up to 8 per
/// core). Downloads finish on the HTTP loop's, Dispatch's and the cooperative pool's threads, so
/// short-lived buffers land in many arenas whose free space is never returned or reused
/// elsewhere: peak RSS then grew with the number of files (60 → 85 MB from 2,000 to 20,000
/// photos; 47 → 58 MB with two arenas, no slower). `mallopt` is not in the Glibc
/// module, hence the lookup. Call before any thread starts.
public enum MallocArenas {
    static let arenaMaxParameter: Int32 = -8  // M_ARENA_MAX in <malloc.h>

    public static func limit(to count: Int32) {
        #if canImport(Glibc)
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "mallopt") else { return }
        _ = unsafeBitCast(symbol, to: Mallopt.self)(arenaMaxParameter, count)
        #endif
    }
}
