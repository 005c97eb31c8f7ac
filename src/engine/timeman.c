/*
 * timeman.c: time limits of one search. See timeman.h.
 */
#include "engine/timeman.h"

#include <time.h>

int64_t timeman_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void timeman_start(timeman_t *tm, int64_t budget_ms, const atomic_bool *stop)
{
    tm->start_ns = timeman_now_ns();
    tm->stop = stop;
    tm->soft_ns = tm->hard_ns = 0;
    if (budget_ms > 0) {
        int64_t margin_ms = budget_ms / 50;
        if (margin_ms < 1)
            margin_ms = 1;
        if (margin_ms > 20)
            margin_ms = 20;
        int64_t hard_ms = budget_ms - margin_ms;
        if (hard_ms < 1)
            hard_ms = 1;
        tm->hard_ns = tm->start_ns + hard_ms * 1000000;
        tm->soft_ns = tm->start_ns + budget_ms * 1000000 * TIMEMAN_SOFT_PERCENT / 100;
    }
}

bool timeman_poll(const timeman_t *tm)
{
    if (tm->stop && atomic_load_explicit(tm->stop, memory_order_relaxed))
        return true;
    return tm->hard_ns && timeman_now_ns() >= tm->hard_ns;
}

double timeman_elapsed_ms(const timeman_t *tm)
{
    return (double)(timeman_now_ns() - tm->start_ns) / 1e6;
}

bool timeman_may_start(const timeman_t *tm, int64_t predicted_ns)
{
    if (timeman_poll(tm))
        return false;
    if (!tm->soft_ns)
        return true;
    int64_t now = timeman_now_ns();
    if (now < tm->soft_ns)
        return true;
    int64_t end = tm->hard_ns - (tm->hard_ns - tm->start_ns) / 10;
    return predicted_ns >= 0 && now + predicted_ns <= end;
}
