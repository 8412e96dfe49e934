import Foundation

#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// This process's peak resident set size, as each Immich step reports it at the end of its
/// input (scripts/bench-plugin.sh reads it from the log).
public enum PeakRSS {
    public static var megabytes: Double {
        var usage = rusage()
        guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return 0 }
        return Double(usage.ru_maxrss) / 1024  // kB on Linux
    }

    public static var sentence: String { "peak RSS " + String(format: "%.1f", megabytes) + " MB" }
}
