/*
 * probes.h: the daemon's static trace points (USDT), provider "gomoku".
 *
 * Each probe is one nop instruction plus a note in the ELF file (section
 * .note.stapsdt) that bpftrace, perf, SystemTap and DTrace read to find it:
 * untraced it costs the nop and the evaluation of its arguments, which are
 * values the code has at hand anyway. Built without <sys/sdt.h> (Debian:
 * systemtap-sdt-dev) the probes compile to nothing; so they do with
 * -DGOMOKU_NO_PROBES.
 *
 * The probes, their arguments and units (docs/operations.md, "Tracing"):
 *   request__start  method (char *), path (char *)
 *   request__done   route (char *), status, microseconds, method, path
 *   search__start   budget ms, depth limit, queue wait microseconds
 *   search__done    depth, nodes, search microseconds, queue wait
 *                   microseconds, stopped (1 when cut short by a drain)
 *   queue__full     route (char *), queued jobs, queue capacity, Retry-After s
 *   drain__start    searches in progress, requests in flight
 *   drain__done     milliseconds since drain__start, requests left unanswered
 * DTrace spells the names with a dash: gomoku*:::request-start.
 */
#ifndef GOMOKU_HTTPD_PROBES_H
#define GOMOKU_HTTPD_PROBES_H

#if !defined(GOMOKU_NO_PROBES) && defined(__has_include)
#if __has_include(<sys/sdt.h>)
#include <sys/sdt.h>
#define PROBES_ENABLED 1
#endif
#endif

#ifdef PROBES_ENABLED
#define PROBES_REQUEST_START(method, path) DTRACE_PROBE2(gomoku, request__start, method, path)
#define PROBES_REQUEST_DONE(route, status, us, method, path)                                       \
    DTRACE_PROBE5(gomoku, request__done, route, status, us, method, path)
#define PROBES_SEARCH_START(budget_ms, depth, queue_us)                                            \
    DTRACE_PROBE3(gomoku, search__start, budget_ms, depth, queue_us)
#define PROBES_SEARCH_DONE(depth, nodes, us, queue_us, stopped)                                    \
    DTRACE_PROBE5(gomoku, search__done, depth, nodes, us, queue_us, stopped)
#define PROBES_QUEUE_FULL(route, queued, capacity, retry_s)                                        \
    DTRACE_PROBE4(gomoku, queue__full, route, queued, capacity, retry_s)
#define PROBES_DRAIN_START(searches, in_flight)                                                    \
    DTRACE_PROBE2(gomoku, drain__start, searches, in_flight)
#define PROBES_DRAIN_DONE(ms, left) DTRACE_PROBE2(gomoku, drain__done, ms, left)
#else
/* The arguments are still "used", so no variable becomes unused. */
#define PROBES_REQUEST_START(method, path)                                                         \
    do {                                                                                           \
        (void)(method);                                                                            \
        (void)(path);                                                                              \
    } while (0)
#define PROBES_REQUEST_DONE(route, status, us, method, path)                                       \
    do {                                                                                           \
        (void)(route);                                                                             \
        (void)(status);                                                                            \
        (void)(us);                                                                                \
        (void)(method);                                                                            \
        (void)(path);                                                                              \
    } while (0)
#define PROBES_SEARCH_START(budget_ms, depth, queue_us)                                            \
    do {                                                                                           \
        (void)(budget_ms);                                                                         \
        (void)(depth);                                                                             \
        (void)(queue_us);                                                                          \
    } while (0)
#define PROBES_SEARCH_DONE(depth, nodes, us, queue_us, stopped)                                    \
    do {                                                                                           \
        (void)(depth);                                                                             \
        (void)(nodes);                                                                             \
        (void)(us);                                                                                \
        (void)(queue_us);                                                                          \
        (void)(stopped);                                                                           \
    } while (0)
#define PROBES_QUEUE_FULL(route, queued, capacity, retry_s)                                        \
    do {                                                                                           \
        (void)(route);                                                                             \
        (void)(queued);                                                                            \
        (void)(capacity);                                                                          \
        (void)(retry_s);                                                                           \
    } while (0)
#define PROBES_DRAIN_START(searches, in_flight)                                                    \
    do {                                                                                           \
        (void)(searches);                                                                          \
        (void)(in_flight);                                                                         \
    } while (0)
#define PROBES_DRAIN_DONE(ms, left)                                                                \
    do {                                                                                           \
        (void)(ms);                                                                                \
        (void)(left);                                                                              \
    } while (0)
#endif

#endif
