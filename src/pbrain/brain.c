/*
 * brain.c: reader and thinker threads of a Gomocup brain (see brain.h).
 */
#include "pbrain/brain.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "pbrain/protocol.h"

/* Lines waiting for the thinker. A BOARD of a full 25x25 board is 627 lines,
 * so the reader blocks when the queue is full instead of growing it. */
#define QUEUE_CAP 64
/* How long the reader waits, after END, for the thinker to exit by itself. */
#define END_GRACE_MS 1000

typedef struct queued_line {
    bool truncated;
    char text[PBRAIN_LINE_MAX + 1];
} queued_line_t;

typedef struct brain {
    pthread_mutex_t mu;
    pthread_cond_t ready;   /* signalled when a line was queued or END seen */
    pthread_cond_t room;    /* signalled when the thinker took a line */
    pthread_cond_t done_cv; /* signalled when the thinker leaves brain_run */
    int in_fd;
    /* Guarded by mu. */
    queued_line_t queue[QUEUE_CAP];
    int head, count;
    bool quit;     /* END seen: stop the search, start no other */
    bool eof;      /* end of input: finish the queue, then return */
    bool thinking; /* a search runs; STOP applies to it */
    bool done;     /* the thinker has finished */
    atomic_bool stop;
} brain_t;

static void push_line(brain_t *b, const char *text, bool truncated)
{
    while (b->count == QUEUE_CAP)
        pthread_cond_wait(&b->room, &b->mu);
    queued_line_t *q = &b->queue[(b->head + b->count) % QUEUE_CAP];
    snprintf(q->text, sizeof(q->text), "%s", text);
    q->truncated = truncated;
    b->count++;
    pthread_cond_signal(&b->ready);
}

/* After END: give the thinker END_GRACE_MS to return, then end the process
 * ourselves. The thinker normally wins this race by a wide margin. */
static void end_watchdog(brain_t *b)
{
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += END_GRACE_MS / 1000;
    deadline.tv_nsec += (long)(END_GRACE_MS % 1000) * 1000000L;
    if (deadline.tv_nsec >= 1000000000L) {
        deadline.tv_sec++;
        deadline.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&b->mu);
    int rc = 0;
    while (!b->done && rc != ETIMEDOUT)
        rc = pthread_cond_timedwait(&b->done_cv, &b->mu, &deadline);
    bool done = b->done;
    pthread_mutex_unlock(&b->mu);
    if (!done)
        _exit(0);
}

static void *reader_main(void *arg)
{
    brain_t *b = arg;
    pbrain_splitter_t sp = {0};
    char buf[4096];
    for (;;) {
        ssize_t n = read(b->in_fd, buf, sizeof(buf));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            /* End of input: answer what was queued (a script piped in gets
             * its moves), then stop. Searches are bounded, so this ends. */
            pthread_mutex_lock(&b->mu);
            b->eof = true;
            pthread_cond_signal(&b->ready);
            pthread_mutex_unlock(&b->mu);
            return NULL;
        }
        for (ssize_t i = 0; i < n; i++) {
            const char *line;
            bool truncated;
            if (!pbrain_split_byte(&sp, buf[i], &line, &truncated))
                continue;
            pbrain_urgency_t urgency = pbrain_urgent(line);
            pthread_mutex_lock(&b->mu);
            if (urgency == PBRAIN_URGENT_STOP) {
                if (b->thinking)
                    atomic_store(&b->stop, true);
                pthread_mutex_unlock(&b->mu);
                continue;
            }
            if (urgency == PBRAIN_URGENT_END) {
                b->quit = true;
                atomic_store(&b->stop, true);
            }
            push_line(b, line, truncated);
            pthread_mutex_unlock(&b->mu);
            if (urgency == PBRAIN_URGENT_END) {
                end_watchdog(b);
                return NULL;
            }
        }
    }
}

static void emit(FILE *out, const char *text)
{
    if (!*text)
        return;
    fputs(text, out);
    fflush(out);
}

/* Runs one search for the side to move and prints the answer, unless END
 * arrived meanwhile. */
