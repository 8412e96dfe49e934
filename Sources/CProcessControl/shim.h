// prctl(2) is variadic, and Swift imports no variadic C function: this fixed-arity wrapper
// is the only reason this module exists.
#include <sys/prctl.h>

static inline int process_set_parent_death_signal(int signal) {
    return prctl(PR_SET_PDEATHSIG, (unsigned long)signal, 0UL, 0UL, 0UL);
}
