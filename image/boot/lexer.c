/* The lexer: Smalltalk-80 tokens with their file:line:col. */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "boot.h"

void lexInit(Lexer *lx, const char *src, size_t len, Pos start)
{
    memset(lx, 0, sizeof *lx);
    lx->src = lx->p = src;
    lx->end = src + len;
    lx->pos = start;
}

static int cur(Lexer *lx) { return lx->p < lx->end ? (unsigned char)*lx->p : -1; }
static int at(Lexer *lx, int k) { return lx->p + k < lx->end ? (unsigned char)lx->p[k] : -1; }

static void adv(Lexer *lx)
{
    if (lx->p >= lx->end) return;
    if (*lx->p == '\n') { lx->pos.line++; lx->pos.col = 1; }
    else lx->pos.col++;
    lx->p++;
}

static int isBinaryChar(int c) { return c >= 0 && strchr("+-*/\\<>=~@%&?,|!", c) != NULL && c != 0; }
static int isIdStart(int c) { return c >= 0 && (isalpha(c) || c == '_'); }
static int isIdChar(int c) { return c >= 0 && (isalnum(c) || c == '_'); }

/* whitespace and "comments"; answers whether any was skipped */
static int skipSpace(Lexer *lx, Token *t)
{
    int any = 0;
    for (;;) {
        int c = cur(lx);
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') { adv(lx); any = 1; continue; }
        if (c == '"') {
            Pos p = lx->pos;
            adv(lx);
            while (cur(lx) >= 0 && cur(lx) != '"') adv(lx);
            if (cur(lx) < 0) { t->kind = T_ERROR; t->pos = p; errorAt(p, "unterminated comment"); return any; }
            adv(lx);
            any = 1;
            continue;
        }
        return any;
    }
}

static void setText(Token *t, const char *s, int n)
{
    t->text = xstrndup(s, (size_t)n);
    t->textLen = n;
}

/* ---- numbers ---- */
static int digitValue(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
    return 99;
}

/* magnitude := magnitude * m + a */
static void magMulAdd(Number *n, unsigned m, unsigned a)
{
    int i;
    unsigned carry = a;
    for (i = 0; i < n->nbytes; i++) {
        unsigned v = n->mag[i] * m + carry;
        n->mag[i] = (uint8_t)(v & 0xFF);
        carry = v >> 8;
    }
    while (carry) {
        n->mag = xrealloc(n->mag, (size_t)n->nbytes + 1);
        n->mag[n->nbytes++] = (uint8_t)(carry & 0xFF);
        carry >>= 8;
    }
}

int numberFitsInt64(const Number *n, int64_t *out)
{
    uint64_t m = 0;
    int i, top = n->nbytes;
    while (top > 0 && n->mag[top - 1] == 0) top--;
    if (top > 8) return 0;
    for (i = top - 1; i >= 0; i--) m = (m << 8) | n->mag[i];
    if (m > (uint64_t)INT64_MAX) return 0;
    *out = n->negative ? -(int64_t)m : (int64_t)m;
    return 1;
}

static void lexNumber(Lexer *lx, Token *t)
{
    int radix = 10, c, d, any = 0;
    Number *n = &t->num;
    const char *numStart = lx->p;
    memset(n, 0, sizeof *n);
    /* digits, maybe a radix */
    while ((c = cur(lx)) >= '0' && c <= '9') { magMulAdd(n, 10, (unsigned)(c - '0')); adv(lx); }
    if (cur(lx) == 'r') {
        int64_t r;
        if (!numberFitsInt64(n, &r) || r < 2 || r > 36) { errorAt(t->pos, "bad radix"); t->kind = T_ERROR; return; }
        radix = (int)r;
        adv(lx);
        free(n->mag);
        memset(n, 0, sizeof *n);
        if (cur(lx) == '-') { n->negative = 1; adv(lx); }
        while ((d = digitValue(cur(lx))) < radix) { magMulAdd(n, (unsigned)radix, (unsigned)d); adv(lx); any = 1; }
        if (!any) { errorAt(t->pos, "a radix needs digits"); t->kind = T_ERROR; return; }
    }
    /* a fraction: a period followed by a digit */
    if (cur(lx) == '.' && digitValue(at(lx, 1)) < radix) {
        double f = 0, scale = 1;
        int i;
        for (i = n->nbytes - 1; i >= 0; i--) f = f * 256 + n->mag[i];
        adv(lx);
        while ((d = digitValue(cur(lx))) < radix) { scale /= radix; f += d * scale; adv(lx); }
        n->isFloat = 1;
        n->f = f;
    }
    /* an exponent: e, then an optionally negative integer */
    if (cur(lx) == 'e' && (isdigit(at(lx, 1)) || (at(lx, 1) == '-' && isdigit(at(lx, 2))))) {
        int neg = 0, e = 0;
        adv(lx);
        if (cur(lx) == '-') { neg = 1; adv(lx); }
        while (isdigit(cur(lx))) { e = e * 10 + (cur(lx) - '0'); if (e > 100000) e = 100000; adv(lx); }
        if (n->isFloat) n->f *= pow(radix, neg ? -e : e);
        else if (!neg) { int k; for (k = 0; k < e; k++) magMulAdd(n, (unsigned)radix, 0); }
        else {
            double f = 0;
            int i;
            for (i = n->nbytes - 1; i >= 0; i--) f = f * 256 + n->mag[i];
            n->isFloat = 1;
            n->f = f * pow(radix, -e);
        }
    }
    if (cur(lx) == 's' && (!isIdChar(at(lx, 1)) || isdigit(at(lx, 1)))) {
        errorAt(t->pos, "scaled decimals are not supported");
        adv(lx);
        while (isdigit(cur(lx))) adv(lx);
    }
    if (n->isFloat && radix == 10) {
        /* decimal floats are read correctly rounded, so that they print back the same */
        char text[512];
        size_t len = (size_t)(lx->p - numStart);
        if (len < sizeof text) {
            memcpy(text, numStart, len);
            text[len] = 0;
            n->f = strtod(text, NULL);
        }
    }
    if (n->isFloat && n->negative) n->f = -n->f;
    t->kind = T_NUMBER;
}

