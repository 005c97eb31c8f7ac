#include "client/progress.h"

#include <stdarg.h>
#include <string.h>
#include <time.h>

/* A bar redrawn more often than this only costs terminal output. */
#define REDRAW_MS 100.0
#define BAR_WIDTH 30

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

int client_progress_init(client_progress_t *p, FILE *lines, FILE *display,
                         client_progress_style_t style, int games_total)
{
    memset(p, 0, sizeof(*p));
    if (pthread_mutex_init(&p->lock, NULL) != 0) {
        return -1;
    }
    p->lines = lines;
    p->display = display;
    p->style = style;
    p->games_total = games_total;
    p->start_ms = now_ms();
    return 0;
}

double client_progress_rate(const client_progress_t *p, double now)
{
    /* Over the first second a rate is mostly noise (one move in 1 ms reads
     * as 1000 moves/s): count that second as a whole one. */
    double s = (now - p->start_ms) / 1000.0;
    return (double)p->moves / (s > 1.0 ? s : 1.0);
}

/* Caller holds the lock. */
static void erase_bar(client_progress_t *p)
{
    if (p->bar_shown) {
        fputs("\r\033[K", p->display);
        fflush(p->display);
        p->bar_shown = false;
    }
}

/* Caller holds the lock. */
static void draw_bar(client_progress_t *p, double now)
{
    int filled = p->games_total > 0 ? p->games_done * BAR_WIDTH / p->games_total : 0;
    char bar[BAR_WIDTH + 1];
    memset(bar, '#', (size_t)filled);
    memset(bar + filled, '.', (size_t)(BAR_WIDTH - filled));
    bar[BAR_WIDTH] = '\0';
    fprintf(p->display, "\r\033[K[%s] %d/%d games, %ld moves, %.1f moves/s, %d error%s", bar,
            p->games_done, p->games_total, p->moves, client_progress_rate(p, now), p->errors,
            p->errors == 1 ? "" : "s");
    fflush(p->display);
    p->bar_shown = true;
    p->last_draw_ms = now;
}

/* Caller holds the lock. force: draw even within REDRAW_MS of the last. */
static void update(client_progress_t *p, bool force)
{
    double now = now_ms();
    if (p->style == CLIENT_PROGRESS_BAR) {
        if (force || now - p->last_draw_ms >= REDRAW_MS) {
            draw_bar(p, now);
        }
    } else if (p->style == CLIENT_PROGRESS_LINES && p->games_total > 0) {
        int tenth = p->games_done * 10 / p->games_total;
        if (tenth > p->last_tenth) {
            p->last_tenth = tenth;
            fprintf(p->display, "progress: %d/%d games, %ld moves, %.1f moves/s, %d error%s\n",
                    p->games_done, p->games_total, p->moves, client_progress_rate(p, now),
                    p->errors, p->errors == 1 ? "" : "s");
            fflush(p->display);
        }
    }
}

void client_progress_destroy(client_progress_t *p)
{
    pthread_mutex_lock(&p->lock);
    erase_bar(p);
    pthread_mutex_unlock(&p->lock);
    pthread_mutex_destroy(&p->lock);
}

void client_progress_move(client_progress_t *p)
{
    pthread_mutex_lock(&p->lock);
    p->moves++;
    update(p, false);
    pthread_mutex_unlock(&p->lock);
}

void client_progress_game(client_progress_t *p, const char *line, bool failed)
{
    pthread_mutex_lock(&p->lock);
    p->games_done++;
    p->errors += failed;
    if (line != NULL) {
        erase_bar(p);
        fprintf(p->lines, "%s\n", line);
        fflush(p->lines);
    }
    update(p, true);
    pthread_mutex_unlock(&p->lock);
}

void client_progress_print(client_progress_t *p, bool to_display, const char *fmt, ...)
{
    pthread_mutex_lock(&p->lock);
    erase_bar(p);
    FILE *out = to_display ? p->display : p->lines;
    va_list ap;
    va_start(ap, fmt);
    vfprintf(out, fmt, ap);
    va_end(ap);
    fputc('\n', out);
    fflush(out);
    if (p->style == CLIENT_PROGRESS_BAR && p->games_done < p->games_total) {
        draw_bar(p, now_ms());
    }
    pthread_mutex_unlock(&p->lock);
}
