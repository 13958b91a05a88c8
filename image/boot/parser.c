/* The parser: Smalltalk-80 methods and doits as ASTs. A syntax error is reported at its
 * file:line:col and abandons the method (the other chunks go on). */
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include "boot.h"

typedef struct {
    Lexer lx;
    Token *t;
    jmp_buf fail;
} Parser;

static void next(Parser *ps) { ps->t = lexNext(&ps->lx); }

static void syntaxError(Parser *ps, Pos p, const char *msg)
{
    errorAt(p, "%s", msg);
    longjmp(ps->fail, 1);
}

static void expect(Parser *ps, TokKind k, const char *msg)
{
    if (ps->t->kind != k) syntaxError(ps, ps->t->pos, msg);
    next(ps);
}

static Node *newNode(NodeKind k, Pos p)
{
    Node *n = xmalloc(sizeof *n);
    memset(n, 0, sizeof *n);
    n->kind = k;
    n->pos = p;
    return n;
}

static void addArg(Node *n, Node *a)
{
    n->args = xrealloc(n->args, sizeof(Node *) * (size_t)(n->nargs + 1));
    n->args[n->nargs++] = a;
}

int selectorNumArgs(const char *sel)
{
    int n = 0;
    const char *p;
    if (!sel[0]) return 0;
    if (!((sel[0] >= 'a' && sel[0] <= 'z') || (sel[0] >= 'A' && sel[0] <= 'Z') || sel[0] == '_')) return 1;
    for (p = sel; *p; p++) if (*p == ':') n++;
    return n;
}

/* ---- literals ---- */
static Lit *newLit(LitKind k)
{
    Lit *l = xmalloc(sizeof *l);
    memset(l, 0, sizeof *l);
    l->kind = k;
    return l;
}

static Lit *numberLit(Number *num, int negate)
{
    Lit *l = newLit(num->isFloat ? L_FLOAT : L_INT);
    l->num = *num;
    if (negate) {
        l->num.negative = !l->num.negative;
        if (l->num.isFloat) l->num.f = -l->num.f;
    }
    return l;
}

static int isNegativeNumberAhead(Parser *ps)
{
    Token *p;
    if (ps->t->kind != T_BINARY || strcmp(ps->t->text, "-") != 0) return 0;
    p = lexPeek(&ps->lx);
    return p->kind == T_NUMBER && !p->spaceBefore;
}

static Lit *parseLiteralArrayBody(Parser *ps, TokKind close);
static Lit *parseByteArrayBody(Parser *ps);

static Lit *symbolLit(const char *s, int len)
{
    Lit *l = newLit(L_SYMBOL);
    l->str = xstrndup(s, (size_t)len);
    l->strLen = len;
    return l;
}