static void scan(Lexer *lx, Token *t)
{
    int c;
    memset(t, 0, sizeof *t);
    t->spaceBefore = skipSpace(lx, t);
    t->pos = lx->pos;
    t->start = lx->p;
    c = cur(lx);
    if (t->kind == T_ERROR) { t->kind = T_EOF; return; }
    if (c < 0) { t->kind = T_EOF; return; }
    if (isIdStart(c)) {
        const char *s = lx->p;
        while (isIdChar(cur(lx))) adv(lx);
        /* a keyword: identifier and colon, not followed by = (that is an assignment) */
        if (cur(lx) == ':' && at(lx, 1) != '=') {
            adv(lx);
            t->kind = T_KEYWORD;
        } else {
            t->kind = T_IDENT;
        }
        setText(t, s, (int)(lx->p - s));
    } else if (isdigit(c)) {
        lexNumber(lx, t);
    } else if (c == '$') {
        adv(lx);
        if (cur(lx) < 0) { errorAt(t->pos, "a character is missing after $"); t->kind = T_ERROR; }
        else {
            t->kind = T_CHAR;
            t->num.nbytes = 0;
            setText(t, lx->p, 1);
            adv(lx);
        }
    } else if (c == '\'') {
        char *buf = NULL;
        int n = 0, cap = 0;
        adv(lx);
        for (;;) {
            if (cur(lx) < 0) { errorAt(t->pos, "unterminated string"); t->kind = T_ERROR; break; }
            if (cur(lx) == '\'') {
                if (at(lx, 1) == '\'') { adv(lx); }
                else { adv(lx); t->kind = T_STRING; break; }
            }
            if (n + 1 >= cap) { cap = cap ? cap * 2 : 32; buf = xrealloc(buf, (size_t)cap); }
            buf[n++] = (char)cur(lx);
            adv(lx);
        }
        if (!buf) buf = xmalloc(1);
        buf[n] = 0;
        t->text = buf;
        t->textLen = n;
    } else if (c == '#') {
        adv(lx);
        c = cur(lx);
        if (c == '(') { adv(lx); t->kind = T_LITARRAY; }
        else if (c == '[') { adv(lx); t->kind = T_BYTEARRAY; }
        else if (c == '\'') {
            Token s;
            scan(lx, &s);
            t->kind = s.kind == T_STRING ? T_SYMBOL : T_ERROR;
            t->text = s.text;
            t->textLen = s.textLen;
        } else if (isIdStart(c)) {
            const char *s = lx->p;
            while (isIdChar(cur(lx)) || (cur(lx) == ':' && at(lx, 1) != '=')) adv(lx);
            t->kind = T_SYMBOL;
            setText(t, s, (int)(lx->p - s));
        } else if (isBinaryChar(c)) {
            const char *s = lx->p;
            while (isBinaryChar(cur(lx))) adv(lx);
            t->kind = T_SYMBOL;
            setText(t, s, (int)(lx->p - s));
        } else if (c == '#') {
            /* ##foo: a symbol too */
            Token s;
            scan(lx, &s);
            *t = s;
        } else {
            errorAt(t->pos, "unexpected character after #");
            t->kind = T_ERROR;
        }
    } else if (c == ':' && at(lx, 1) == '=') {
        adv(lx); adv(lx);
        t->kind = T_ASSIGN;
    } else {
        adv(lx);
        switch (c) {
        case '(': t->kind = T_LPAREN; break;
        case ')': t->kind = T_RPAREN; break;
        case '[': t->kind = T_LBRACKET; break;
        case ']': t->kind = T_RBRACKET; break;
        case '{': t->kind = T_LBRACE; break;
        case '}': t->kind = T_RBRACE; break;
        case '.': t->kind = T_PERIOD; break;
        case ';': t->kind = T_SEMI; break;
        case '^': t->kind = T_CARET; break;
        case ':': t->kind = T_COLON; break;
        default:
            if (isBinaryChar(c)) {
                const char *s = lx->p - 1;
                /* a binary selector; a '-' after the first character starts a negative literal */
                while (isBinaryChar(cur(lx)) && !(cur(lx) == '-' && isdigit(at(lx, 1)))) adv(lx);
                setText(t, s, (int)(lx->p - s));
                t->kind = (t->textLen == 1 && c == '|') ? T_BAR : T_BINARY;
            } else {
                errorAt(t->pos, "unexpected character '%c'", c);
                t->kind = T_ERROR;
            }
        }
    }
    t->len = (int)(lx->p - t->start);
}

Token *lexNext(Lexer *lx)
{
    if (lx->hasPeek) {
        lx->tok = lx->peek;
        lx->hasPeek = 0;
    } else {
        scan(lx, &lx->tok);
    }
    return &lx->tok;
}

Token *lexPeek(Lexer *lx)
{
    if (!lx->hasPeek) {
        scan(lx, &lx->peek);
        lx->hasPeek = 1;
    }
    return &lx->peek;
}
