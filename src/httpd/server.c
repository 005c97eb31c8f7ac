#include "httpd/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "httpd/log.h"
#include "httpd/probes.h"
#include "httpd/routes.h"

#define LISTEN_BACKLOG 1024

/* Per-connection memory of libmicrohttpd: request line, headers, read
 * buffer and reply headers. It is also the header size limit: a longer URL
 * gets 414 and bigger headers 431 from libmicrohttpd itself (or the
 * connection is closed). With 16 KiB a header block of up to about 15.9 KiB
 * is served, of which a Cookie header about 8 KiB (libmicrohttpd parses a
 * copy of it in the same memory): nginx's default limit for one header
 * line is 8 KiB. libmicrohttpd 0.9.75 zeroes this whole area, and half of
 * it again, between two requests of a connection: 16 KiB instead of
 * 32 KiB took 4-5% off the CPU time of a /health answer
 * (docs/performance.md). */
#define CONNECTION_MEMORY 16384

/* Announced bodies above this are refused before they are read (the
 * connection is closed after the 413); smaller oversized bodies are read
 * and discarded so the 413 reaches a client that sends without waiting. */
#define DISCARD_LIMIT_MIN (16u * 1024 * 1024)

/* The last answer of a cheap route, kept as a libmicrohttpd response and
 * queued again while the next answer is identical. Under a burst of health
 * checks most answers repeat (the body changes once per millisecond at
 * most), and building a response costs a dozen allocations: the object,
 * the body copy, and each header. MHD thread only. */
typedef struct answer_cache {
    struct MHD_Response *mr; /* one reference held by the cache; NULL: empty */
    int status;
    bool close;
    const char *content_type;
    int n_headers;
    const char *names[ROUTES_MAX_HEADERS];
    const char *values[ROUTES_MAX_HEADERS];
    size_t body_len;
    char body[ROUTES_INLINE_BODY_MAX];
} answer_cache_t;

struct server {
    const httpd_config_t *cfg;
    struct MHD_Daemon *mhd;
    pool_t *pool;
    metrics_t *metrics;
    double start_ms;
    server_drained_cb drained;
    void *drained_arg;
    int listen_fd;
    bool inherited_listener;
    int quiesced_fd;       /* returned by MHD_quiesce_daemon, closed after stop */
    double drain_start_ms; /* pool_now_ms() at server_begin_drain(); main thread */
    atomic_bool draining;
    atomic_int searches;
    atomic_uint in_flight;
    size_t discard_limit;
    answer_cache_t cache[METRICS_N_ROUTES];
};

typedef enum phase {
    PHASE_RECEIVING = 0, /* headers seen, body arriving */
    PHASE_SEARCHING,     /* suspended, the search thread owns play and resp */
    PHASE_ANSWERED       /* the response is queued */
} phase_t;

typedef struct request {
    server_t *srv;
    struct MHD_Connection *conn;
    phase_t phase;
    bool buffer_body; /* POST /gomoku/play or /analyze: keep the body */
    bool too_large;
    bool counted_search;
    char *body;
    size_t len, cap;
    routes_play_t *play;
    routes_response_t resp;
    double start_ms;
    double queue_ms;
    int status; /* 0 until answered */
    size_t bytes;
    /* For the access line, stored raw and escaped only when a line is
     * written: most requests are health checks whose line is not. */
    char method[12];
    char path[160];
    char forwarded[64]; /* first X-Forwarded-For entry; "" when none */
    union {
        struct sockaddr sa;
        struct sockaddr_in in;
        struct sockaddr_in6 in6;
    } peer; /* sa_family AF_UNSPEC when unknown */
} request_t;

static void mhd_logger(void *cls, const char *fmt, va_list ap)
{
    char msg[512];
    vsnprintf(msg, sizeof(msg), fmt, ap);
    httpd_log(HTTPD_LOG_INFO, "http: %s", msg);
}