/* one element inside #( ... ) */
static Lit *parseArrayElement(Parser *ps)
{
    Token *t = ps->t;
    Lit *l;
    switch (t->kind) {
    case T_NUMBER: l = numberLit(&t->num, 0); next(ps); return l;
    case T_CHAR: l = newLit(L_CHAR); l->ch = (unsigned char)t->text[0]; next(ps); return l;
    case T_STRING: l = newLit(L_STRING); l->str = t->text; l->strLen = t->textLen; next(ps); return l;
    case T_SYMBOL: l = symbolLit(t->text, t->textLen); next(ps); return l;
    case T_LITARRAY: case T_LPAREN: next(ps); return parseLiteralArrayBody(ps, T_RPAREN);
    case T_BYTEARRAY: case T_LBRACKET: next(ps); return parseByteArrayBody(ps);
    case T_IDENT:
        if (!strcmp(t->text, "nil")) l = newLit(L_NIL);
        else if (!strcmp(t->text, "true")) l = newLit(L_TRUE);
        else if (!strcmp(t->text, "false")) l = newLit(L_FALSE);
        else l = symbolLit(t->text, t->textLen);
        next(ps);
        return l;
    case T_KEYWORD: {
        /* adjacent keywords make one selector: #(at:put:) */
        char buf[1024];
        int n = 0;
        do {
            if (n + ps->t->textLen >= (int)sizeof buf) syntaxError(ps, ps->t->pos, "selector too long");
            memcpy(buf + n, ps->t->text, (size_t)ps->t->textLen);
            n += ps->t->textLen;
            next(ps);
        } while (ps->t->kind == T_KEYWORD && !ps->t->spaceBefore);
        return symbolLit(buf, n);
    }
    case T_BINARY: case T_BAR: case T_CARET:
        if (isNegativeNumberAhead(ps)) {
            next(ps);
            l = numberLit(&ps->t->num, 1);
            next(ps);
            return l;
        }
        if (t->kind == T_CARET) l = symbolLit("^", 1);
        else if (t->kind == T_BAR) l = symbolLit("|", 1);
        else l = symbolLit(t->text, t->textLen);
        next(ps);
        return l;
    case T_LBRACE: next(ps); l = symbolLit("{", 1); return l;
    case T_RBRACE: next(ps); l = symbolLit("}", 1); return l;
    case T_SEMI: next(ps); return symbolLit(";", 1);
    case T_PERIOD: next(ps); return symbolLit(".", 1);
    case T_COLON: next(ps); return symbolLit(":", 1);
    default:
        syntaxError(ps, t->pos, "unexpected token in a literal array");
        return NULL;
    }
}

static Lit *parseLiteralArrayBody(Parser *ps, TokKind close)
{
    Lit *a = newLit(L_ARRAY);
    while (ps->t->kind != close) {
        if (ps->t->kind == T_EOF) syntaxError(ps, ps->t->pos, "unterminated literal array");
        a->elems = xrealloc(a->elems, sizeof(Lit *) * (size_t)(a->nelems + 1));
        a->elems[a->nelems++] = parseArrayElement(ps);
    }
    next(ps);
    return a;
}

static Lit *parseByteArrayBody(Parser *ps)
{
    Lit *a = newLit(L_BYTES);
    int64_t v = 0;
    a->str = xmalloc(1);
    while (ps->t->kind != T_RBRACKET) {
        if (ps->t->kind != T_NUMBER || ps->t->num.isFloat || !numberFitsInt64(&ps->t->num, &v) || v < 0 || v > 255)
            syntaxError(ps, ps->t->pos, "a byte array holds integers 0-255");
        a->str = xrealloc(a->str, (size_t)a->strLen + 1);
        a->str[a->strLen++] = (char)v;
        next(ps);
    }
    next(ps);
    return a;
}

/* ---- expressions ---- */
static Node *parseExpr(Parser *ps);
static Node *parseBlock(Parser *ps);
static void parseStatements(Parser *ps, Node *block, TokKind close);

static Node *litNode(Pos p, Lit *l)
{
    Node *n = newNode(N_LIT, p);
    n->lit = l;
    return n;
}

static Node *parsePrimary(Parser *ps)
{
    Token *t = ps->t;
    Pos p = t->pos;
    Node *n;
    Lit *l;
    switch (t->kind) {
    case T_IDENT:
        n = newNode(N_VAR, p);
        n->name = t->text;
        next(ps);
        return n;
    case T_NUMBER: l = numberLit(&t->num, 0); next(ps); return litNode(p, l);
    case T_CHAR: l = newLit(L_CHAR); l->ch = (unsigned char)t->text[0]; next(ps); return litNode(p, l);
    case T_STRING: l = newLit(L_STRING); l->str = t->text; l->strLen = t->textLen; next(ps); return litNode(p, l);
    case T_SYMBOL: l = symbolLit(t->text, t->textLen); next(ps); return litNode(p, l);
    case T_LITARRAY: next(ps); return litNode(p, parseLiteralArrayBody(ps, T_RPAREN));
    case T_BYTEARRAY: next(ps); return litNode(p, parseByteArrayBody(ps));
    case T_LBRACKET: return parseBlock(ps);
    case T_LPAREN:
        next(ps);
        n = parseExpr(ps);
        expect(ps, T_RPAREN, "expected )");
        return n;
    case T_LBRACE:
        next(ps);
        n = newNode(N_BRACE, p);
        while (ps->t->kind != T_RBRACE) {
            addArg(n, parseExpr(ps));
            if (ps->t->kind == T_PERIOD) next(ps);
            else if (ps->t->kind != T_RBRACE) syntaxError(ps, ps->t->pos, "expected . or }");
        }
        next(ps);
        return n;
    case T_BINARY:
        if (isNegativeNumberAhead(ps)) {
            next(ps);
            l = numberLit(&ps->t->num, 1);
            next(ps);
            return litNode(p, l);
        }
        /* fall through */
    default:
        syntaxError(ps, p, t->kind == T_EOF ? "expression expected at end of input" : "expression expected");
        return NULL;
    }
}

