/* The chunk format: '!'-separated chunks ('!!' stands for '!'). An empty chunk announces a
 * method category reader ("Foo methodsFor: 'x'" or "Foo class methodsFor: 'x'") whose chunks
 * are methods up to the next empty chunk. Other chunks are class definitions (the standard
 * messages, evaluated here), "Foo class instanceVariableNames: '...'", "Smalltalk at: #G put:
 * ..." (declares the global) or doits, compiled now and run by the kernel at start-up. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boot.h"

Vec doits;

typedef struct {
    char *text;
    size_t len;
    Pos pos;
} Chunk;

static int isBlank(const char *s, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r' && s[i] != '\f') return 0;
    return 1;
}

static Chunk *splitChunks(const char *path, const char *src, size_t len, int *count)
{
    Chunk *out = NULL;
    int n = 0;
    size_t i = 0;
    Pos p = {path, 1, 1};
    while (i < len) {
        char *buf = xmalloc(len - i + 1);
        size_t k = 0;
        Pos start = p;
        int ended = 0;
        while (i < len) {
            char c = src[i];
            if (c == '!') {
                if (i + 1 < len && src[i + 1] == '!') {
                    buf[k++] = '!';
                    i += 2;
                    p.col += 2;
                    continue;
                }
                i++;
                p.col++;
                ended = 1;
                break;
            }
            buf[k++] = c;
            i++;
            if (c == '\n') { p.line++; p.col = 1; }
            else p.col++;
        }
        buf[k] = 0;
        if (!ended && isBlank(buf, k)) { free(buf); break; }
        out = xrealloc(out, sizeof(Chunk) * (size_t)(n + 1));
        out[n].text = buf;
        out[n].len = k;
        out[n].pos = start;
        n++;
    }
    *count = n;
    return out;
}

/* ---- evaluating definitions ---- */
static const char *litString(Node *n)
{
    if (n->kind == N_LIT && (n->lit->kind == L_STRING || n->lit->kind == L_SYMBOL)) return n->lit->str;
    return NULL;
}

/* the keyword parts of a selector */
static int keywordParts(const char *sel, char parts[][64], int max)
{
    int n = 0;
    const char *s = sel;
    while (*s && n < max) {
        const char *e = strchr(s, ':');
        size_t len;
        if (!e) break;
        len = (size_t)(e - s + 1);
        if (len >= 64) len = 63;
        memcpy(parts[n], s, len);
        parts[n][len] = 0;
        n++;
        s = e + 1;
    }
    return n;
}

static const char *definitionKinds[] = {
    "subclass:", "variableSubclass:", "variableByteSubclass:", "variableWordSubclass:", "weakSubclass:",
    "ephemeronSubclass:", "immediateSubclass:", "variableDoubleWordSubclass:", "variableDoubleByteSubclass:", NULL
};

static int isDefinitionKind(const char *k)
{
    int i;
    for (i = 0; definitionKinds[i]; i++) if (!strcmp(definitionKinds[i], k)) return 1;
    return 0;
}

/* answers 1 when the chunk was a definition (handled or reported), 0 for a doit */
static int evalDefinition(Node *stmt, Chunk *ch)
{
    char parts[8][64];
    int nparts, i;
    if (stmt->kind != N_SEND || !stmt->name) return 0;
    nparts = keywordParts(stmt->name, parts, 8);
    if (nparts >= 1 && isDefinitionKind(parts[0]) && stmt->rcvr->kind == N_VAR && nparts == stmt->nargs) {
        const char *superName = stmt->rcvr->name, *name = litString(stmt->args[0]);
        const char *ivars = "", *cvars = "", *category = "";
        int superIsNil = !strcmp(superName, "nil");
        if (!name) { errorAt(stmt->args[0]->pos, "a class name (a symbol) is expected"); return 1; }
        for (i = 1; i < nparts; i++) {
            const char *v = litString(stmt->args[i]);
            if (!v) { errorAt(stmt->args[i]->pos, "a string is expected"); return 1; }
            if (!strcmp(parts[i], "instanceVariableNames:")) ivars = v;
            else if (!strcmp(parts[i], "classVariableNames:")) cvars = v;
            else if (!strcmp(parts[i], "category:") || !strcmp(parts[i], "package:")) category = v;
            else if (!strcmp(parts[i], "poolDictionaries:")) {
                if (*v && !isBlank(v, strlen(v))) errorAt(stmt->args[i]->pos, "pool dictionaries are not supported");
            } else { errorAt(stmt->pos, "unknown class definition keyword '%s'", parts[i]); return 1; }
        }
        defineClass(stmt->rcvr->pos, superName, superIsNil, name, parts[0], ivars, cvars, category);
        return 1;
    }
    /* Foo class instanceVariableNames: '...' */
    if (!strcmp(stmt->name, "instanceVariableNames:") && stmt->rcvr->kind == N_SEND && !strcmp(stmt->rcvr->name, "class")
        && stmt->rcvr->rcvr->kind == N_VAR) {
        ClassDef *c = findClass(stmt->rcvr->rcvr->name);
        const char *v = litString(stmt->args[0]);
        if (!c) { errorAt(stmt->rcvr->rcvr->pos, "unknown class '%s'", stmt->rcvr->rcvr->name); return 1; }
        if (!v) { errorAt(stmt->args[0]->pos, "a string is expected"); return 1; }
        setClassInstanceVariables(stmt->pos, c, v);
        return 1;
    }
    /* Foo comment: '...' and Foo category: '...' have no effect on the image yet */
    if ((!strcmp(stmt->name, "comment:") || !strcmp(stmt->name, "category:")) && stmt->rcvr->kind == N_VAR) {
        if (!findClass(stmt->rcvr->name)) errorAt(stmt->rcvr->pos, "unknown class '%s'", stmt->rcvr->name);
        return 1;
    }
    /* Smalltalk at: #Name put: value declares a global; the assignment runs as a doit */
    if (!strcmp(stmt->name, "at:put:") && stmt->rcvr->kind == N_VAR && !strcmp(stmt->rcvr->name, "Smalltalk")
        && stmt->args[0]->kind == N_LIT && stmt->args[0]->lit->kind == L_SYMBOL) {
        globalBinding(stmt->args[0]->lit->str, 1);
        (void)ch;
        /* with nil as the value it is a declaration only */
        return stmt->args[1]->kind == N_VAR && !strcmp(stmt->args[1]->name, "nil");
    }
    return 0;
}

