/*
 * tactics_file.h: reads the tactical suite's position files
 * (tests/data/tactics/<name>.txt; the format is in docs/tactics.md and in
 * tests/data/tactics/README.md).
 *
 * Who calls it: the verifier (tests/tactics/tactics_verify.c), the engine's
 * tactical test (tests/unit/test_tactics.c) and bench/tactics_bench.c. No
 * dependency on the engine or on the solver. No global state.
 */
#ifndef GOMOKU_TACTICS_FILE_H
#define GOMOKU_TACTICS_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TACTIC_MAX_SIZE    25
#define TACTIC_MAX_ANSWERS 128

typedef struct tactic {
    char name[128]; /* file name without directory */
    int size;
    int rule;    /* 0 freestyle (five or more wins), 1 standard (exactly five) */
    int to_move; /* 1 black (X), 2 white (O) */
    char kind[16];
    char tags[128];
    int length; /* shortest win or threat length in attacker moves; 0 if not given */
    int n_answers;
    int answers[TACTIC_MAX_ANSWERS];                 /* cells, y * size + x */
    uint8_t cell[TACTIC_MAX_SIZE * TACTIC_MAX_SIZE]; /* 0 empty, 1 black, 2 white */
    char comment[512];
} tactic_t;

/* Loads one position file. Returns true on success; on failure writes a
 * message naming the file and line into err. */
bool tactic_load(const char *path, tactic_t *t, char *err, size_t err_cap);

/* Lists the *.txt files of dir, sorted by name, as full paths. Returns the
 * count (0 on error) and sets *paths to an array the caller frees with
 * tactic_free_list(). */
int tactic_list(const char *dir, char ***paths);
void tactic_free_list(char **paths, int n);

/* Is cell one of the accepted answers? */
bool tactic_accepts(const tactic_t *t, int cell);

/* Does the tags field contain this tag (whole word)? */
bool tactic_has_tag(const tactic_t *t, const char *tag);

#endif
