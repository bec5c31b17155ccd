/*
 * LD_PRELOAD shim for running the proxy under valgrind 3.19 (Debian 12's), used by tools/bench.sh
 * to count instructions.
 *
 * Why: Swift's async main ends in dispatch_main(), whose signal thread calls
 * sigsuspend(&mask) with a `static const` mask in libdispatch's read-only data. valgrind 3.19
 * rewrites the mask it is given in place (to keep its own signals), which faults on read-only
 * memory and kills valgrind ("the 'impossible' happened", SIGSEGV at
 * `_dispatch_sigsuspend.mask`). Handing the kernel a writable copy changes nothing else.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

int sigsuspend(const sigset_t *mask) {
    sigset_t copy = *mask;
    /* The kernel's sigset is 64 bits on Linux, whatever glibc's sigset_t size. */
    return (int)syscall(SYS_rt_sigsuspend, &copy, 8);
}