static Node *newSend(Pos p, Node *rcvr, char *sel)
{
    Node *n = newNode(N_SEND, p);
    n->rcvr = rcvr;
    n->name = sel;
    return n;
}

static Node *parseUnaryTail(Parser *ps, Node *r)
{
    while (ps->t->kind == T_IDENT) {
        r = newSend(ps->t->pos, r, ps->t->text);
        next(ps);
    }
    return r;
}

static Node *parseBinaryTail(Parser *ps, Node *r)
{
    r = parseUnaryTail(ps, r);
    while (ps->t->kind == T_BINARY || ps->t->kind == T_BAR) {
        Pos p = ps->t->pos;
        char *sel = ps->t->kind == T_BAR ? xstrdup("|") : ps->t->text;
        Node *arg;
        next(ps);
        arg = parseUnaryTail(ps, parsePrimary(ps));
        r = newSend(p, r, sel);
        addArg(r, arg);
    }
    return r;
}

static Node *parseKeywordTail(Parser *ps, Node *r)
{
    r = parseBinaryTail(ps, r);
    if (ps->t->kind == T_KEYWORD) {
        char sel[1024];
        int n = 0;
        Node *s = newSend(ps->t->pos, r, NULL);
        while (ps->t->kind == T_KEYWORD) {
            if (n + ps->t->textLen >= (int)sizeof sel) syntaxError(ps, ps->t->pos, "selector too long");
            memcpy(sel + n, ps->t->text, (size_t)ps->t->textLen);
            n += ps->t->textLen;
            next(ps);
            addArg(s, parseBinaryTail(ps, parsePrimary(ps)));
        }
        s->name = xstrndup(sel, (size_t)n);
        r = s;
    }
    return r;
}

static Node *parseCascade(Parser *ps)
{
    Node *first = parseKeywordTail(ps, parsePrimary(ps)), *c;
    if (ps->t->kind != T_SEMI) return first;
    if (first->kind != N_SEND) syntaxError(ps, ps->t->pos, "a cascade needs a message before ;");
    c = newNode(N_CASCADE, first->pos);
    c->rcvr = first->rcvr;
    first->rcvr = newNode(N_VAR, first->pos);   /* the cascade's receiver, already on the stack */
    addArg(c, first);
    while (ps->t->kind == T_SEMI) {
        Node *placeholder, *m;
        next(ps);
        placeholder = newNode(N_VAR, ps->t->pos);
        if (ps->t->kind != T_IDENT && ps->t->kind != T_BINARY && ps->t->kind != T_BAR && ps->t->kind != T_KEYWORD)
            syntaxError(ps, ps->t->pos, "message expected after ;");
        m = parseKeywordTail(ps, placeholder);
        addArg(c, m);
    }
    return c;
}

static Node *parseExpr(Parser *ps)
{
    if (ps->t->kind == T_IDENT && lexPeek(&ps->lx)->kind == T_ASSIGN) {
        Node *a = newNode(N_ASSIGN, ps->t->pos), *v = newNode(N_VAR, ps->t->pos);
        v->name = ps->t->text;
        next(ps);
        next(ps);
        a->rcvr = v;
        a->value = parseExpr(ps);
        return a;
    }
    return parseCascade(ps);
}