bool server_address(const char *host, bool ipv6, int port, struct sockaddr_storage *ss,
                    socklen_t *sslen, char *err, size_t errlen)
{
    memset(ss, 0, sizeof(*ss));
    if (ipv6) {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
        a->sin6_family = AF_INET6;
        a->sin6_port = htons((uint16_t)port);
        if (inet_pton(AF_INET6, host, &a->sin6_addr) != 1) {
            snprintf(err, errlen, "bad IPv6 address %s", host);
            return false;
        }
        *sslen = sizeof(*a);
    } else {
        struct sockaddr_in *a = (struct sockaddr_in *)ss;
        a->sin_family = AF_INET;
        a->sin_port = htons((uint16_t)port);
        if (inet_pton(AF_INET, host, &a->sin_addr) != 1) {
            snprintf(err, errlen, "bad IPv4 address %s", host);
            return false;
        }
        *sslen = sizeof(*a);
    }
    return true;
}

bool server_listen(const char *host, bool ipv6, int port, int *fd_out, int *bound_port, char *err,
                   size_t errlen)
{
    struct sockaddr_storage ss;
    socklen_t sslen;
    if (!server_address(host, ipv6, port, &ss, &sslen, err, errlen))
        return false;
    const char *lb = ipv6 ? "[" : "", *rb = ipv6 ? "]" : "";
    int fd = socket(ipv6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        snprintf(err, errlen, "cannot create a socket for %s%s%s:%d: %s", lb, host, rb, port,
                 strerror(errno));
        return false;
    }
    int one = 1;
    /* SO_REUSEADDR only (not SO_REUSEPORT): a restart may bind while old
     * connections sit in TIME_WAIT, but a second daemon on the same port
     * fails loudly instead of silently sharing it. */
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (ipv6) {
        setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
    }
    if (bind(fd, (struct sockaddr *)&ss, sslen) != 0) {
        snprintf(err, errlen, "cannot bind %s%s%s:%d: %s", lb, host, rb, port, strerror(errno));
        close(fd);
        return false;
    }
    if (listen(fd, LISTEN_BACKLOG) != 0) {
        snprintf(err, errlen, "cannot listen on %s%s%s:%d: %s", lb, host, rb, port,
                 strerror(errno));
        close(fd);
        return false;
    }
    socklen_t len = sizeof(ss);
    if (getsockname(fd, (struct sockaddr *)&ss, &len) == 0) {
        port = ntohs(ipv6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
                          : ((struct sockaddr_in *)&ss)->sin_port);
    }
    *fd_out = fd;
    *bound_port = port;
    return true;
}

static void snapshot(server_t *srv, routes_env_t *env)
{
    const httpd_config_t *cfg = srv->cfg;
    pool_stats_t ps;
    pool_stats(srv->pool, &ps);
    memset(env, 0, sizeof(*env));
    env->caps.max_time_ms = cfg->max_time_ms;
    env->caps.default_time_ms = cfg->default_time_ms;
    env->caps.max_depth = cfg->max_depth;
    env->max_body = cfg->max_body;
    env->metrics = srv->metrics;
    env->gauges.threads = ps.threads;
    env->gauges.busy = ps.busy;
    env->gauges.queued = ps.queued;
    env->gauges.queue_capacity = ps.capacity;
    env->gauges.in_flight = atomic_load(&srv->in_flight);
    env->gauges.draining = atomic_load(&srv->draining);
    env->gauges.uptime_s = (pool_now_ms() - srv->start_ms) / 1000.0;
    env->pool_has_room = pool_has_room(srv->pool);
    /* Only a refused move carries Retry-After; the estimate takes the
     * pool's lock, which the cheap routes have no reason to touch. */
    env->retry_after_s = 1;
    if (!env->pool_has_room || env->gauges.draining) {
        pool_backlog_t backlog;
        pool_backlog(srv->pool, &backlog);
        env->retry_after_s = pool_retry_after_s(&backlog, cfg->max_time_ms);
    }
}

/* A libmicrohttpd response for resp, with one reference for the caller;
 * NULL when out of memory. Takes over an owned body. */