static void think(brain_t *b, pbrain_state_t *st, const brain_searcher_t *s, void *self, FILE *out)
{
    char err[200] = "";
    engine_position_t pos;
    engine_result_t res;
    engine_status_t status = ENGINE_EINVAL;
    engine_limits_t limits = pbrain_limits(&st->info, st->n_moves);

    pthread_mutex_lock(&b->mu);
    bool quit = b->quit;
    if (!quit) {
        atomic_store(&b->stop, false);
        b->thinking = true;
    }
    pthread_mutex_unlock(&b->mu);
    if (quit)
        return;

    bool ready = s->prepare(self, pbrain_hash_mb(&st->info), err, sizeof(err));
    if (ready && pbrain_position(st, &pos))
        status = s->search(self, &pos, &limits, &b->stop, &res);

    pthread_mutex_lock(&b->mu);
    b->thinking = false;
    quit = b->quit;
    pthread_mutex_unlock(&b->mu);
    if (quit)
        return;

    char text[256];
    int x = -1, y = -1;
    if (status == ENGINE_OK && res.move.row >= 0 &&
        pbrain_play_own(st, res.move.col, res.move.row)) {
        x = res.move.col;
        y = res.move.row;
        snprintf(text, sizeof(text), "MESSAGE depth %d score %d nodes %llu time %.0f ms\n",
                 res.depth, res.score, (unsigned long long)res.nodes, res.time_ms);
        emit(out, text);
    } else if (pbrain_fallback_move(st, &x, &y)) {
        /* Never leave the manager without a move while one exists: say what
         * went wrong and play the most central empty cell. */
        pbrain_play_own(st, x, y);
        snprintf(text, sizeof(text), "MESSAGE search failed (%s); playing a fallback move\n",
                 err[0] ? err : engine_strerror(status));
        emit(out, text);
    } else {
        emit(out, "ERROR the board is full\n");
        return;
    }
    snprintf(text, sizeof(text), "%d,%d\n", x, y);
    emit(out, text);
}

/* YXSHOWFORBID: black's forbidden points when black is to move under renju
 * (the engine's referee), else none, as Yixin-protocol GUIs expect. */
static void show_forbid(const pbrain_state_t *st, FILE *out)
{
    static engine_position_t pos;
    static engine_move_t cells[ENGINE_MAX_CELLS];
    static engine_forbid_t kinds[ENGINE_MAX_CELLS];
    static char text[16 + 4 * ENGINE_MAX_CELLS];
    int n = 0, balance = 0;
    bool ok = pbrain_position(st, &pos);
    for (int i = 0; ok && i < pos.n_stones; i++)
        balance += pos.stones[i].color == ENGINE_BLACK ? 1 : -1;
    /* Black is to move when both have as many stones (after our own move
     * pbrain_position still names us, black, as the side to move). */
    if (ok && pos.rule == ENGINE_RULE_RENJU && balance == 0) {
        engine_status_t status = engine_forbidden_points(&pos, cells, kinds, &n);
        if (status != ENGINE_OK) {
            snprintf(text, sizeof(text), "ERROR YXSHOWFORBID: %s\n", engine_strerror(status));
            emit(out, text);
            return;
        }
    }
    pbrain_forbid_text(cells, n, text, sizeof(text));
    emit(out, text);
}

int brain_run(const brain_searcher_t *searcher, void *self, int in_fd, FILE *out)
{
    /* One brain per process. Static rather than heap: the detached reader
     * may still use it while the process exits. */
    static pbrain_state_t st;
    static brain_t brain;
    brain_t *b = &brain;
    pthread_mutex_init(&b->mu, NULL);
    pthread_cond_init(&b->ready, NULL);
    pthread_cond_init(&b->room, NULL);
    pthread_cond_init(&b->done_cv, NULL);
    b->in_fd = in_fd;
    atomic_init(&b->stop, false);
    pbrain_init(&st, searcher->about);

    pthread_t reader;
    if (pthread_create(&reader, NULL, reader_main, b) != 0)
        return 1;
    /* The reader may block in read() forever; it is never joined, and the
     * process exits under it. */
    pthread_detach(reader);

    pbrain_out_t reply;
    for (;;) {
        queued_line_t line;
        pthread_mutex_lock(&b->mu);
        while (b->count == 0 && !b->quit && !b->eof)
            pthread_cond_wait(&b->ready, &b->mu);
        if (b->count == 0) { /* end of input, nothing left to answer */
            pthread_mutex_unlock(&b->mu);
            break;
        }
        line = b->queue[b->head];
        b->head = (b->head + 1) % QUEUE_CAP;
        b->count--;
        pthread_cond_signal(&b->room);
        pthread_mutex_unlock(&b->mu);

        reply.len = 0;
        reply.text[0] = '\0';
        pbrain_action_t action;
        if (line.truncated) {
            emit(out, "ERROR line too long\n");
            continue;
        }
        action = pbrain_feed(&st, line.text, &reply);
        emit(out, reply.text);
        if (action == PBRAIN_ACT_QUIT)
            break;
        if (action == PBRAIN_ACT_THINK) {
            think(b, &st, searcher, self, out);
        } else if (action == PBRAIN_ACT_FORBID) {
            show_forbid(&st, out);
        } else {
            /* Resize the table as soon as max_memory arrives, between moves,
             * rather than in the next move's time (a large table takes a
             * noticeable time to allocate and clear). Unchanged size: no-op;
             * a failure is reported at the next search. */
            char err[200];
            searcher->prepare(self, pbrain_hash_mb(&st.info), err, sizeof(err));
        }
    }
    fflush(out);
    pthread_mutex_lock(&b->mu);
    b->done = true;
    pthread_cond_broadcast(&b->done_cv);
    pthread_mutex_unlock(&b->mu);
    return 0;
}
