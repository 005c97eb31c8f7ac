#include "client/http.h"

#include <ctype.h>
#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const CAUSE_NAMES[] = {
#define CLIENT_RETRY_NAME(name, text) text,
    CLIENT_RETRY_CAUSE_LIST(CLIENT_RETRY_NAME)
#undef CLIENT_RETRY_NAME
};

/* Idle connections older than this are not reused: below the keep-alive
 * idle limits of HAProxy and of the daemon, so the client never sends on a
 * connection the server is about to close. */
#define MAX_CONNECTION_AGE_S 25L

struct client_http {
    CURL *curl;
    struct curl_slist *headers;
    client_http_config_t config;
    client_rng_t rng;
    char *buf; /* the reply being received; always NUL-terminated */
    size_t len, cap;
    bool too_big;
    long connections;
    char curl_error[CURL_ERROR_SIZE];
};

const char *client_retry_cause_name(client_retry_cause_t cause)
{
    if ((unsigned)cause >= CLIENT_RETRY_N_CAUSES) {
        return "unknown";
    }
    return CAUSE_NAMES[cause];
}

int64_t client_backoff_delay_ms(const client_backoff_t *b, int attempt, int64_t retry_after_ms,
                                client_rng_t *rng)
{
    if (retry_after_ms >= 0) {
        int64_t wait =
            retry_after_ms < b->retry_after_max_ms ? retry_after_ms : b->retry_after_max_ms;
        /* Honour the server's wait, and spread the returning clients over
         * one base interval after it. */
        return wait + (int64_t)client_rng_below(rng, (uint64_t)b->base_ms + 1);
    }
    int64_t d = b->base_ms;
    for (int i = 1; i < attempt && d < b->max_ms; i++) {
        d *= 2;
    }
    if (d > b->max_ms) {
        d = b->max_ms;
    }
    return d / 2 + (int64_t)client_rng_below(rng, (uint64_t)(d - d / 2) + 1);
}

bool client_retry_after_parse(const char *value, time_t now, int64_t *ms)
{
    if (value == NULL) {
        return false;
    }
    while (isspace((unsigned char)*value)) {
        value++;
    }
    size_t n = strlen(value);
    while (n > 0 && isspace((unsigned char)value[n - 1])) {
        n--;
    }
    if (n == 0 || n >= 64) {
        return false;
    }
    char text[64];
    memcpy(text, value, n);
    text[n] = '\0';

    if (isdigit((unsigned char)text[0])) {
        /* delta-seconds: digits only. Anything absurdly large is clamped
         * later by the backoff; here it only must not overflow. */
        int64_t s = 0;
        for (size_t i = 0; i < n; i++) {
            if (!isdigit((unsigned char)text[i])) {
                return false;
            }
            if (s < 1000000000) {
                s = s * 10 + (text[i] - '0');
            }
        }
        *ms = s * 1000;
        return true;
    }
    /* An HTTP-date: curl's parser knows the three legal forms. */
    time_t when = curl_getdate(text, NULL);
    if (when == (time_t)-1) {
        return false;
    }
    *ms = when > now ? (int64_t)(when - now) * 1000 : 0;
    return true;
}

static size_t on_data(char *data, size_t size, size_t nmemb, void *user)
{
    client_http_t *h = user;
    size_t n = size * nmemb;
    if (h->len + n > h->config.max_reply_bytes) {
        h->too_big = true;
        return 0; /* makes curl fail with CURLE_WRITE_ERROR */
    }
    if (h->len + n + 1 > h->cap) {
        size_t cap = h->cap;
        while (cap < h->len + n + 1) {
            cap *= 2;
        }
        char *grown = realloc(h->buf, cap);
        if (grown == NULL) {
            return 0;
        }
        h->buf = grown;
        h->cap = cap;
    }
    memcpy(h->buf + h->len, data, n);
    h->len += n;
    h->buf[h->len] = '\0';
    return n;
}

int client_http_create(const client_http_config_t *config, client_http_t **out, char *err,
                       size_t errlen)
{
    client_http_t *h = calloc(1, sizeof(*h));
    if (h == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    h->config = *config;
    client_rng_seed(&h->rng, config->seed);
    h->cap = 16384;
    h->buf = malloc(h->cap);
    h->curl = curl_easy_init();
    /* An empty "Expect:" keeps curl from waiting for "100 Continue" on big
     * bodies: the server answers the POST directly. */
    struct curl_slist *l = curl_slist_append(NULL, "Content-Type: application/json");
    h->headers = l != NULL ? curl_slist_append(l, "Expect:") : NULL;
    if (h->headers == NULL && l != NULL) {
        curl_slist_free_all(l);
    }
    if (h->buf == NULL || h->curl == NULL || h->headers == NULL) {
        snprintf(err, errlen, "cannot create a curl handle (out of memory?)");
        client_http_destroy(h);
        return -1;
    }
    h->buf[0] = '\0';
    CURL *c = h->curl;
    /* NOSIGNAL: curl must not use SIGALRM for timeouts in a threaded
     * program; main() ignores SIGPIPE instead. */
    if (curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L) != CURLE_OK ||
        curl_easy_setopt(c, CURLOPT_POST, 1L) != CURLE_OK ||
        curl_easy_setopt(c, CURLOPT_HTTPHEADER, h->headers) != CURLE_OK ||
        curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data) != CURLE_OK ||
        curl_easy_setopt(c, CURLOPT_WRITEDATA, h) != CURLE_OK ||
        curl_easy_setopt(c, CURLOPT_ERRORBUFFER, h->curl_error) != CURLE_OK ||
        curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, config->connect_timeout_ms) != CURLE_OK ||
        curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, config->timeout_ms) != CURLE_OK ||
        curl_easy_setopt(c, CURLOPT_MAXAGE_CONN, MAX_CONNECTION_AGE_S) != CURLE_OK ||
        curl_easy_setopt(c, CURLOPT_USERAGENT, "gomoku-http-client/" GOMOKU_VERSION) != CURLE_OK ||
        curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https") != CURLE_OK) {
        snprintf(err, errlen, "cannot configure the curl handle");
        client_http_destroy(h);
        return -1;
    }
    *out = h;
    return 0;
}

