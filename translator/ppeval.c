/* Evaluates preprocessor conditions (#if) over the definitions taken so far, as cpp would:
 * integers only, undefined names are 0, defined(X) asks the live table. */
#include "talc_translate.h"

#include <ctype.h>
#include <string.h>

typedef struct {
    const Spec *spec;
    const char *p, *end;
    const char *why;
    int depth;
    bool strict; /* undefined names are errors, not 0 */
} Eval;

static void skip_space(Eval *e)
{
    for (;;) {
        while (e->p < e->end && (isspace((unsigned char)*e->p) || (*e->p == '\\' && e->p + 1 < e->end &&
                                                                     e->p[1] == '\n')))
            e->p++;
        if (e->p + 1 < e->end && e->p[0] == '/' && e->p[1] == '*') {
            const char *c = strstr(e->p + 2, "*/");
            e->p = c && c + 2 <= e->end ? c + 2 : e->end;
        } else if (e->p + 1 < e->end && e->p[0] == '/' && e->p[1] == '/') {
            e->p = e->end;
        } else
            return;
    }
}

static bool eat(Eval *e, const char *tok)
{
    skip_space(e);
    size_t n = strlen(tok);
    if ((size_t)(e->end - e->p) >= n && memcmp(e->p, tok, n) == 0) {
        /* "<" must not match "<<" or "<=", "&" not "&&", and so on */
        if (n == 1 && e->p + 1 < e->end && strchr("<>&|=", tok[0]) && (e->p[1] == tok[0] || e->p[1] == '='))
            return false;
        if (n == 1 && tok[0] == '!' && e->p + 1 < e->end && e->p[1] == '=')
            return false;
        e->p += n;
        return true;
    }
    return false;
}

static bool is_ident_char(char c) { return isalnum((unsigned char)c) || c == '_'; }

static long long parse_cond(Eval *e);

static long long eval_text(Eval *outer, const char *text, size_t len)
{
    Eval e = {outer->spec, text, text + len, NULL, outer->depth + 1, outer->strict};
    if (e.depth > 64) {
        outer->why = "macro expansion too deep";
        return 0;
    }
    long long v = parse_cond(&e);
    skip_space(&e);
    if (!e.why && e.p != e.end)
        e.why = "unexpected text in a constant expression";
    if (e.why && !outer->why)
        outer->why = e.why;
    return v;
}

static long long parse_primary(Eval *e)
{
    skip_space(e);
    if (e->p >= e->end) {
        e->why = "expression ends too soon";
        return 0;
    }
    if (eat(e, "(")) {
        /* a cast such as (sqInt) in a macro value: integers only here, so it is skipped */
        const char *save = e->p;
        skip_space(e);
        const char *id = e->p;
        while (e->p < e->end && is_ident_char(*e->p))
            e->p++;
        if (e->p > id && !isdigit((unsigned char)*id)) {
            size_t n = (size_t)(e->p - id);
            bool type_name = (n == 5 && !memcmp(id, "sqInt", 5)) || (n == 6 && !memcmp(id, "usqInt", 6)) ||
                             (n == 6 && !memcmp(id, "sqLong", 6)) || (n == 7 && !memcmp(id, "usqLong", 7)) ||
                             (n == 3 && !memcmp(id, "int", 3)) || (n == 4 && !memcmp(id, "long", 4));
            if (type_name && eat(e, ")"))
                return parse_primary(e);
        }
        e->p = save;
        long long v = parse_cond(e);
        if (!eat(e, ")") && !e->why)
            e->why = "missing ')'";
        return v;
    }
    if (isdigit((unsigned char)*e->p)) {
        long long v = 0;
        const char *p = e->p;
        if (p[0] == '0' && p + 1 < e->end && (p[1] == 'x' || p[1] == 'X')) {
            p += 2;
            while (p < e->end && isxdigit((unsigned char)*p)) {
                v = v * 16 + (isdigit((unsigned char)*p) ? *p - '0' : (tolower((unsigned char)*p) - 'a' + 10));
                p++;
            }
        } else if (p[0] == '0') {
            while (p < e->end && *p >= '0' && *p <= '7')
                v = v * 8 + (*p++ - '0');
        } else {
            while (p < e->end && isdigit((unsigned char)*p))
                v = v * 10 + (*p++ - '0');
        }
        while (p < e->end && strchr("uUlL", *p))
            p++;
        if (p < e->end && is_ident_char(*p)) {
            e->why = "malformed number";
            return 0;
        }
        e->p = p;
        return v;
    }
    if (is_ident_char(*e->p)) {
        const char *id = e->p;
        while (e->p < e->end && is_ident_char(*e->p))
            e->p++;
        size_t n = (size_t)(e->p - id);
        if (n == 7 && memcmp(id, "defined", 7) == 0) {
            bool paren = eat(e, "(");
            skip_space(e);
            const char *name = e->p;
            while (e->p < e->end && is_ident_char(*e->p))
                e->p++;
            if (e->p == name) {
                e->why = "defined needs a name";
                return 0;
            }
            if (paren && !eat(e, ")")) {
                e->why = "missing ')' after defined(";
                return 0;
            }
            return map_getn(&e->spec->define_idx, name, (size_t)(e->p - name)) >= 0;
        }
        int d = map_getn(&e->spec->define_idx, id, n);
        if (d < 0) {
            if (e->strict)
                e->why = "undefined name";
            return 0;
        }
        const Define *def = &e->spec->defines[d];
        if (def->function_like) {
            e->why = "function-like macro in a preprocessor condition";
            return 0;
        }
        return eval_text(e, def->value, strlen(def->value));
    }
    e->why = "unexpected character in a constant expression";
    return 0;
}

