/*
 * http.h: POSTing game records with libcurl, with retries.
 *
 * One client_http_t per worker thread: it owns one curl easy handle, reused
 * for every request so the TCP connection stays open (keep-alive), and one
 * reply buffer that grows up to a cap. A handle must never be used by two
 * threads at once. curl_global_init() must have run before the first
 * client_http_create() (main() does it before starting threads).
 *
 * Retry policy: connection failures (refused, reset, nothing received, send
 * or receive errors) and HTTP 502/503/504 are retried up to a limit with
 * exponential backoff and jitter, waiting at least what Retry-After asks for
 * (clamped). A time-out is retried at most once, since the server is probably
 * overloaded. Other 4xx/5xx answers are final. Retrying is safe: a request
 * carries the whole game, so a duplicate only costs the server a search.
 * Every retry is counted by cause.
 */
#ifndef GOMOKU_CLIENT_HTTP_H
#define GOMOKU_CLIENT_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "client/rng.h"

/* Why a request was retried. Values are only ever appended. */
#define CLIENT_RETRY_CAUSE_LIST(X)                                                                 \
    X(CLIENT_RETRY_CONNECT, "connect")                                                             \
    X(CLIENT_RETRY_SEND, "send")                                                                   \
    X(CLIENT_RETRY_RECV, "recv")                                                                   \
    X(CLIENT_RETRY_EMPTY, "empty_reply")                                                           \
    X(CLIENT_RETRY_TIMEOUT, "timeout")                                                             \
    X(CLIENT_RETRY_502, "http_502")                                                                \
    X(CLIENT_RETRY_503, "http_503")                                                                \
    X(CLIENT_RETRY_504, "http_504")

typedef enum client_retry_cause {
#define CLIENT_RETRY_ENUM(name, text) name,
    CLIENT_RETRY_CAUSE_LIST(CLIENT_RETRY_ENUM)
#undef CLIENT_RETRY_ENUM
        CLIENT_RETRY_N_CAUSES
} client_retry_cause_t;

/* A short name for the cause ("http_503"), for summaries. */
const char *client_retry_cause_name(client_retry_cause_t cause);

/* Backoff between attempts: attempt k (1 for the first retry) waits about
 * base_ms * 2^(k-1), capped at max_ms, with "equal jitter" (half fixed, half
 * random) so that many clients refused at once do not come back at once. A
 * Retry-After from the server raises the wait to at least that long, but
 * never above retry_after_max_ms, so a bogus header cannot stall a run. */
typedef struct client_backoff {
    int64_t base_ms;
    int64_t max_ms;
    int64_t retry_after_max_ms;
} client_backoff_t;

#define CLIENT_BACKOFF_DEFAULT                                                                     \
    {                                                                                              \
        .base_ms = 100, .max_ms = 2000, .retry_after_max_ms = 10000                                \
    }

/* The wait before retry number `attempt` (>= 1), in ms. retry_after_ms is
 * what the server asked for, or -1 when it did not. Draws from rng. The
 * result is in [d/2, d] for the exponential delay d, or in
 * [r, r + base_ms] for a Retry-After of r (after clamping). */
int64_t client_backoff_delay_ms(const client_backoff_t *b, int attempt, int64_t retry_after_ms,
                                client_rng_t *rng);

/* Parses a Retry-After header value: delta-seconds ("3") or an HTTP-date
 * ("Wed, 21 Oct 2015 07:28:00 GMT", compared with now). Surrounding spaces
 * are allowed. Returns true with *ms >= 0 (a date in the past gives 0), or
 * false for anything else. */
bool client_retry_after_parse(const char *value, time_t now, int64_t *ms);

typedef struct client_http_config {
    long connect_timeout_ms;
    long timeout_ms; /* per attempt, connect included */
    int max_retries; /* retries after the first attempt */
    client_backoff_t backoff;
    size_t max_reply_bytes; /* a longer reply is an error, never truncated */
    uint64_t seed;          /* for the jitter */
} client_http_config_t;

typedef enum client_http_status {
    CLIENT_HTTP_OK = 0,    /* a 2xx answer is in the reply */
    CLIENT_HTTP_ESTATUS,   /* a final non-2xx answer (body in the reply) */
    CLIENT_HTTP_ETRANSPORT /* no usable answer after the retries (message says why) */
} client_http_status_t;

typedef struct client_http_reply {
    long status;      /* HTTP status of the last attempt; 0 when none arrived */
    const char *body; /* NUL-terminated, owned by the handle, valid until the next call */
    size_t len;
    int attempts;
    int retries;
    int retries_by_cause[CLIENT_RETRY_N_CAUSES];
    double latency_ms; /* from the first attempt to the final answer, waits included */
    char error[384];   /* what went wrong, for people; "" on success */
} client_http_reply_t;

typedef struct client_http client_http_t;

/* Creates a handle. Returns 0 and sets *out, or -1 when curl or memory
 * fails (message in err). */
int client_http_create(const client_http_config_t *config, client_http_t **out, char *err,
                       size_t errlen);

void client_http_destroy(client_http_t *http);

/* POSTs len bytes of JSON at body to url, retrying as described above, and
 * fills *reply. Blocks for at most about (max_retries + 1) x (timeout_ms +
 * max wait). */
client_http_status_t client_http_post(client_http_t *http, const char *url, const char *body,
                                      size_t len, client_http_reply_t *reply);

/* New connections opened by the handle so far (CURLINFO_NUM_CONNECTS
 * summed): with keep-alive this stays at 1 per server. */
long client_http_connections(const client_http_t *http);

#endif
