/*
 * progress.h: everything the client prints while games run.
 *
 * Game lines and verbose move lines go to one stream (stdout); the progress
 * display goes to another (stderr). On a terminal it is one bar, redrawn in
 * place ("\r", erase line) when something happens but at most every 100 ms,
 * and erased before any other line is printed so output never interleaves
 * with it. Elsewhere (CI logs, pipes) it is a plain line each time another
 * tenth of the games has finished. Nothing runs in the background: the
 * display changes only when a worker reports an event, so an idle client
 * makes no wake-ups. All calls are thread-safe (one mutex).
 */
#ifndef GOMOKU_CLIENT_PROGRESS_H
#define GOMOKU_CLIENT_PROGRESS_H

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>

typedef enum client_progress_style {
    CLIENT_PROGRESS_NONE = 0,
    CLIENT_PROGRESS_BAR,
    CLIENT_PROGRESS_LINES
} client_progress_style_t;

typedef struct client_progress {
    pthread_mutex_t lock;
    FILE *lines, *display;
    client_progress_style_t style;
    int games_total, games_done, errors;
    long moves;
    double start_ms, last_draw_ms;
    int last_tenth; /* LINES: the last tenth of the games reported */
    bool bar_shown;
} client_progress_t;

/* Sets up printing of game lines to `lines` and progress to `display` in
 * the given style. Returns 0, or -1 when the mutex cannot be created. */
int client_progress_init(client_progress_t *p, FILE *lines, FILE *display,
                         client_progress_style_t style, int games_total);

/* Erases the bar, if any, and releases the mutex. */
void client_progress_destroy(client_progress_t *p);

/* A move was played (by either side). */
void client_progress_move(client_progress_t *p);

/* A game ended: line (may be NULL) is printed, then the display updated. */
void client_progress_game(client_progress_t *p, const char *line, bool failed);

/* Prints a line (newline added) to `lines`, or to `display` when to_display
 * (errors), without tearing the bar. */
void client_progress_print(client_progress_t *p, bool to_display, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Moves per second over the run so far (the first second counts as a
 * whole one), for the display. */
double client_progress_rate(const client_progress_t *p, double now_ms);

#endif
