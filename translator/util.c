/* Memory, buffers, a name map, files and diagnostics: what every phase needs. */
#include "talc_translate.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int g_error_count;

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) {
        fprintf(stderr, "talc-translate: error: out of memory\n");
        exit(1);
    }
    return p;
}

void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p) {
        fprintf(stderr, "talc-translate: error: out of memory\n");
        exit(1);
    }
    return p;
}

char *xstrndup(const char *s, size_t n)
{
    char *d = xmalloc(n + 1);
    memcpy(d, s, n);
    d[n] = 0;
    return d;
}

char *xstrdup(const char *s) { return xstrndup(s, strlen(s)); }

void buf_add(Buf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1)
            cap *= 2;
        b->s = xrealloc(b->s, cap);
        b->cap = cap;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = 0;
}

void buf_puts(Buf *b, const char *s) { buf_add(b, s, strlen(s)); }
void buf_putc(Buf *b, char c) { buf_add(b, &c, 1); }

void buf_printf(Buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    char *tmp = xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(tmp, (size_t)n + 1, fmt, ap);
    va_end(ap);
    buf_add(b, tmp, (size_t)n);
    free(tmp);
}

void buf_free(Buf *b)
{
    free(b->s);
    b->s = NULL;
    b->len = b->cap = 0;
}

static size_t hash_name(const char *s, size_t n)
{
    size_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

static size_t map_slot(const NameMap *m, const char *key, size_t len)
{
    size_t i = hash_name(key, len) & (m->cap - 1);
    while (m->keys[i] && !(strlen(m->keys[i]) == len && memcmp(m->keys[i], key, len) == 0))
        i = (i + 1) & (m->cap - 1);
    return i;
}

void map_put(NameMap *m, const char *key, int val)
{
    if ((m->count + 1) * 2 > m->cap) {
        NameMap bigger = {0};
        bigger.cap = m->cap ? m->cap * 2 : 64;
        bigger.keys = calloc(bigger.cap, sizeof *bigger.keys);
        bigger.vals = calloc(bigger.cap, sizeof *bigger.vals);
        if (!bigger.keys || !bigger.vals) {
            fprintf(stderr, "talc-translate: error: out of memory\n");
            exit(1);
        }
        for (size_t i = 0; i < m->cap; i++)
            if (m->keys[i]) {
                size_t j = map_slot(&bigger, m->keys[i], strlen(m->keys[i]));
                bigger.keys[j] = m->keys[i];
                bigger.vals[j] = m->vals[i];
                bigger.count++;
            }
        free(m->keys);
        free(m->vals);
        *m = bigger;
    }
    size_t i = map_slot(m, key, strlen(key));
    if (!m->keys[i]) {
        m->keys[i] = xstrdup(key);
        m->count++;
    }
    m->vals[i] = val;
}

int map_getn(const NameMap *m, const char *key, size_t len)
{
    if (!m->cap)
        return -1;
    size_t i = map_slot(m, key, len);
    return m->keys[i] ? m->vals[i] : -1;
}

int map_get(const NameMap *m, const char *key) { return map_getn(m, key, strlen(key)); }

void map_free(NameMap *m)
{
    for (size_t i = 0; i < m->cap; i++)
        free(m->keys[i]);
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}

char *read_whole_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    Buf b = {0};
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_add(&b, chunk, n);
    int failed = ferror(f);
    fclose(f);
    if (failed) {
        buf_free(&b);
        errno = EIO;
        return NULL;
    }
    if (!b.s)
        buf_add(&b, "", 0);
    *len = b.len;
    return b.s;
}

static void vdiag(const char *kind, const char *file, unsigned line, unsigned col, const char *fmt,
                  va_list ap)
{
    if (file && line && col)
        fprintf(stderr, "%s:%u:%u: %s: ", file, line, col, kind);
    else if (file && line)
        fprintf(stderr, "%s:%u: %s: ", file, line, kind);
    else if (file)
        fprintf(stderr, "%s: %s: ", file, kind);
    else
        fprintf(stderr, "talc-translate: %s: ", kind);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void diag(const char *file, unsigned line, unsigned col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vdiag("error", file, line, col, fmt, ap);
    va_end(ap);
    g_error_count++;
}

void diag_warning(const char *file, unsigned line, unsigned col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vdiag("warning", file, line, col, fmt, ap);
    va_end(ap);
}

double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}