static void evalChunk(Chunk *ch)
{
    Node *body = parseExpression(ch->text, ch->len, ch->pos);
    int i, allDefinitions = 1;
    DoIt *d;
    if (!body) return;
    for (i = 0; i < body->nargs; i++)
        if (!evalDefinition(body->args[i], ch)) allDefinitions = 0;
    if (allDefinitions && body->nargs > 0) return;
    if (body->nargs == 0) return;
    d = xmalloc(sizeof *d);
    d->src = ch->text;
    d->len = ch->len;
    d->pos = ch->pos;
    vecPush(&doits, d);
}

/* "Foo methodsFor: 'cat'", "Foo class methodsFor: 'cat'" (a stamp: part is allowed) */
static ClassDef *readerClass(Chunk *ch, int *meta, char **category)
{
    Node *body = parseExpression(ch->text, ch->len, ch->pos), *s, *r;
    char parts[8][64];
    ClassDef *c;
    if (!body) return NULL;
    if (body->nargs != 1 || body->args[0]->kind != N_SEND) {
        errorAt(ch->pos, "expected 'Foo methodsFor: ...' after an empty chunk");
        return NULL;
    }
    s = body->args[0];
    if (keywordParts(s->name, parts, 8) < 1 || strcmp(parts[0], "methodsFor:") != 0 || !litString(s->args[0])) {
        errorAt(s->pos, "expected 'Foo methodsFor: ...' after an empty chunk");
        return NULL;
    }
    r = s->rcvr;
    *meta = 0;
    if (r->kind == N_SEND && !strcmp(r->name, "class") && r->rcvr->kind == N_VAR) { *meta = 1; r = r->rcvr; }
    if (r->kind != N_VAR) { errorAt(r->pos, "a class name is expected"); return NULL; }
    c = findClass(r->name);
    if (!c) { errorAt(r->pos, "unknown class '%s'", r->name); return NULL; }
    *category = xstrdup(litString(s->args[0]));
    return c;
}

void readChunkFile(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *src;
    long size;
    Chunk *chunks;
    int n, i;
    if (!f) { Pos p = {path, 0, 0}; errorAt(p, "cannot open the file"); return; }
    fseek(f, 0, SEEK_END);
    size = ftell(f);
    fseek(f, 0, SEEK_SET);
    src = xmalloc((size_t)size + 1);
    if (size > 0 && fread(src, 1, (size_t)size, f) != (size_t)size) { Pos p = {path, 0, 0}; errorAt(p, "cannot read the file"); fclose(f); return; }
    fclose(f);
    src[size] = 0;
    chunks = splitChunks(xstrdup(path), src, (size_t)size, &n);
    for (i = 0; i < n; i++) {
        Chunk *ch = &chunks[i];
        if (!isBlank(ch->text, ch->len)) { evalChunk(ch); continue; }
        /* an empty chunk: a reader, then its methods up to the next empty chunk */
        if (++i >= n) break;
        {
            int meta = 0;
            char *category = NULL;
            ClassDef *c = readerClass(&chunks[i], &meta, &category);
            for (i++; i < n && !isBlank(chunks[i].text, chunks[i].len); i++) {
                MethodSource *ms;
                if (!c) continue;
                ms = xmalloc(sizeof *ms);
                ms->src = chunks[i].text;
                ms->len = chunks[i].len;
                ms->pos = chunks[i].pos;
                ms->category = category;
                vecPush(meta ? &c->classMethods : &c->methods, ms);
            }
        }
    }
    free(chunks);
}
