/*
 * tactics_file.c: parser of the tactical suite's position files.
 */
#include "tactics_file.h"

#include <ctype.h>
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static bool load_error(char *err, size_t cap, const char *path, int line, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    snprintf(err, cap, "%s:%d: %s", path, line, msg);
    return false;
}

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    return s;
}

/* "x,y x,y ..." -> cells. */
static bool parse_answers(char *v, tactic_t *t, char *err, size_t cap, const char *path, int ln)
{
    for (char *tok = strtok(v, " \t"); tok; tok = strtok(NULL, " \t")) {
        int x, y, used = 0;
        if (sscanf(tok, "%d,%d%n", &x, &y, &used) != 2 || tok[used] != '\0')
            return load_error(err, cap, path, ln, "bad answer \"%s\" (want x,y)", tok);
        if (t->size == 0)
            return load_error(err, cap, path, ln, "answers before size");
        if (x < 0 || y < 0 || x >= t->size || y >= t->size)
            return load_error(err, cap, path, ln, "answer %d,%d off the board", x, y);
        if (t->n_answers == TACTIC_MAX_ANSWERS)
            return load_error(err, cap, path, ln, "too many answers");
        t->answers[t->n_answers++] = y * t->size + x;
    }
    return true;
}

static bool header(char *key, char *v, tactic_t *t, char *err, size_t cap, const char *path, int ln)
{
    if (!strcmp(key, "size")) {
        t->size = atoi(v);
        if (t->size < 5 || t->size > TACTIC_MAX_SIZE)
            return load_error(err, cap, path, ln, "size %s out of range", v);
    } else if (!strcmp(key, "rule")) {
        if (!strcmp(v, "freestyle"))
            t->rule = 0;
        else if (!strcmp(v, "standard"))
            t->rule = 1;
        else
            return load_error(err, cap, path, ln, "rule must be freestyle or standard");
    } else if (!strcmp(key, "to-move")) {
        if (!strcasecmp(v, "X") || !strcasecmp(v, "black"))
            t->to_move = 1;
        else if (!strcasecmp(v, "O") || !strcasecmp(v, "white"))
            t->to_move = 2;
        else
            return load_error(err, cap, path, ln, "to-move must be X or O");
    } else if (!strcmp(key, "kind")) {
        snprintf(t->kind, sizeof(t->kind), "%s", v);
    } else if (!strcmp(key, "tags")) {
        snprintf(t->tags, sizeof(t->tags), "%s", v);
    } else if (!strcmp(key, "length")) {
        t->length = atoi(v);
    } else if (!strcmp(key, "answers")) {
        return parse_answers(v, t, err, cap, path, ln);
    } else if (!strcmp(key, "comment")) {
        size_t n = strlen(t->comment);
        snprintf(t->comment + n, sizeof(t->comment) - n, "%s%s", n ? " " : "", v);
    } else {
        return load_error(err, cap, path, ln, "unknown key \"%s\"", key);
    }
    return true;
}

bool tactic_load(const char *path, tactic_t *t, char *err, size_t cap)
{
    memset(t, 0, sizeof(*t));
    const char *base = strrchr(path, '/');
    snprintf(t->name, sizeof(t->name), "%s", base ? base + 1 : path);
    FILE *f = fopen(path, "r");
    if (!f)
        return load_error(err, cap, path, 0, "cannot open");
    char buf[512];
    int ln = 0, row = -1; /* row >= 0: reading board rows */
    bool ok = true;
    while (ok && fgets(buf, sizeof(buf), f)) {
        ln++;
        char *s = trim(buf);
        if (row < 0 && (!*s || *s == '#'))
            continue;
        if (row >= 0) {
            if (row == t->size) {
                if (*s && *s != '#')
                    ok = load_error(err, cap, path, ln, "text after the board");
                continue;
            }
            int col = 0;
            for (char *p = s; *p && ok; p++) {
                if (isspace((unsigned char)*p))
                    continue;
                int v = *p == '.'                  ? 0
                        : (*p == 'X' || *p == 'x') ? 1
                        : (*p == 'O' || *p == 'o') ? 2
                                                   : -1;
                if (v < 0)
                    ok = load_error(err, cap, path, ln, "bad board character '%c'", *p);
                else if (col >= t->size)
                    ok = load_error(err, cap, path, ln, "board row longer than %d", t->size);
                else
                    t->cell[row * t->size + col++] = (uint8_t)v;
            }
            if (ok && col != t->size)
                ok =
                    load_error(err, cap, path, ln, "board row has %d cells, want %d", col, t->size);
            row++;
            continue;
        }
        char *colon = strchr(s, ':');
        if (!colon) {
            ok = load_error(err, cap, path, ln, "expected key: value");
            break;
        }
        *colon = '\0';
        char *key = trim(s), *v = trim(colon + 1);
        if (!strcmp(key, "board")) {
            if (!t->size)
                ok = load_error(err, cap, path, ln, "board before size");
            row = 0;
        } else {
            ok = header(key, v, t, err, cap, path, ln);
        }
    }
    fclose(f);
    if (!ok)
        return false;
    if (row < t->size)
        return load_error(err, cap, path, ln, "board missing or short");
    if (!t->to_move || !t->kind[0] || !t->n_answers)
        return load_error(err, cap, path, ln, "to-move, kind and answers are required");
    for (int i = 0; i < t->n_answers; i++)
        if (t->cell[t->answers[i]])
            return load_error(err, cap, path, ln, "answer on an occupied cell");
    return true;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int tactic_list(const char *dir, char ***paths)
{
    *paths = NULL;
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int n = 0, cap = 0;
    char **v = NULL;
    for (struct dirent *e; (e = readdir(d));) {
        size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 4, ".txt") || e->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            char **nv = realloc(v, (size_t)cap * sizeof(*v));
            if (!nv)
                break;
            v = nv;
        }
        size_t plen = strlen(dir) + len + 2;
        v[n] = malloc(plen);
        if (!v[n])
            break;
        snprintf(v[n++], plen, "%s/%s", dir, e->d_name);
    }
    closedir(d);
    if (n)
        qsort(v, (size_t)n, sizeof(*v), by_name);
    *paths = v;
    return n;
}

void tactic_free_list(char **paths, int n)
{
    for (int i = 0; i < n; i++)
        free(paths[i]);
    free(paths);
}

bool tactic_accepts(const tactic_t *t, int cell)
{
    for (int i = 0; i < t->n_answers; i++)
        if (t->answers[i] == cell)
            return true;
    return false;
}

bool tactic_has_tag(const tactic_t *t, const char *tag)
{
    size_t n = strlen(tag);
    for (const char *p = t->tags; (p = strstr(p, tag)); p += n) {
        bool start = p == t->tags || isspace((unsigned char)p[-1]);
        bool end = !p[n] || isspace((unsigned char)p[n]);
        if (start && end)
            return true;
    }
    return false;
}