static struct MHD_Response *build_response(routes_response_t *resp)
{
    struct MHD_Response *mr;
    size_t len = resp->body != NULL ? resp->body_len : 0;
    if (len > 0 && resp->body_owned) {
        mr = MHD_create_response_from_buffer(len, (void *)resp->body, MHD_RESPMEM_MUST_FREE);
        if (mr != NULL) {
            resp->body_owned = false; /* libmicrohttpd frees it now */
            resp->body = NULL;
        }
    } else if (len > 0 && resp->body_inline) {
        /* The text lives in the request, which may go before the answer. */
        mr = MHD_create_response_from_buffer(len, (void *)resp->body, MHD_RESPMEM_MUST_COPY);
    } else {
        mr = MHD_create_response_from_buffer(len, len > 0 ? (void *)resp->body : (void *)"",
                                             MHD_RESPMEM_PERSISTENT);
    }
    if (mr == NULL) {
        return NULL;
    }
    if (resp->content_type != NULL && len > 0) {
        MHD_add_response_header(mr, MHD_HTTP_HEADER_CONTENT_TYPE, resp->content_type);
    }
    for (int i = 0; i < resp->n_headers; i++) {
        MHD_add_response_header(mr, resp->headers[i].name, routes_header_value(&resp->headers[i]));
    }
    if (resp->close) {
        MHD_add_response_header(mr, MHD_HTTP_HEADER_CONNECTION, "close");
    }
    return mr;
}

/* Only answers built in place with static header strings are kept: for
 * them, "identical" is pointer comparisons plus one memcmp of the body. */
static bool cacheable(const routes_response_t *resp)
{
    if (!resp->body_inline || (unsigned)resp->route >= METRICS_N_ROUTES) {
        return false;
    }
    for (int i = 0; i < resp->n_headers; i++) {
        if (resp->headers[i].value == NULL) {
            return false;
        }
    }
    return true;
}

static bool cache_matches(const answer_cache_t *ca, const routes_response_t *resp)
{
    if (ca->mr == NULL || ca->status != resp->status || ca->close != resp->close ||
        ca->content_type != resp->content_type || ca->n_headers != resp->n_headers ||
        ca->body_len != resp->body_len) {
        return false;
    }
    for (int i = 0; i < resp->n_headers; i++) {
        if (ca->names[i] != resp->headers[i].name || ca->values[i] != resp->headers[i].value) {
            return false;
        }
    }
    return memcmp(ca->body, resp->body, resp->body_len) == 0;
}

static void cache_store(answer_cache_t *ca, const routes_response_t *resp, struct MHD_Response *mr)
{
    if (ca->mr != NULL) {
        MHD_destroy_response(ca->mr); /* connections still sending it keep theirs */
    }
    ca->mr = mr;
    ca->status = resp->status;
    ca->close = resp->close;
    ca->content_type = resp->content_type;
    ca->n_headers = resp->n_headers;
    for (int i = 0; i < resp->n_headers; i++) {
        ca->names[i] = resp->headers[i].name;
        ca->values[i] = resp->headers[i].value;
    }
    ca->body_len = resp->body_len;
    memcpy(ca->body, resp->body, resp->body_len);
}

/* Ends one counted search; the last one to end during a drain tells main.
 * MHD thread only. */
static void release_search(server_t *srv)
{
    if (atomic_fetch_sub(&srv->searches, 1) == 1 && atomic_load(&srv->draining) &&
        srv->drained != NULL) {
        srv->drained(srv->drained_arg);
    }
}

static enum MHD_Result queue_answer(request_t *r, struct MHD_Connection *c)
{
    routes_response_t *resp = &r->resp;
    /* A search accepted before the drain began is answered after it: close
     * that connection too, or a pooling proxy would reuse a connection that
     * server_stop() is about to close. */
    if (atomic_load(&r->srv->draining)) {
        resp->close = true;
    }
    size_t len = resp->body != NULL ? resp->body_len : 0;
    answer_cache_t *ca = cacheable(resp) ? &r->srv->cache[resp->route] : NULL;
    struct MHD_Response *mr;
    if (ca != NULL && cache_matches(ca, resp)) {
        mr = ca->mr;
    } else {
        mr = build_response(resp);
        if (mr == NULL) {
            httpd_log(HTTPD_LOG_ERROR, "out of memory for a response; closing the connection");
            return MHD_NO;
        }
        if (ca != NULL) {
            cache_store(ca, resp, mr); /* the cache keeps our reference */
        }
    }
    enum MHD_Result ok = MHD_queue_response(c, (unsigned)resp->status, mr);
    if (ca == NULL) {
        MHD_destroy_response(mr);
    }
    r->status = resp->status;
    r->bytes = strcmp(r->method, "HEAD") == 0 ? 0 : len; /* MHD sends no body */
    r->phase = PHASE_ANSWERED;
    return ok;
}

