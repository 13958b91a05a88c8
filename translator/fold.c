/* Constant folding on the AST, for specialisation and variant selection: an expression whose
 * value depends only on literals, spec constants, specialised operands and VARIANT(key, value)
 * is emitted as its value, and an `if` or `?:` on such a condition keeps only the taken branch.
 * Expressions that do not involve a specialised operand or a VARIANT keep their text. */
#include "talc_translate.h"

#include <stdlib.h>
#include <string.h>

static bool text_is(const Rewriter *rw, TSNode n, const char *s)
{
    uint32_t a = ts_node_start_byte(n), b = ts_node_end_byte(n);
    return strlen(s) == b - a && memcmp(rw->file->src + a, s, b - a) == 0;
}

static bool eval_number(const Rewriter *rw, TSNode n, long long *v)
{
    char *t = node_text(rw->file, n), *end;
    *v = (long long)strtoull(t, &end, 0);
    while (*end == 'u' || *end == 'U' || *end == 'l' || *end == 'L')
        end++;
    bool ok = *end == 0 && t[0] != 0;
    free(t);
    return ok;
}

/* VARIANT(key, value) */
static bool eval_variant(const Rewriter *rw, TSNode call, long long *v)
{
    TSNode fn = ts_node_child_by_field_name(call, "function", 8);
    if (!node_is(fn, "identifier") || !text_is(rw, fn, "VARIANT") || call_nargs(call) != 2)
        return false;
    TSNode k = call_arg(call, 0), val = call_arg(call, 1);
    if (!node_is(k, "identifier") || !node_is(val, "identifier"))
        return false;
    char *ks = node_text(rw->file, k), *vs = node_text(rw->file, val);
    int c = variant_chosen(rw->spec, ks, vs);
    free(ks);
    free(vs);
    if (c < 0)
        return false; /* the checker reports it */
    *v = c;
    return true;
}

bool fold_eval(const Rewriter *rw, TSNode n, long long *v, bool *touched)
{
    const char *t = ts_node_type(n);
    if (strcmp(t, "number_literal") == 0)
        return eval_number(rw, n, v);
    if (strcmp(t, "identifier") == 0) {
        uint32_t s = ts_node_start_byte(n);
        size_t len = ts_node_end_byte(n) - s;
        Subst *sb = subst_find(rw, rw->file->src + s, len);
        if (sb) {
            if (!sb->is_const)
                return false;
            *v = sb->value;
            *touched = true;
            return true;
        }
        int d = map_getn(&rw->spec->define_idx, rw->file->src + s, len);
        if (d < 0 || rw->spec->defines[d].function_like)
            return false;
        const char *why;
        const char *val = rw->spec->defines[d].value;
        return pp_eval(rw->spec, val, strlen(val), true, v, &why);
    }
    if (strcmp(t, "parenthesized_expression") == 0)
        return ts_node_named_child_count(n) == 1 && fold_eval(rw, ts_node_named_child(n, 0), v, touched);
    if (strcmp(t, "cast_expression") == 0)
        return fold_eval(rw, ts_node_child_by_field_name(n, "value", 5), v, touched);
    if (strcmp(t, "call_expression") == 0) {
        if (eval_variant(rw, n, v)) {
            *touched = true;
            return true;
        }
        return false;
    }
    if (strcmp(t, "unary_expression") == 0) {
        long long a;
        if (!fold_eval(rw, ts_node_child_by_field_name(n, "argument", 8), &a, touched))
            return false;
        TSNode op = ts_node_child_by_field_name(n, "operator", 8);
        if (text_is(rw, op, "-")) *v = -a;
        else if (text_is(rw, op, "+")) *v = a;
        else if (text_is(rw, op, "!")) *v = !a;
        else if (text_is(rw, op, "~")) *v = ~a;
        else return false;
        return true;
    }
    if (strcmp(t, "conditional_expression") == 0) {
        long long c;
        if (!fold_eval(rw, ts_node_child_by_field_name(n, "condition", 9), &c, touched))
            return false;
        return fold_eval(rw, ts_node_child_by_field_name(n, c ? "consequence" : "alternative", c ? 11 : 11), v,
                         touched);
    }
    if (strcmp(t, "binary_expression") == 0) {
        long long a, b;
        TSNode op = ts_node_child_by_field_name(n, "operator", 8);
        if (!fold_eval(rw, ts_node_child_by_field_name(n, "left", 4), &a, touched))
            return false;
        /* a && b, a || b decided by a alone */
        if (text_is(rw, op, "&&") && !a) { *v = 0; return true; }
        if (text_is(rw, op, "||") && a) { *v = 1; return true; }
        if (!fold_eval(rw, ts_node_child_by_field_name(n, "right", 5), &b, touched))
            return false;
        if (text_is(rw, op, "+")) *v = (long long)((unsigned long long)a + (unsigned long long)b);
        else if (text_is(rw, op, "-")) *v = (long long)((unsigned long long)a - (unsigned long long)b);
        else if (text_is(rw, op, "*")) *v = (long long)((unsigned long long)a * (unsigned long long)b);
        else if (text_is(rw, op, "/")) { if (b == 0) return false; *v = a / b; }
        else if (text_is(rw, op, "%")) { if (b == 0) return false; *v = a % b; }
        else if (text_is(rw, op, "&")) *v = a & b;
        else if (text_is(rw, op, "|")) *v = a | b;
        else if (text_is(rw, op, "^")) *v = a ^ b;
        else if (text_is(rw, op, "<<")) { if (b < 0 || b > 62) return false; *v = (long long)((unsigned long long)a << b); }
        else if (text_is(rw, op, ">>")) { if (b < 0 || b > 62) return false; *v = a >> b; }
        else if (text_is(rw, op, "==")) *v = a == b;
        else if (text_is(rw, op, "!=")) *v = a != b;
        else if (text_is(rw, op, "<")) *v = a < b;
        else if (text_is(rw, op, ">")) *v = a > b;
        else if (text_is(rw, op, "<=")) *v = a <= b;
        else if (text_is(rw, op, ">=")) *v = a >= b;
        else if (text_is(rw, op, "&&")) *v = b != 0;
        else if (text_is(rw, op, "||")) *v = b != 0;
        else return false;
        return true;
    }
    return false;
}

