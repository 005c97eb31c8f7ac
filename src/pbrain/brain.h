/*
 * brain.h: the threads of a Gomocup brain around any searcher.
 *
 * What it is: the loop that reads manager lines from a file descriptor,
 * feeds them to the protocol state machine (protocol.h) and runs searches.
 * Two threads, as the protocol recommends:
 *   - the reader blocks in read() and never thinks. END, STOP and YXSTOP are
 *     acted on at once (they set the searcher's stop flag); every other line
 *     (END too, as an ordering marker) goes through a small queue.
 *   - the caller's thread (the thinker) takes lines from the queue, answers
 *     them and runs the searches. It alone owns the protocol state and writes
 *     the output stream, so no line is ever interleaved.
 * END stops the running search (it returns within a few ms), its move is
 * not printed, searches still queued are skipped and brain_run() returns;
 * should a searcher ever fail to stop, the reader ends the process itself
 * one second later, because a manager expects a brain to go away promptly.
 * End of input is gentler: every queued line is answered first, so a script
 * piped into the brain gets its moves.
 *
 * Who calls it: src/pbrain/main.c (the real engine) and
 * bench/minimax_brain.c (the baseline). Both supply a brain_searcher_t.
 */
#ifndef GOMOKU_PBRAIN_BRAIN_H
#define GOMOKU_PBRAIN_BRAIN_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "engine/engine.h"

typedef struct brain_searcher {
    /* The full ABOUT answer, e.g. name="x", version="1". */
    const char *about;
    /* Called in the thinker thread before every search with the table size
     * the manager's max_memory allows; cheap when nothing changed. Returns
     * false and writes a message into err when it cannot get ready. */
    bool (*prepare)(void *self, size_t hash_mb, char *err, size_t err_cap);
    /* The search itself, with engine_search()'s contract: it returns soon
     * after *stop becomes true and fills *out with a legal move. */
    engine_status_t (*search)(void *self, const engine_position_t *pos,
                              const engine_limits_t *limits, const atomic_bool *stop,
                              engine_result_t *out);
} brain_searcher_t;

/* Runs the protocol on in_fd / out until END or end of input. Returns 0 on
 * a normal end, 1 if the reader thread could not be started. */
int brain_run(const brain_searcher_t *searcher, void *self, int in_fd, FILE *out);

#endif