void client_http_destroy(client_http_t *h)
{
    if (h == NULL) {
        return;
    }
    if (h->curl != NULL) {
        curl_easy_cleanup(h->curl);
    }
    curl_slist_free_all(h->headers);
    free(h->buf);
    free(h);
}

long client_http_connections(const client_http_t *h)
{
    return h->connections;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static void sleep_ms(int64_t ms)
{
    struct timespec left = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};
    while (nanosleep(&left, &left) != 0 && errno == EINTR) {
    }
}

/* Which transport errors are worth another attempt, and under which cause.
 * Returns false for final ones (bad URL, reply too big, out of memory...). */
static bool transport_cause(CURLcode code, client_retry_cause_t *cause)
{
    switch (code) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
        *cause = CLIENT_RETRY_CONNECT;
        return true;
    case CURLE_SEND_ERROR:
        *cause = CLIENT_RETRY_SEND;
        return true;
    case CURLE_RECV_ERROR:
    case CURLE_PARTIAL_FILE:
        *cause = CLIENT_RETRY_RECV;
        return true;
    case CURLE_GOT_NOTHING:
        *cause = CLIENT_RETRY_EMPTY;
        return true;
    case CURLE_OPERATION_TIMEDOUT:
        *cause = CLIENT_RETRY_TIMEOUT;
        return true;
    default:
        return false;
    }
}

static bool status_cause(long status, client_retry_cause_t *cause)
{
    switch (status) {
    case 502:
        *cause = CLIENT_RETRY_502;
        return true;
    case 503:
        *cause = CLIENT_RETRY_503;
        return true;
    case 504:
        *cause = CLIENT_RETRY_504;
        return true;
    default:
        return false;
    }
}

/* The server's Retry-After for the last answer in ms, or -1. */
static int64_t retry_after(client_http_t *h)
{
    struct curl_header *hdr = NULL;
    if (curl_easy_header(h->curl, "Retry-After", 0, CURLH_HEADER, -1, &hdr) != CURLHE_OK ||
        hdr == NULL) {
        return -1;
    }
    int64_t ms;
    return client_retry_after_parse(hdr->value, time(NULL), &ms) ? ms : -1;
}

client_http_status_t client_http_post(client_http_t *h, const char *url, const char *body,
                                      size_t len, client_http_reply_t *reply)
{
    memset(reply, 0, sizeof(*reply));
    CURL *c = h->curl;
    if (curl_easy_setopt(c, CURLOPT_URL, url) != CURLE_OK ||
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body) != CURLE_OK ||
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len) != CURLE_OK) {
        snprintf(reply->error, sizeof(reply->error), "POST %s: cannot set up the request", url);
        return CLIENT_HTTP_ETRANSPORT;
    }
    double start = now_ms();
    int timeouts = 0;
    for (;;) {
        h->len = 0;
        h->buf[0] = '\0';
        h->too_big = false;
        h->curl_error[0] = '\0';
        reply->attempts++;
        CURLcode code = curl_easy_perform(c);
        long connects = 0;
        if (curl_easy_getinfo(c, CURLINFO_NUM_CONNECTS, &connects) == CURLE_OK) {
            h->connections += connects;
        }
        reply->status = 0;
        if (code == CURLE_OK) {
            curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply->status);
        }
        reply->body = h->buf;
        reply->len = h->len;
        reply->latency_ms = now_ms() - start;

        client_retry_cause_t cause;
        bool retryable;
        if (code == CURLE_OK) {
            if (reply->status >= 200 && reply->status < 300) {
                reply->error[0] = '\0';
                return CLIENT_HTTP_OK;
            }
            retryable = status_cause(reply->status, &cause);
            snprintf(reply->error, sizeof(reply->error), "POST %s: HTTP %ld after %d attempt%s",
                     url, reply->status, reply->attempts, reply->attempts == 1 ? "" : "s");
        } else {
            retryable = transport_cause(code, &cause);
            if (code == CURLE_OPERATION_TIMEDOUT && ++timeouts > 1) {
                retryable = false;
            }
            const char *detail =
                h->curl_error[0] != '\0' ? h->curl_error : curl_easy_strerror(code);
            if (h->too_big) {
                snprintf(reply->error, sizeof(reply->error),
                         "POST %s: the reply is larger than %zu bytes", url,
                         h->config.max_reply_bytes);
            } else {
                snprintf(reply->error, sizeof(reply->error),
                         "POST %s failed after %d attempt%s: %s", url, reply->attempts,
                         reply->attempts == 1 ? "" : "s", detail);
            }
        }
        if (!retryable || reply->retries >= h->config.max_retries) {
            return code == CURLE_OK ? CLIENT_HTTP_ESTATUS : CLIENT_HTTP_ETRANSPORT;
        }
        int64_t wait = client_backoff_delay_ms(&h->config.backoff, reply->retries + 1,
                                               code == CURLE_OK ? retry_after(h) : -1, &h->rng);
        reply->retries++;
        reply->retries_by_cause[cause]++;
        sleep_ms(wait);
    }
}
