/* Live output: plain progress lines at each tenth of the games when not on a
 * terminal, a bar that is erased before any other line when on one, and
 * game lines on their own stream. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/progress.h"

struct streams {
    char *lines_text, *display_text;
    size_t lines_len, display_len;
    FILE *lines, *display;
};

static void open_streams(struct streams *s)
{
    memset(s, 0, sizeof(*s));
    s->lines = open_memstream(&s->lines_text, &s->lines_len);
    s->display = open_memstream(&s->display_text, &s->display_len);
    assert_non_null(s->lines);
    assert_non_null(s->display);
}

static void close_streams(struct streams *s)
{
    fclose(s->lines);
    fclose(s->display);
}

static void free_streams(struct streams *s)
{
    free(s->lines_text);
    free(s->display_text);
}

static int count(const char *text, const char *needle)
{
    int n = 0;
    for (const char *p = strstr(text, needle); p != NULL; p = strstr(p + 1, needle)) {
        n++;
    }
    return n;
}

static void test_plain_lines_each_tenth(void **state)
{
    struct streams s;
    open_streams(&s);
    client_progress_t p;
    assert_int_equal(client_progress_init(&p, s.lines, s.display, CLIENT_PROGRESS_LINES, 20), 0);
    for (int g = 0; g < 20; g++) {
        client_progress_move(&p);
        char line[32];
        snprintf(line, sizeof(line), "game %d/20", g + 1);
        client_progress_game(&p, line, g == 4);
    }
    client_progress_destroy(&p);
    close_streams(&s);
    assert_int_equal(count(s.lines_text, "game "), 20);
    /* Ten progress lines, no terminal control characters. */
    assert_int_equal(count(s.display_text, "progress: "), 10);
    assert_non_null(strstr(s.display_text, "progress: 2/20 games, 2 moves"));
    assert_non_null(strstr(s.display_text, "progress: 20/20 games, 20 moves"));
    assert_non_null(strstr(s.display_text, "1 error\n"));
    assert_null(strchr(s.display_text, '\r'));
    assert_null(strchr(s.display_text, '\033'));
    free_streams(&s);
}

static void test_bar_is_erased_before_lines(void **state)
{
    struct streams s;
    open_streams(&s);
    client_progress_t p;
    /* One stream for both, as on a terminal where stdout and stderr mix. */
    assert_int_equal(client_progress_init(&p, s.display, s.display, CLIENT_PROGRESS_BAR, 4), 0);
    client_progress_move(&p);
    client_progress_game(&p, "game 1/4: X won", false);
    client_progress_print(&p, true, "game 2/4: FAILED");
    client_progress_destroy(&p);
    close_streams(&s);
    const char *t = s.display_text;
    assert_non_null(strstr(t, "[#######.......................] 1/4 games"));
    /* Every printed line starts on an erased line. */
    assert_non_null(strstr(t, "\r\033[Kgame 1/4: X won\n"));
    assert_non_null(strstr(t, "\r\033[Kgame 2/4: FAILED\n"));
    /* And the bar is gone at the end. */
    assert_true(s.display_len >= 4);
    assert_string_equal(t + s.display_len - 4, "\r\033[K");
    free_streams(&s);
}

static void test_none_prints_only_lines(void **state)
{
    struct streams s;
    open_streams(&s);
    client_progress_t p;
    assert_int_equal(client_progress_init(&p, s.lines, s.display, CLIENT_PROGRESS_NONE, 2), 0);
    client_progress_move(&p);
    client_progress_game(&p, "game 1/2", false);
    client_progress_game(&p, NULL, true);
    client_progress_destroy(&p);
    close_streams(&s);
    assert_string_equal(s.lines_text, "game 1/2\n");
    assert_int_equal(s.display_len, 0);
    free_streams(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_lines_each_tenth),
        cmocka_unit_test(test_bar_is_erased_before_lines),
        cmocka_unit_test(test_none_prints_only_lines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