static Node *parseStatement(Parser *ps)
{
    if (ps->t->kind == T_CARET) {
        Node *r = newNode(N_RETURN, ps->t->pos);
        next(ps);
        r->value = parseExpr(ps);
        return r;
    }
    return parseExpr(ps);
}

static void parseStatements(Parser *ps, Node *block, TokKind close)
{
    while (ps->t->kind != close) {
        Node *s;
        if (ps->t->kind == T_PERIOD) { next(ps); continue; }
        s = parseStatement(ps);
        addArg(block, s);
        if (ps->t->kind == T_PERIOD) { next(ps); continue; }
        if (ps->t->kind != close)
            syntaxError(ps, ps->t->pos, close == T_EOF ? "expected . or end of method" : "expected . or ]");
    }
}

static void parseTemps(Parser *ps, char ***names, Pos **poss, int *n)
{
    if (ps->t->kind == T_BINARY && !strcmp(ps->t->text, "||")) { next(ps); return; }
    if (ps->t->kind != T_BAR) return;
    next(ps);
    while (ps->t->kind == T_IDENT) {
        *names = xrealloc(*names, sizeof(char *) * (size_t)(*n + 1));
        *poss = xrealloc(*poss, sizeof(Pos) * (size_t)(*n + 1));
        (*names)[*n] = ps->t->text;
        (*poss)[*n] = ps->t->pos;
        (*n)++;
        next(ps);
    }
    expect(ps, T_BAR, "expected | after temporaries");
}

static Node *parseBlock(Parser *ps)
{
    Node *b = newNode(N_BLOCK, ps->t->pos);
    next(ps);
    if (ps->t->kind == T_COLON) {
        while (ps->t->kind == T_COLON) {
            next(ps);
            if (ps->t->kind != T_IDENT) syntaxError(ps, ps->t->pos, "block argument name expected");
            b->params = xrealloc(b->params, sizeof(char *) * (size_t)(b->nparams + 1));
            b->paramPos = xrealloc(b->paramPos, sizeof(Pos) * (size_t)(b->nparams + 1));
            b->params[b->nparams] = ps->t->text;
            b->paramPos[b->nparams++] = ps->t->pos;
            next(ps);
        }
        if (ps->t->kind == T_BAR) next(ps);
        else if (ps->t->kind == T_BINARY && !strcmp(ps->t->text, "||")) {
            /* [:x || t | ...]: the bar ends the arguments and starts the temporaries */
            ps->t->kind = T_BAR;
            ps->t->text = xstrdup("|");
        } else if (ps->t->kind != T_RBRACKET) syntaxError(ps, ps->t->pos, "expected | after block arguments");
    }
    parseTemps(ps, &b->temps, &b->tempPos, &b->ntemps);
    parseStatements(ps, b, T_RBRACKET);
    next(ps);
    return b;
}

/* ---- methods ---- */
static int parsePragma(Parser *ps, MethodNode *m)
{
    /* at '<' */
    Pos p = ps->t->pos;
    next(ps);
    if (ps->t->kind == T_KEYWORD && !strcmp(ps->t->text, "primitive:")) {
        int64_t v = 0;
        next(ps);
        if (ps->t->kind == T_NUMBER) {
            if (ps->t->num.isFloat || !numberFitsInt64(&ps->t->num, &v) || v < 1 || v > 65535)
                syntaxError(ps, ps->t->pos, "bad primitive number");
            m->primitive = (int)v;
            next(ps);
        } else if (ps->t->kind == T_STRING) {
            m->primName = ps->t->text;
            m->primitive = 117;
            next(ps);
            if (ps->t->kind == T_KEYWORD && !strcmp(ps->t->text, "module:")) {
                next(ps);
                if (ps->t->kind != T_STRING) syntaxError(ps, ps->t->pos, "module name string expected");
                m->primModule = ps->t->text;
                next(ps);
            }
        } else {
            syntaxError(ps, ps->t->pos, "primitive number or name expected");
        }
        if (ps->t->kind == T_KEYWORD && !strcmp(ps->t->text, "error:")) {
            next(ps);
            if (ps->t->kind != T_IDENT) syntaxError(ps, ps->t->pos, "error code variable name expected");
            m->errorTemp = ps->t->text;
            m->errorTempPos = ps->t->pos;
            next(ps);
        }
    } else {
        /* another pragma: skipped */
        while (ps->t->kind != T_EOF && !(ps->t->kind == T_BINARY && !strcmp(ps->t->text, ">"))) next(ps);
    }
    if (!(ps->t->kind == T_BINARY && !strcmp(ps->t->text, ">"))) syntaxError(ps, p, "unterminated pragma");
    next(ps);
    return 1;
}

