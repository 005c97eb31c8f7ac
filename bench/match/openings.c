#include "match/openings.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Reads a non-negative decimal number of at most 4 digits at *p. */
static bool read_number(const char **p, int *out)
{
    const char *s = *p;
    int v = 0, digits = 0;
    while (isdigit((unsigned char)*s)) {
        if (++digits > 4)
            return false;
        v = v * 10 + (*s - '0');
        s++;
    }
    if (digits == 0)
        return false;
    *p = s;
    *out = v;
    return true;
}

/* Parses one line (without its newline, comment already cut). Returns false
 * with err filled on a bad stone; o->n == 0 for a blank line. */
static bool parse_line(const char *s, const char *where, int size, match_opening_t *o, char *err,
                       size_t err_cap)
{
    bool used[128 * 128] = {false}; /* sized for any board this tool accepts */
    o->n = 0;
    for (;;) {
        while (*s == ' ' || *s == '\t' || *s == '\r')
            s++;
        if (*s == '\0')
            return true;
        const char *tok = s;
        size_t len = strcspn(s, " \t\r");
        int x, y;
        const char *p = s;
        bool ok = read_number(&p, &x) && *p == ',' && (p++, read_number(&p, &y)) &&
                  (size_t)(p - s) == len;
        if (!ok) {
            snprintf(err, err_cap, "%s: bad stone '%.*s' (expected x,y with 0-based numbers)",
                     where, (int)(len > 40 ? 40 : len), tok);
            return false;
        }
        if (x >= size || y >= size) {
            snprintf(err, err_cap, "%s: stone %d,%d is off the %dx%d board", where, x, y, size,
                     size);
            return false;
        }
        if (used[y * 128 + x]) {
            snprintf(err, err_cap, "%s: stone %d,%d is played twice", where, x, y);
            return false;
        }
        if (o->n == MATCH_OPENING_MAX) {
            snprintf(err, err_cap, "%s: more than %d stones", where, MATCH_OPENING_MAX);
            return false;
        }
        used[y * 128 + x] = true;
        o->x[o->n] = x;
        o->y[o->n] = y;
        o->n++;
        s += len;
    }
}

bool match_openings_parse(const char *text, const char *name, int size, match_openings_t *out,
                          char *err, size_t err_cap)
{
    out->n = 0;
    out->items = NULL;
    int cap = 0, line_no = 0;
    const char *s = text;
    char line[4096];
    while (*s) {
        size_t len = strcspn(s, "\n");
        line_no++;
        char where[256];
        snprintf(where, sizeof(where), "%s:%d", name, line_no);
        if (len >= sizeof(line)) {
            snprintf(err, err_cap, "%s: line longer than %zu bytes", where, sizeof(line) - 1);
            match_openings_free(out);
            return false;
        }
        memcpy(line, s, len);
        line[len] = '\0';
        s += len + (s[len] == '\n');
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        match_opening_t o;
        if (!parse_line(line, where, size, &o, err, err_cap)) {
            match_openings_free(out);
            return false;
        }
        if (o.n == 0)
            continue;
        o.line = line_no;
        if (out->n == cap) {
            cap = cap ? 2 * cap : 64;
            match_opening_t *grown = realloc(out->items, (size_t)cap * sizeof(*grown));
            if (!grown) {
                snprintf(err, err_cap, "%s: out of memory", name);
                match_openings_free(out);
                return false;
            }
            out->items = grown;
        }
        out->items[out->n++] = o;
    }
    if (out->n == 0) {
        snprintf(err, err_cap, "%s: no opening in the file", name);
        match_openings_free(out);
        return false;
    }
    return true;
}

bool match_openings_load(const char *path, int size, match_openings_t *out, char *err,
                         size_t err_cap)
{
    FILE *f = fopen(path, "re");
    if (!f) {
        snprintf(err, err_cap, "%s: %s", path, strerror(errno));
        return false;
    }
    size_t cap = 1 << 16, len = 0;
    char *text = malloc(cap);
    while (text) {
        if (len + 1 == cap) {
            char *grown = cap < (64u << 20) ? realloc(text, cap * 2) : NULL;
            if (!grown) {
                free(text);
                text = NULL;
                break;
            }
            text = grown;
            cap *= 2;
        }
        size_t got = fread(text + len, 1, cap - 1 - len, f);
        len += got;
        if (got == 0)
            break;
    }
    bool read_error = ferror(f);
    fclose(f);
    if (!text || read_error) {
        snprintf(err, err_cap, "%s: %s", path, text ? "read error" : "too large or out of memory");
        free(text);
        return false;
    }
    text[len] = '\0';
    if (strlen(text) != len) {
        snprintf(err, err_cap, "%s: contains a NUL byte (not a text file)", path);
        free(text);
        return false;
    }
    bool ok = match_openings_parse(text, path, size, out, err, err_cap);
    free(text);
    return ok;
}

void match_openings_free(match_openings_t *o)
{
    free(o->items);
    o->items = NULL;
    o->n = 0;
}

void match_opening_format(const match_opening_t *o, char *out, size_t cap)
{
    size_t used = 0;
    out[0] = '\0';
    for (int i = 0; i < o->n && used < cap; i++) {
        int w = snprintf(out + used, cap - used, "%s%d,%d", i ? " " : "", o->x[i], o->y[i]);
        if (w < 0)
            break;
        used += (size_t)w;
    }
}
