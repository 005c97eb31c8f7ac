/* Pattern tables against a slow reference classifier that walks the line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "engine/engine.h"
#include "engine/pattern.h"

/* Reference model: a line of 11 cells, centre at index 5, each 'E' empty,
 * 'O' own, 'B' blocked (opponent or wall). */
enum { REF_LEN = 11, REF_MID = 5 };

static int run_through_centre(const char *line)
{
    int len = 1;
    for (int i = REF_MID - 1; i >= 0 && line[i] == 'O'; i--)
        len++;
    for (int i = REF_MID + 1; i < REF_LEN && line[i] == 'O'; i++)
        len++;
    return len;
}

static bool ref_five(const char *line, engine_rule_t rule)
{
    int len = run_through_centre(line);
    return rule == ENGINE_RULE_FREESTYLE ? len >= 5 : len == 5;
}

/* Number of empty cells that would complete a five through the centre. */
static int ref_completions(char *line, engine_rule_t rule)
{
    int n = 0;
    for (int i = 0; i < REF_LEN; i++) {
        if (line[i] != 'E')
            continue;
        line[i] = 'O';
        n += ref_five(line, rule);
        line[i] = 'E';
    }
    return n;
}

/* The pattern of the line with an own stone already at the centre. */
static int ref_level(char *line, engine_rule_t rule)
{
    if (ref_five(line, rule))
        return PAT_F5;
    int n = ref_completions(line, rule);
    if (n >= 2)
        return PAT_F4;
    if (n == 1)
        return PAT_B4;
    int best = PAT_DEAD;
    for (int i = 0; i < REF_LEN; i++) {
        if (line[i] != 'E')
            continue;
        line[i] = 'O';
        int child = ref_level(line, rule);
        line[i] = 'E';
        /* One stone short of the child's shape. */
        int mine = child == PAT_F4   ? PAT_F3
                   : child == PAT_B4 ? PAT_B3
                   : child == PAT_F3 ? PAT_F2
                   : child == PAT_B3 ? PAT_B2
                   : child == PAT_F2 ? PAT_F1
                   : child == PAT_B2 ? PAT_B1
                                     : PAT_DEAD;
        if (mine > best)
            best = mine;
    }
    return best;
}

static int ref_pattern(const char *cells, engine_rule_t rule)
{
    char line[REF_LEN + 1];
    memcpy(line, cells, REF_LEN + 1);
    /* Freestyle looks 4 cells each side: a fifth cell can only lengthen a
     * five, which still wins, so the reference blocks it off as well. */
    if (rule == ENGINE_RULE_FREESTYLE)
        line[0] = line[REF_LEN - 1] = 'B';
    line[REF_MID] = 'O';
    return ref_level(line, rule);
}

/* Key of the line as seen by colour (cells: own = colour, blocked = the
 * other colour or a wall, as given by walls[]). */
static uint32_t key_of(const char *cells, int color, const bool *wall)
{
    uint32_t key = 0;
    for (int i = 0, slot = 0; i < REF_LEN; i++) {
        if (i == REF_MID)
            continue;
        uint32_t v = cells[i] == 'E'   ? 0
                     : cells[i] == 'O' ? (uint32_t)color
                     : wall[i]         ? 3u
                                       : (uint32_t)(3 - color);
        key |= v << (2 * slot++);
    }
    return key;
}

static uint64_t rng_state = 88172645463325252ull;
static unsigned next_rand(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (unsigned)(rng_state >> 11);
}

static int table_pattern(engine_rule_t rule, uint32_t key, int color)
{
    uint8_t both = pattern_table(rule)[pattern_index(rule, key)];
    return color == ENGINE_BLACK ? both & 15 : both >> 4;
}

/* table_rule: the table read; rule: the reference's rule for black (white
 * wins with five or more under renju). */
static void check_random_lines_of(engine_rule_t table_rule, int n)
{
    for (int t = 0; t < n; t++) {
        char cells[REF_LEN + 1] = {0};
        bool wall[REF_LEN] = {false};
        /* Walls come from the board edge: a run at one end. */
        int wl = next_rand() % 4 == 0 ? (int)(next_rand() % 6) : 0;
        int wr = next_rand() % 4 == 0 ? (int)(next_rand() % 6) : 0;
        int density = 2 + (int)(next_rand() % 5);
        for (int i = 0; i < REF_LEN; i++) {
            unsigned r = next_rand() % 10;
            cells[i] = r < (unsigned)density ? 'O' : r < (unsigned)density + 2 ? 'B' : 'E';
            if (i < wl || i >= REF_LEN - wr) {
                cells[i] = 'B';
                wall[i] = true;
            }
        }
        cells[REF_MID] = 'E';
        int want = -1;
        for (int color = ENGINE_BLACK; color <= ENGINE_WHITE; color++) {
            engine_rule_t rule = table_rule;
            if (table_rule == ENGINE_RULE_RENJU)
                rule = color == ENGINE_BLACK ? ENGINE_RULE_STANDARD : ENGINE_RULE_FREESTYLE;
            if (want < 0 || table_rule == ENGINE_RULE_RENJU)
                want = ref_pattern(cells, rule); /* the same for both colours but in renju */
            int got = table_pattern(table_rule, key_of(cells, color, wall), color);
            if (got != want)
                fail_msg("rule %d line %s colour %d: table %d, reference %d", table_rule, cells,
                         color, got, want);
        }
    }
}