/* Runs on a search thread. After MHD_resume_connection the request belongs
 * to the MHD thread again and may be freed at once: touch nothing after. */
static void search_done(pool_job_t *job)
{
    request_t *r = job->arg;
    r->queue_ms = job->start_ms - job->submit_ms;
    routes_play_finish(r->play, r->srv->metrics, &r->resp);
    MHD_resume_connection(r->conn);
}

static enum MHD_Result start_search(request_t *r, struct MHD_Connection *c)
{
    server_t *srv = r->srv;
    r->play->job.done = search_done;
    r->play->job.arg = r;
    r->phase = PHASE_SEARCHING;
    /* Suspend before submitting: a fast search thread must never resume a
     * connection that is not suspended yet. */
    MHD_suspend_connection(c);
    if (pool_submit(srv->pool, &r->play->job) != POOL_OK) {
        /* Cannot happen while this thread is the only submitter and checked
         * for room; answer 503 rather than trust that. The resumed call
         * queues it (PHASE_SEARCHING). */
        routes_response_clear(&r->resp);
        r->resp.status = 503;
        pool_stats_t ps;
        pool_stats(srv->pool, &ps);
        PROBES_QUEUE_FULL(metrics_route_name(r->resp.route), ps.queued, ps.capacity, 1);
        MHD_resume_connection(c);
    }
    return MHD_YES;
}

/* The decoded value of query parameter key: NULL when absent, "" when given
 * without a value ("?key"). A value with a NUL byte (%00) comes back as the
 * text "%00", so that it is refused rather than read up to the NUL. */
static const char *query_value(struct MHD_Connection *c, const char *key)
{
    const char *value = NULL;
    size_t len = 0;
    if (MHD_lookup_connection_value_n(c, MHD_GET_ARGUMENT_KIND, key, strlen(key), &value, &len) !=
        MHD_YES) {
        return NULL;
    }
    if (value == NULL) {
        return "";
    }
    return strlen(value) == len ? value : "%00";
}

static enum MHD_Result answer(request_t *r, struct MHD_Connection *c, const char *method,
                              const char *url)
{
    server_t *srv = r->srv;
    routes_request_t req = {
        .method = method,
        .path = url,
        .content_type =
            MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE),
        .if_none_match =
            MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH),
        .body = r->body,
        .body_len = r->len,
        .body_too_large = r->too_large,
    };
    if (strcmp(url, "/ready") == 0) {
        req.queue_param = query_value(c, "queue");
    }
    /* A move request counts as a search before the snapshot reads
     * `draining`: either the snapshot sees the drain (and answers 503) or
     * the drain sees this search and waits for it. Counting only once the
     * search starts left a window in which the drain could finish and stop
     * libmicrohttpd with this connection suspended. */
    bool maybe_search = routes_may_search(method, url);
    if (maybe_search) {
        atomic_fetch_add(&srv->searches, 1);
    }
    routes_env_t env;
    snapshot(srv, &env);
    if (routes_handle(&req, &env, &r->resp, &r->play) == ROUTES_SEARCH) {
        free(r->body); /* the record is decoded; the text is no longer needed */
        r->body = NULL;
        r->len = r->cap = 0;
        r->counted_search = true; /* released when the request completes */
        return start_search(r, c);
    }
    if (maybe_search) {
        release_search(srv);
    }
    /* Any route that refuses work because the pool is full (the /ready
     * probe's 503 "full" is a state, not a refusal). */
    if (r->resp.status == 503 && !env.pool_has_room && !env.gauges.draining &&
        r->resp.route != METRICS_ROUTE_READY) {
        PROBES_QUEUE_FULL(metrics_route_name(r->resp.route), env.gauges.queued,
                          env.gauges.queue_capacity, env.retry_after_s);
    }
    return queue_answer(r, c);
}

static unsigned long long content_length(struct MHD_Connection *c, bool *present)
{
    const char *v = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    *present = false;
    if (v == NULL) {
        return 0;
    }
    char *end;
    errno = 0;
    unsigned long long n = strtoull(v, &end, 10);
    if (errno != 0 || end == v) {
        return 0; /* libmicrohttpd has already refused malformed lengths */
    }
    *present = true;
    return n;
}