static int atPragma(Parser *ps) { return ps->t->kind == T_BINARY && !strcmp(ps->t->text, "<"); }

MethodNode *parseMethod(const char *src, size_t len, Pos start)
{
    Parser *ps = xmalloc(sizeof *ps);
    MethodNode *m = xmalloc(sizeof *m);
    memset(m, 0, sizeof *m);
    lexInit(&ps->lx, src, len, start);
    if (setjmp(ps->fail)) {
        free(ps);
        return NULL;
    }
    next(ps);
    m->pos = ps->t->pos;
    if (ps->t->kind == T_IDENT) {
        m->selector = ps->t->text;
        next(ps);
    } else if (ps->t->kind == T_BINARY || ps->t->kind == T_BAR) {
        m->selector = ps->t->kind == T_BAR ? xstrdup("|") : ps->t->text;
        next(ps);
        if (ps->t->kind != T_IDENT) syntaxError(ps, ps->t->pos, "argument name expected");
        m->params = xmalloc(sizeof(char *));
        m->paramPos = xmalloc(sizeof(Pos));
        m->params[0] = ps->t->text;
        m->paramPos[0] = ps->t->pos;
        m->nparams = 1;
        next(ps);
    } else if (ps->t->kind == T_KEYWORD) {
        char sel[1024];
        int n = 0;
        while (ps->t->kind == T_KEYWORD) {
            if (n + ps->t->textLen >= (int)sizeof sel) syntaxError(ps, ps->t->pos, "selector too long");
            memcpy(sel + n, ps->t->text, (size_t)ps->t->textLen);
            n += ps->t->textLen;
            next(ps);
            if (ps->t->kind != T_IDENT) syntaxError(ps, ps->t->pos, "argument name expected");
            m->params = xrealloc(m->params, sizeof(char *) * (size_t)(m->nparams + 1));
            m->paramPos = xrealloc(m->paramPos, sizeof(Pos) * (size_t)(m->nparams + 1));
            m->params[m->nparams] = ps->t->text;
            m->paramPos[m->nparams++] = ps->t->pos;
            next(ps);
        }
        m->selector = xstrndup(sel, (size_t)n);
    } else {
        syntaxError(ps, ps->t->pos, "method selector expected");
    }
    while (atPragma(ps)) parsePragma(ps, m);
    parseTemps(ps, &m->temps, &m->tempPos, &m->ntemps);
    while (atPragma(ps)) parsePragma(ps, m);
    m->body = newNode(N_BLOCK, m->pos);
    parseStatements(ps, m->body, T_EOF);
    free(ps);
    return m;
}

Node *parseExpression(const char *src, size_t len, Pos start)
{
    Parser *ps = xmalloc(sizeof *ps);
    Node *b;
    lexInit(&ps->lx, src, len, start);
    if (setjmp(ps->fail)) {
        free(ps);
        return NULL;
    }
    next(ps);
    b = newNode(N_BLOCK, ps->t->pos);
    parseTemps(ps, &b->temps, &b->tempPos, &b->ntemps);
    parseStatements(ps, b, T_EOF);
    free(ps);
    return b;
}
