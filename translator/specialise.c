/* Specialised copies of functions that stay calls. A function with SPECIALISE(param, lo, hi) on a
 * parameter, called with an argument that folds to a constant k in lo..hi, is called as `f__k`
 * (`f__m3` for -3) without that argument; emit.c then emits f__k once: the parameter is dropped
 * from its signature and replaced by k in its body, where constant conditions fold (if, ?:, and
 * switch here) and dead code goes. Calls with other arguments call the generic f. */
#include "talc_translate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void copy_name(char *out, size_t size, const char *name, long long k)
{
    if (k < 0)
        snprintf(out, size, "%s__m%lld", name, -k);
    else
        snprintf(out, size, "%s__%lld", name, k);
}

/* "f__3" -> the index of f and 3; false when the name is not a copy's */
bool parse_copy_name(const Spec *spec, const char *s, int *fi, long long *k)
{
    const char *sep = NULL;
    for (const char *p = strstr(s, "__"); p; p = strstr(p + 1, "__"))
        sep = p;
    if (!sep || !sep[2])
        return false;
    const char *num = sep + 2;
    bool neg = *num == 'm';
    char *end;
    long long v = strtoll(num + neg, &end, 10);
    if (*end || end == num + neg)
        return false;
    *fi = map_getn(&spec->func_idx, s, (size_t)(sep - s));
    *k = neg ? -v : v;
    return *fi >= 0;
}

/* the call passes a constant in the specialised parameter's range */
bool call_specialised(const Rewriter *rw, TSNode call, const Function *f, long long *k)
{
    if (!rw->transform || !f || !f->spec_param || f->spec_index < 0 || call_nargs(call) <= (uint32_t)f->spec_index)
        return false;
    TSNode arg = call_arg(call, (uint32_t)f->spec_index);
    bool touched = false;
    if (!fold_eval(rw, arg, k, &touched))
        return false;
    return *k >= f->spec_lo && *k <= f->spec_hi;
}

/* f__k(the other arguments) */
void emit_specialised_call(Rewriter *rw, TSNode call, const Function *f, long long k)
{
    char name[256];
    copy_name(name, sizeof name, f->name, k);
    buf_printf(rw->out, "%s(", name);
    uint32_t n = call_nargs(call);
    bool first = true;
    for (uint32_t i = 0; i < n; i++) {
        if ((int)i == f->spec_index)
            continue;
        if (!first)
            buf_puts(rw->out, ", ");
        rewrite_node(rw, call_arg(call, i));
        first = false;
    }
    buf_putc(rw->out, ')');
    record_call(rw, f, true, k);
}

/* name__k(params but the specialised one) for the copy's definition and prototype */
void put_copy_declarator(Buf *out, const Spec *spec, const Function *fn, long long k)
{
    const SpecFile *f = &spec->files[fn->file];
    char name[256];
    copy_name(name, sizeof name, fn->name, k);
    buf_printf(out, "%s(", name);
    TSNode params = function_params(fn);
    int idx = 0;
    bool first = true;
    for (uint32_t i = 0; i < ts_node_named_child_count(params); i++) {
        TSNode p = ts_node_named_child(params, i);
        if (!node_is(p, "parameter_declaration"))
            continue;
        if (idx++ == fn->spec_index)
            continue;
        char *t = node_text(f, p);
        buf_printf(out, "%s%s", first ? "" : ", ", t);
        free(t);
        first = false;
    }
    buf_puts(out, first ? "void)" : ")");
}

static bool has_break(TSNode n, bool top)
{
    if (node_is(n, "break_statement"))
        return true;
    /* a break inside a nested loop or switch is that one's */
    if (!top && (node_is(n, "while_statement") || node_is(n, "for_statement") || node_is(n, "do_statement") ||
                 node_is(n, "switch_statement")))
        return false;
    for (uint32_t i = 0; i < ts_node_named_child_count(n); i++)
        if (has_break(ts_node_named_child(n, i), false))
            return true;
    return false;
}

/* The statements a switch on a folded value runs: from the matching case (or default) on,
 * through fall-throughs, up to a break that ends the case; false when the switch does not fold
 * or another break leaves it (then it stays, its condition a constant). */
static bool select_case(const Rewriter *rw, TSNode n, TSNode *keep, int *nkeep_out)
{
    if (!rw->transform || !node_is(n, "switch_statement"))
        return false;
    long long v, cv;
    bool touched = false;
    if (!fold_eval(rw, ts_node_child_by_field_name(n, "condition", 9), &v, &touched) || !touched)
        return false;
    TSNode body = ts_node_child_by_field_name(n, "body", 4);
    int start = -1, dflt = -1, count = (int)ts_node_named_child_count(body);
    for (int i = 0; i < count && start < 0; i++) {
        TSNode c = ts_node_named_child(body, (uint32_t)i);
        if (!node_is(c, "case_statement"))
            continue;
        TSNode val = ts_node_child_by_field_name(c, "value", 5);
        bool t2 = false;
        if (ts_node_is_null(val))
            dflt = i;
        else if (!fold_eval(rw, val, &cv, &t2))
            return false; /* a case the translator cannot evaluate: leave it to the compiler */
        else if (cv == v)
            start = i;
    }
    if (start < 0)
        start = dflt;
    /* the statements to keep, and a check that the only break is the one that ends them */
    int nkeep = 0;
    bool ended = start < 0;
    for (int i = start; i >= 0 && i < count && !ended; i++) {
        TSNode c = ts_node_named_child(body, (uint32_t)i);
        if (node_is(c, "comment"))
            continue;
        if (!node_is(c, "case_statement"))
            return false;
        for (uint32_t j = 0; j < ts_node_named_child_count(c); j++) {
            TSNode s = ts_node_named_child(c, j);
            if (ts_node_eq(s, ts_node_child_by_field_name(c, "value", 5)) || node_is(s, "comment"))
                continue;
            if (node_is(s, "break_statement")) {
                ended = true;
                break;
            }
            if (has_break(s, true) || nkeep >= 256)
                return false;
            keep[nkeep++] = s;
            if (fold_always_returns(rw, s)) {
                ended = true;
                break;
            }
        }
    }
    *nkeep_out = nkeep;
    return true;
}

/* a folded switch that always returns: what follows it is dead */
bool switch_always_returns(const Rewriter *rw, TSNode n)
{
    TSNode keep[256];
    int nkeep;
    if (!select_case(rw, n, keep, &nkeep))
        return false;
    for (int i = 0; i < nkeep; i++)
        if (fold_always_returns(rw, keep[i]))
            return true;
    return false;
}

bool fold_switch(Rewriter *rw, TSNode n)
{
    TSNode keep[256];
    int nkeep;
    if (!select_case(rw, n, keep, &nkeep))
        return false;
    buf_puts(rw->out, "{ ");
    for (int i = 0; i < nkeep; i++) {
        rw->dirty = true;
        if (!rw->lines)
            buf_putc(rw->out, ' ');
        rewrite_node(rw, keep[i]);
    }
    buf_puts(rw->out, " }");
    rw->dirty = true;
    if (rw->log) {
        TSPoint p = ts_node_start_point(n);
        buf_printf(rw->log, "  folded switch at %s:%u to %s\n", rw->file->rel, p.row + 1,
                   nkeep ? "its case" : "nothing");
    }
    return true;
}
