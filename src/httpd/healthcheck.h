/*
 * healthcheck.h: `gomoku-httpd --health-check`, the container health check.
 *
 * An image built FROM scratch has no shell and no curl, so the daemon's own
 * binary asks a running daemon for GET /health. Who calls it: main(), in
 * place of serving. Blocking, bounded by HEALTHCHECK_TIMEOUT_MS per step.
 */
#ifndef GOMOKU_HTTPD_HEALTHCHECK_H
#define GOMOKU_HTTPD_HEALTHCHECK_H

#include <stdbool.h>
#include <stdio.h>

#define HEALTHCHECK_TIMEOUT_MS 5000

/* Sends GET /health to host:port (a wildcard address, 0.0.0.0 or ::, is
 * asked on its loopback address) and writes one line saying what it got to
 * out. Returns the exit status: 0 when the answer is 200, 1 otherwise
 * (refused, timed out, another status, not HTTP). */
int healthcheck_run(const char *host, bool ipv6, int port, FILE *out);

#endif