static bool is_expression(TSNode n)
{
    static const char *const kinds[] = {"binary_expression", "unary_expression", "parenthesized_expression",
                                        "identifier", "cast_expression", "conditional_expression",
                                        "call_expression"};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (node_is(n, kinds[i]))
            return true;
    return false;
}

bool fold_try(Rewriter *rw, TSNode n)
{
    if (!rw->transform || !is_expression(n))
        return false;
    long long v;
    bool touched = false;
    if (node_is(n, "conditional_expression") && !fold_eval(rw, n, &v, &touched)) {
        /* c ? a : b on a folded c, a or b not constant: only the taken branch */
        long long c;
        touched = false;
        if (!fold_eval(rw, ts_node_child_by_field_name(n, "condition", 9), &c, &touched) ||
            !(touched || rw->fold_consts))
            return false;
        buf_putc(rw->out, '(');
        rewrite_node(rw, ts_node_child_by_field_name(n, c ? "consequence" : "alternative", 11));
        buf_putc(rw->out, ')');
        return true;
    }
    touched = false;
    if (!fold_eval(rw, n, &v, &touched) || !touched)
        return false;
    if (node_is(n, "parenthesized_expression")) {
        /* it may be the parentheses of an if, while or switch */
        buf_printf(rw->out, "(%lld)", v);
        return true;
    }
    if (node_is(n, "identifier")) {
        TSNode p = ts_node_parent(n);
        /* a name being declared or assigned is not a value */
        if (node_is(p, "init_declarator") || node_is(p, "parameter_declaration") ||
            node_is(p, "assignment_expression") || node_is(p, "update_expression"))
            if (!(node_is(p, "assignment_expression") &&
                  !ts_node_eq(ts_node_child_by_field_name(p, "left", 4), n)))
                return false;
    }
    if (v < 0)
        buf_printf(rw->out, "(%lld)", v);
    else
        buf_printf(rw->out, "%lld", v);
    return true;
}

/* if (C) A else B with C folded: emit A or B (or nothing) in place of the statement. */
bool fold_if(Rewriter *rw, TSNode n)
{
    if (!rw->transform || !node_is(n, "if_statement"))
        return false;
    long long c;
    bool touched = false;
    TSNode cond = ts_node_child_by_field_name(n, "condition", 9);
    if (!fold_eval(rw, cond, &c, &touched) || !touched)
        return false;
    TSNode taken = ts_node_child_by_field_name(n, c ? "consequence" : "alternative", c ? 11 : 11);
    if (!c && node_is(taken, "else_clause"))
        taken = ts_node_named_child(taken, 0);
    if (ts_node_is_null(taken)) {
        buf_puts(rw->out, ";");
    } else {
        /* braces keep the statement one statement wherever it stands */
        buf_puts(rw->out, "{ ");
        rw->dirty = true;
        if (rw->lines)
            resync_line(rw, ts_node_start_point(taken));
        rewrite_node(rw, taken);
        buf_puts(rw->out, " }");
    }
    rw->dirty = true;
    return true;
}

/* True when control never leaves stmt normally: a return, or an if folded to a branch that
 * returns. Statements after it are dead and not emitted. */
bool fold_always_returns(const Rewriter *rw, TSNode stmt)
{
    if (!rw->transform)
        return false;
    if (node_is(stmt, "return_statement"))
        return true;
    if (node_is(stmt, "switch_statement"))
        return switch_always_returns(rw, stmt);
    if (node_is(stmt, "compound_statement")) {
        for (uint32_t i = 0; i < ts_node_named_child_count(stmt); i++)
            if (fold_always_returns(rw, ts_node_named_child(stmt, i)))
                return true;
        return false;
    }
    if (!node_is(stmt, "if_statement"))
        return false;
    long long c;
    bool touched = false;
    if (!fold_eval(rw, ts_node_child_by_field_name(stmt, "condition", 9), &c, &touched) || !touched)
        return false;
    TSNode taken = ts_node_child_by_field_name(stmt, c ? "consequence" : "alternative", 11);
    if (!c && node_is(taken, "else_clause"))
        taken = ts_node_named_child(taken, 0);
    return !ts_node_is_null(taken) && fold_always_returns(rw, taken);
}
