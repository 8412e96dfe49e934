#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import CProcessControl
import Foundation

/// Makes a child of `icloudpd --plugin immich` die with it, even when the wrapper is killed
/// with SIGKILL and cannot forward anything.
///
/// Why the child arms itself: Foundation.Process and posix_spawn offer no hook between fork
/// and exec to call prctl(PR_SET_PDEATHSIG), and running Swift code in a forked child of a
/// multithreaded process is unsafe. So the wrapper names itself in PHOTOS_PIPELINE_PARENT and
/// every command, first thing, asks the kernel for SIGKILL when its parent goes, then checks
/// the parent is still the one named (it may have died before the prctl). The setting
/// survives nothing the child does later; only children started by the wrapper carry the
/// variable, and it is removed so their own children do not inherit it.
///
/// The kernel's "parent" is the *thread* that spawned the child: the wrapper spawns from a
/// thread that lives until every child has exited (`ChildPipeline`).
public enum ParentDeathSignal {
    public static let variable = "PHOTOS_PIPELINE_PARENT"

    public static func armIfRequested() {
        guard let raw = getenv(variable), let parent = pid_t(String(cString: raw)) else { return }
        unsetenv(variable)
        _ = process_set_parent_death_signal(SIGKILL)
        if getppid() != parent { _exit(128 + SIGKILL) }  // the wrapper died before we armed
    }
}