static void test_random_lines_freestyle(void **state)
{
    check_random_lines_of(ENGINE_RULE_FREESTYLE, 40000);
}

static void test_random_lines_standard(void **state)
{
    check_random_lines_of(ENGINE_RULE_STANDARD, 40000);
}

/* Renju: black's patterns are exact five's, white's five or more's (two
 * references per line, so fewer lines: the same tables' code is covered
 * by the two tests above). */
static void test_random_lines_renju(void **state)
{
    check_random_lines_of(ENGINE_RULE_RENJU, 10000);
}

/* Hand-checked shapes; the centre (index 5) is where the stone goes. */
static void test_known_shapes(void **state)
{
    static const struct {
        const char *cells;
        engine_rule_t rule;
        int want;
    } cases[] = {
        {"EOOOOEEEEEE", ENGINE_RULE_FREESTYLE, PAT_F5},  /* XXXX + centre */
        {"OOOOOEEEEEE", ENGINE_RULE_STANDARD, PAT_DEAD}, /* only ever six or more */
        {"OOOOOEEEEEE", ENGINE_RULE_FREESTYLE, PAT_F5},  /* five or more */
        {"EEEOOEEEEEE", ENGINE_RULE_FREESTYLE, PAT_F3},  /* _XX+c_: open three */
        {"EEOOOEEEEEE", ENGINE_RULE_STANDARD, PAT_F4},   /* _XXX+c_: open four */
        {"BOOOEEBEEEE", ENGINE_RULE_FREESTYLE, PAT_B4},  /* OXXX_c O: one completion */
        {"EEEEBEBEEEE", ENGINE_RULE_FREESTYLE, PAT_DEAD},
        {"EEEEEEEEEEE", ENGINE_RULE_FREESTYLE, PAT_F1},
        {"EEEEOEOEEEE", ENGINE_RULE_FREESTYLE, PAT_F3}, /* X c X open */
        {"EEEBOEOOEEE", ENGINE_RULE_FREESTYLE, PAT_B4}, /* O X c X X _ */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int got = ref_pattern(cases[i].cells, cases[i].rule);
        if (got != cases[i].want)
            fail_msg("reference: %s rule %d: %d, want %d", cases[i].cells, cases[i].rule, got,
                     cases[i].want);
        bool wall[REF_LEN] = {false};
        got =
            table_pattern(cases[i].rule, key_of(cases[i].cells, ENGINE_BLACK, wall), ENGINE_BLACK);
        if (got != cases[i].want)
            fail_msg("table: %s rule %d: %d, want %d", cases[i].cells, cases[i].rule, got,
                     cases[i].want);
    }
}

static void test_combinations(void **state)
{
    const pattern_combo_t *cb = pattern_combos();
    assert_int_equal(cb[pattern_combo_index(PAT_F5, PAT_DEAD, PAT_DEAD, PAT_DEAD)].cls,
                     THREAT_FIVE);
    assert_int_equal(cb[pattern_combo_index(PAT_B4, PAT_DEAD, PAT_B4, PAT_DEAD)].cls, THREAT_FLEX4);
    assert_int_equal(cb[pattern_combo_index(PAT_F1, PAT_F4, PAT_DEAD, PAT_DEAD)].cls, THREAT_FLEX4);
    assert_int_equal(cb[pattern_combo_index(PAT_B4, PAT_F3, PAT_DEAD, PAT_DEAD)].cls, THREAT_B4F3);
    assert_int_equal(cb[pattern_combo_index(PAT_F3, PAT_F1, PAT_F3, PAT_DEAD)].cls, THREAT_F3X2);
    assert_int_equal(cb[pattern_combo_index(PAT_B4, PAT_F1, PAT_B1, PAT_DEAD)].cls, THREAT_B4);
    assert_int_equal(cb[pattern_combo_index(PAT_F1, PAT_B1, PAT_B1, PAT_DEAD)].cls, THREAT_NONE);
    /* Order independence: every permutation gives the same class. */
    for (int i = 0; i < PATTERN_COMBOS; i++) {
        int p[4] = {i / 1000, i / 100 % 10, i / 10 % 10, i % 10};
        assert_int_equal(cb[i].cls, cb[pattern_combo_index(p[3], p[1], p[2], p[0])].cls);
        assert_int_equal(cb[i].cls, cb[pattern_combo_index(p[1], p[0], p[3], p[2])].cls);
    }
}

int main(void)
{
    assert_int_equal(engine_init(), ENGINE_OK);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_shapes),          cmocka_unit_test(test_random_lines_freestyle),
        cmocka_unit_test(test_random_lines_standard), cmocka_unit_test(test_random_lines_renju),
        cmocka_unit_test(test_combinations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