/* The first n bytes of text (at most outlen - 1), NUL-terminated in out. */
static void copy_text(const char *text, size_t n, char *out, size_t outlen)
{
    if (n >= outlen) {
        n = outlen - 1;
    }
    memcpy(out, text, n);
    out[n] = '\0';
}

static request_t *new_request(server_t *srv, struct MHD_Connection *c, const char *method,
                              const char *url)
{
    /* Not calloc: most of a request is buffers that are written before
     * they are read; zeroing them showed up in profiles of /health. */
    request_t *r = malloc(sizeof(*r));
    if (r == NULL) {
        return NULL;
    }
    r->srv = srv;
    r->conn = c;
    r->phase = PHASE_RECEIVING;
    r->too_large = false;
    r->counted_search = false;
    r->body = NULL;
    r->len = r->cap = 0;
    r->play = NULL;
    r->queue_ms = 0;
    r->status = 0;
    r->bytes = 0;
    r->start_ms = pool_now_ms();
    routes_response_init(&r->resp);
    copy_text(method, strlen(method), r->method, sizeof(r->method));
    copy_text(url, strlen(url), r->path, sizeof(r->path));
    PROBES_REQUEST_START(r->method, r->path);
    r->peer.sa.sa_family = AF_UNSPEC;
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (ci != NULL && ci->client_addr != NULL) {
        if (ci->client_addr->sa_family == AF_INET) {
            memcpy(&r->peer.in, ci->client_addr, sizeof(r->peer.in));
        } else if (ci->client_addr->sa_family == AF_INET6) {
            memcpy(&r->peer.in6, ci->client_addr, sizeof(r->peer.in6));
        }
    }
    /* The first X-Forwarded-For entry is the client as the proxy saw it. */
    const char *xff = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-For");
    copy_text(xff != NULL ? xff : "", xff != NULL ? strcspn(xff, ", ") : 0, r->forwarded,
              sizeof(r->forwarded));
    r->buffer_body = routes_may_search(method, url);
    return r;
}

static void append_body(request_t *r, const char *data, size_t size)
{
    size_t max_body = r->srv->cfg->max_body;
    if (!r->buffer_body || r->too_large) {
        return; /* read and dropped */
    }
    if (r->len + size > max_body) {
        r->too_large = true;
        free(r->body);
        r->body = NULL;
        r->len = r->cap = 0;
        return;
    }
    if (r->len + size > r->cap) {
        size_t cap = r->cap > 0 ? r->cap : 4096;
        while (cap < r->len + size) {
            cap *= 2;
        }
        if (cap > max_body) {
            cap = max_body;
        }
        char *b = realloc(r->body, cap);
        if (b == NULL) {
            r->too_large = true; /* answered as 413: the body cannot be held */
            free(r->body);
            r->body = NULL;
            r->len = r->cap = 0;
            return;
        }
        r->body = b;
        r->cap = cap;
    }
    memcpy(r->body + r->len, data, size);
    r->len += size;
}

static enum MHD_Result access_handler(void *cls, struct MHD_Connection *c, const char *url,
                                      const char *method, const char *version,
                                      const char *upload_data, size_t *upload_data_size,
                                      void **req_cls)
{
    server_t *srv = cls;
    request_t *r = *req_cls;
    if (r == NULL) {
        r = new_request(srv, c, method, url);
        if (r == NULL) {
            return MHD_NO;
        }
        *req_cls = r;
        atomic_fetch_add(&srv->in_flight, 1);
        bool has_length;
        unsigned long long length = content_length(c, &has_length);
        const char *expect =
            MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_EXPECT);
        bool waits = expect != NULL && strcasecmp(expect, "100-continue") == 0;
        /* Refuse at once what will not be read: a client that waits for
         * "100 Continue" never sends the body, and one announcing more than
         * the discard limit should not make us read it. */
        if (has_length && ((waits && r->buffer_body && length > srv->cfg->max_body) ||
                           length > srv->discard_limit)) {
            r->too_large = r->buffer_body;
            return answer(r, c, method, url);
        }
        return MHD_YES;
    }
    if (*upload_data_size > 0) {
        if (r->phase == PHASE_RECEIVING) {
            append_body(r, upload_data, *upload_data_size);
        }
        *upload_data_size = 0;
        return MHD_YES;
    }
    switch (r->phase) {
    case PHASE_RECEIVING:
        return answer(r, c, method, url);
    case PHASE_SEARCHING:
        /* Resumed: the search thread has written the answer. */
        return queue_answer(r, c);
    case PHASE_ANSWERED:
        break;
    }
    return MHD_YES;
}