static long long parse_unary(Eval *e)
{
    if (eat(e, "!"))
        return !parse_unary(e);
    if (eat(e, "~"))
        return ~parse_unary(e);
    if (eat(e, "-"))
        return -parse_unary(e);
    if (eat(e, "+"))
        return parse_unary(e);
    return parse_primary(e);
}

/* Binary operators by precedence level, loosest first. */
static const char *const levels[][5] = {
    {"||"}, {"&&"}, {"|"}, {"^"}, {"&"}, {"==", "!="}, {"<=", ">=", "<", ">"}, {"<<", ">>"}, {"+", "-"},
    {"*", "/", "%"},
};
#define NLEVELS ((int)(sizeof levels / sizeof levels[0]))

static long long apply(Eval *e, const char *op, long long a, long long b)
{
    switch (op[0]) {
    case '|': return op[1] ? (a || b) : (a | b);
    case '&': return op[1] ? (a && b) : (a & b);
    case '^': return a ^ b;
    case '=': return a == b;
    case '!': return a != b;
    case '<': return op[1] == '<' ? (long long)((unsigned long long)a << (b & 63)) : op[1] ? a <= b : a < b;
    case '>': return op[1] == '>' ? a >> (b & 63) : op[1] ? a >= b : a > b;
    case '+': return (long long)((unsigned long long)a + (unsigned long long)b);
    case '-': return (long long)((unsigned long long)a - (unsigned long long)b);
    case '*': return (long long)((unsigned long long)a * (unsigned long long)b);
    default:
        if (b == 0) {
            e->why = "division by zero in a constant expression";
            return 0;
        }
        return op[0] == '/' ? a / b : a % b;
    }
}

static long long parse_level(Eval *e, int level)
{
    if (level == NLEVELS)
        return parse_unary(e);
    long long v = parse_level(e, level + 1);
    for (;;) {
        const char *op = NULL;
        for (int i = 0; i < 5 && levels[level][i]; i++)
            if (eat(e, levels[level][i])) {
                op = levels[level][i];
                break;
            }
        if (!op || e->why)
            return v;
        long long rhs = parse_level(e, level + 1);
        v = apply(e, op, v, rhs);
    }
}

static long long parse_cond(Eval *e)
{
    long long c = parse_level(e, 0);
    if (eat(e, "?")) {
        long long a = parse_cond(e);
        if (!eat(e, ":") && !e->why)
            e->why = "missing ':'";
        long long b = parse_cond(e);
        return c ? a : b;
    }
    return c;
}

bool pp_eval(const Spec *spec, const char *text, size_t len, bool strict, long long *out, const char **why)
{
    Eval e = {spec, text, text + len, NULL, 0, strict};
    *out = eval_text(&e, text, len);
    *why = e.why;
    return e.why == NULL;
}
