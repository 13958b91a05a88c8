/* Digest records as talc and talc-sim write them (platforms/debugging.c): a header line
 * "# talc digests ...: count method pc ... name", then one line per digest, its values in that
 * order separated by spaces, the method's name last (it may contain spaces). */
#include <stdlib.h>
#include <string.h>

#include "lockstep.h"

/* the number of fields before the name: the header's names minus one */
static int valueFields(const char *header)
{
    const char *names = strstr(header, ": ");
    int n = 0;
    if (!names) return 12;
    for (names += 2; *names && *names != '\n'; names++)
        if (*names != ' ' && (names[-1] == ' ' || names[-1] == ':')) n++;
    return n > 1 && n <= MaxRecordFields ? n - 1 : 12;
}

int recordRead(FILE *f, Record *r, char *header, size_t headerSize)
{
    int values, i;
    char *p;
    for (;;) {
        if (!fgets(r->line, sizeof r->line, f)) return 0;
        if (r->line[0] != '#') break;
        if (header && !header[0]) snprintf(header, headerSize, "%s", r->line);
    }
    r->line[strcspn(r->line, "\n")] = '\0';
    memcpy(r->text, r->line, sizeof r->text);
    values = valueFields(header ? header : "");
    p = r->text;
    for (i = 0; i < values && *p; i++) {
        r->field[i] = p;
        p += strcspn(p, " ");
        if (*p) *p++ = '\0';
    }
    r->field[i++] = p;          /* the name: the rest of the line */
    r->count = i;
    r->bytecodes = strtoll(r->line, NULL, 10);
    return 1;
}

int recordsEqual(const Record *a, const Record *b) { return strcmp(a->line, b->line) == 0; }

int recordFieldsDiffer(const Record *a, const Record *b, int from)
{
    int i, n = a->count > b->count ? a->count : b->count;
    for (i = from; i < n; i++) {
        if (i >= a->count || i >= b->count || strcmp(a->field[i], b->field[i]) != 0) return i;
    }
    return -1;
}

const char *recordFieldName(const char *header, int index, char *out, size_t size)
{
    const char *p = strstr(header, ": ");
    int i = 0;
    snprintf(out, size, "field %d", index + 1);
    if (!p) return out;
    for (p += 2; *p && *p != '\n'; i++) {
        size_t len = strcspn(p, " \n");
        if (i == index) {
            snprintf(out, size, "%.*s", (int)len, p);
            return out;
        }
        p += len;
        while (*p == ' ') p++;
    }
    return out;
}

const char *recordMethod(const Record *r) { return r->count > 0 ? r->field[r->count - 1] : "?"; }

/* a record's copy, its fields pointing into its own text */
void recordCopy(Record *dst, const Record *src)
{
    int i;
    *dst = *src;
    for (i = 0; i < src->count; i++) dst->field[i] = dst->text + (src->field[i] - src->text);
}