/* Health checks and scrapes (HAProxy, Kubernetes, Prometheus) come every
 * few seconds from every checker: tens of thousands of access lines a day
 * per instance that say nothing. Their ordinary answers (GET or HEAD of
 * /health, /ready or /metrics, answered 200, or 503 by /ready) are logged
 * at debug; everything else stays at info, including a wrong method or a
 * bad parameter on those paths, a 500, or a checker that went away. */
static httpd_log_level_t access_level(const request_t *r, enum MHD_RequestTerminationCode toe)
{
    metrics_route_t route = r->resp.route;
    bool probe = route == METRICS_ROUTE_HEALTH || route == METRICS_ROUTE_READY ||
                 route == METRICS_ROUTE_METRICS;
    bool get = strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0;
    bool routine = r->status == 200 || (r->status == 503 && route == METRICS_ROUTE_READY);
    if (probe && get && routine && toe == MHD_REQUEST_TERMINATED_COMPLETED_OK) {
        return HTTPD_LOG_DEBUG;
    }
    return HTTPD_LOG_INFO;
}

static void log_access(const request_t *r, httpd_log_level_t level, double dur_ms,
                       enum MHD_RequestTerminationCode toe)
{
    char peer[INET6_ADDRSTRLEN] = "-";
    if (r->peer.sa.sa_family == AF_INET) {
        inet_ntop(AF_INET, &r->peer.in.sin_addr, peer, sizeof(peer));
    } else if (r->peer.sa.sa_family == AF_INET6) {
        inet_ntop(AF_INET6, &r->peer.in6.sin6_addr, peer, sizeof(peer));
    }
    char method[sizeof(r->method)], path[sizeof(r->path)], forwarded[sizeof(r->forwarded)];
    httpd_log_escape(r->method, method, sizeof(method));
    httpd_log_escape(r->path, path, sizeof(path));
    httpd_log_escape(r->forwarded, forwarded, sizeof(forwarded));
    httpd_log(level,
              "access client=%s peer=%s method=%s path=%s status=%d bytes=%zu "
              "dur_ms=%.1f queue_ms=%.1f%s",
              forwarded[0] != '\0' ? forwarded : peer, peer, method, path, r->status, r->bytes,
              dur_ms, r->queue_ms, toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " aborted=1");
}

static void request_completed(void *cls, struct MHD_Connection *c, void **req_cls,
                              enum MHD_RequestTerminationCode toe)
{
    server_t *srv = cls;
    request_t *r = *req_cls;
    if (r == NULL) {
        return;
    }
    *req_cls = NULL;
    double dur = pool_now_ms() - r->start_ms;
    if (r->status != 0) {
        metrics_count_request(srv->metrics, r->resp.route, r->status);
    }
    PROBES_REQUEST_DONE(metrics_route_name(r->resp.route), r->status, (long)(dur * 1000.0),
                        r->method, r->path);
    httpd_log_level_t level = access_level(r, toe);
    if (httpd_log_enabled(level)) {
        log_access(r, level, dur, toe);
    }
    routes_response_clear(&r->resp);
    routes_play_free(r->play);
    free(r->body);
    bool search = r->counted_search;
    free(r);
    atomic_fetch_sub(&srv->in_flight, 1);
    if (search) {
        release_search(srv);
    }
}

bool server_start(const server_options_t *opt, int listen_fd, server_t **out, char *err,
                  size_t errlen)
{
    server_t *srv = calloc(1, sizeof(*srv));
    if (srv == NULL) {
        close(listen_fd);
        snprintf(err, errlen, "out of memory");
        return false;
    }
    srv->cfg = opt->cfg;
    srv->pool = opt->pool;
    srv->metrics = opt->metrics;
    srv->start_ms = opt->start_ms;
    srv->drained = opt->drained;
    srv->drained_arg = opt->drained_arg;
    srv->listen_fd = listen_fd;
    srv->inherited_listener = opt->inherited_listener;
    srv->quiesced_fd = -1;
    srv->discard_limit = opt->cfg->max_body * 4;
    if (srv->discard_limit < DISCARD_LIMIT_MIN) {
        srv->discard_limit = DISCARD_LIMIT_MIN;
    }
    /* poll(), not epoll: libmicrohttpd 0.9.75's edge-triggered epoll mode
     * (1) misses the end of stream of a client that sends part of a request
     * and closes at once (a short read clears "read-ready" and no new edge
     * comes), holding the slot until the idle timeout: a few hundred such
     * connections a minute took every slot; (2) stopped serving entirely
     * once more clients than --max-connections connected (0 of 3000
     * answers in 30 s). Level-triggered poll() has neither problem, still
     * sleeps without a timeout when idle, and costs nothing measurable at
     * our connection counts (wrk /health: ~55k req/s either way).
     * Regression tests: tests/integration/test_reliability_hostile.py
     * (DroppedMidRequest, OverConnectionLimit). */
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL | MHD_ALLOW_SUSPEND_RESUME |
                     MHD_USE_ITC | MHD_USE_ERROR_LOG;
    srv->mhd = MHD_start_daemon(
        flags, (uint16_t)opt->cfg->port, NULL, NULL, access_handler, srv,
        MHD_OPTION_EXTERNAL_LOGGER, mhd_logger, srv, MHD_OPTION_LISTEN_SOCKET, listen_fd,
        MHD_OPTION_CONNECTION_LIMIT, opt->cfg->max_connections, MHD_OPTION_CONNECTION_TIMEOUT,
        opt->cfg->idle_timeout_s, MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONNECTION_MEMORY,
        MHD_OPTION_NOTIFY_COMPLETED, request_completed, srv, MHD_OPTION_END);
    if (srv->mhd == NULL) {
        snprintf(err, errlen, "libmicrohttpd could not start (see the log above)");
        close(listen_fd);
        free(srv);
        return false;
    }
    *out = srv;
    return true;
}

void server_begin_drain(server_t *srv)
{
    srv->drain_start_ms = pool_now_ms();
    atomic_store(&srv->draining, true);
    PROBES_DRAIN_START(atomic_load(&srv->searches), atomic_load(&srv->in_flight));
    MHD_socket fd = MHD_quiesce_daemon(srv->mhd);
    if (fd != MHD_INVALID_SOCKET) {
        srv->quiesced_fd = fd;
        /* Quiescing only stops accept(); the kernel would still complete
         * handshakes into the backlog, where clients wait for nothing until
         * we exit. shutdown() takes the socket out of LISTEN so they are
         * refused at once and the load balancer retries elsewhere. The fd
         * itself stays open (closed after MHD_stop_daemon), so its number
         * cannot be reused under the MHD thread. An inherited socket is
         * shared with systemd, and shutdown() acts on the socket, not on
         * our descriptor: it would stop listening for the next instance
         * too. There the backlog is the point: those clients are served
         * by the next instance. */
        if (!srv->inherited_listener) {
            shutdown(fd, SHUT_RDWR);
        }
    }
}

bool server_draining(server_t *srv)
{
    return atomic_load(&srv->draining);
}

int server_searches(server_t *srv)
{
    return atomic_load(&srv->searches);
}

unsigned server_in_flight(server_t *srv)
{
    return atomic_load(&srv->in_flight);
}

void server_stop(server_t *srv)
{
    if (srv == NULL) {
        return;
    }
    /* What the drain did not answer is closed by MHD_stop_daemon. */
    if (atomic_load(&srv->draining)) {
        PROBES_DRAIN_DONE((long)(pool_now_ms() - srv->drain_start_ms),
                          atomic_load(&srv->in_flight));
    }
    MHD_stop_daemon(srv->mhd);
    for (int i = 0; i < METRICS_N_ROUTES; i++) {
        if (srv->cache[i].mr != NULL) {
            MHD_destroy_response(srv->cache[i].mr);
        }
    }
    if (srv->quiesced_fd >= 0) {
        close(srv->quiesced_fd);
    }
    free(srv);
}
