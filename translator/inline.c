/* Source-level inlining. A call to an INLINE(always) function (or a small INLINE(hint) one) is
 * replaced by its body:
 *   - an expression function (`return E;` alone, once SIM_ONLY/ASSERT_SIM are removed) whose
 *     parameters can be substituted safely becomes (E) in place, anywhere: a ?: on a constant
 *     keeps one branch, and a parameter used twice is fine when its argument may be copied;
 *   - any other is hoisted before its statement as a block: parameters bound once, in order, to
 *     fresh locals; locals renamed with a unique suffix; returns assign the result temp and jump
 *     to the block's end (no jump for the final statement). Calls under && || ?: and in loop
 *     conditions are never hoisted: they stay calls (the evaluation order must not change), and
 *     for INLINE(always) that is an error (refuse_always).
 * In interpret(), calls to functions that touch the VM registers write the locals back around
 * the call (wrap_register_call). */
#include "talc_translate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

Subst *subst_find(const Rewriter *rw, const char *s, size_t n)
{
    for (size_t i = rw->nsubst; i > 0; i--) {
        Subst *sb = &rw->subst[i - 1];
        if (strlen(sb->name) == n && memcmp(sb->name, s, n) == 0)
            return sb;
    }
    return NULL;
}

void subst_push(Rewriter *rw, const char *name, char *text, bool is_const, long long value)
{
    GROW(rw->subst, rw->nsubst, rw->csubst);
    rw->subst[rw->nsubst++] = (Subst){name, text, value, is_const, is_const};
}

void subst_pop_to(Rewriter *rw, size_t n)
{
    while (rw->nsubst > n)
        free(rw->subst[--rw->nsubst].text);
}

const Function *callee_of(const Rewriter *rw, TSNode call)
{
    TSNode fn = ts_node_child_by_field_name(call, "function", 8);
    if (!node_is(fn, "identifier"))
        return NULL;
    uint32_t s = ts_node_start_byte(fn);
    int i = map_getn(&rw->spec->func_idx, rw->file->src + s, ts_node_end_byte(fn) - s);
    return i < 0 ? NULL : &rw->spec->funcs[i];
}

void record_call(Rewriter *rw, const Function *fn, bool has_const, long long k)
{
    if (!rw->calls)
        return;
    char name[256];
    if (has_const)
        snprintf(name, sizeof name, "%s__%lld", fn->name, k);
    else
        snprintf(name, sizeof name, "%s", fn->name);
    map_put(rw->calls, name, 1);
}

static bool is_inlinable(const Rewriter *rw, const Function *f)
{
    if (!rw->transform || !f || !f->inline_how || f == rw->top || rw->depth >= 15)
        return false;
    for (int i = 0; i < rw->depth; i++)
        if (rw->istack[i] == f)
            return false;
    if (strcmp(f->inline_how, "always") == 0)
        return true;
    return strcmp(f->inline_how, "hint") == 0 && f->nstmts <= 3;
}

/* the parameter names of fn, in order */
static size_t param_names(const Function *fn, char **names, size_t max)
{
    const SpecFile *f = NULL;
    (void)f;
    TSNode params = function_params(fn);
    size_t n = 0;
    for (uint32_t i = 0; i < ts_node_named_child_count(params) && n < max; i++) {
        TSNode p = ts_node_named_child(params, i);
        if (!node_is(p, "parameter_declaration"))
            continue;
        TSNode nm = declarator_name(ts_node_child_by_field_name(p, "declarator", 10));
        if (ts_node_is_null(nm))
            continue;
        names[n++] = NULL; /* filled by the caller with the file */
        (void)nm;
    }
    return n;
}

static TSNode param_name_node(const Function *fn, size_t k)
{
    TSNode params = function_params(fn);
    size_t n = 0;
    for (uint32_t i = 0; i < ts_node_named_child_count(params); i++) {
        TSNode p = ts_node_named_child(params, i);
        if (!node_is(p, "parameter_declaration"))
            continue;
        TSNode nm = declarator_name(ts_node_child_by_field_name(p, "declarator", 10));
        if (ts_node_is_null(nm))
            continue;
        if (n++ == k)
            return nm;
    }
    TSNode none = {0};
    return none;
}

static size_t count_params(const Function *fn)
{
    char *dummy[64];
    return param_names(fn, dummy, 64);
}

static int count_uses(const SpecFile *f, TSNode n, const char *name, size_t len)
{
    if (node_is(n, "identifier")) {
        uint32_t s = ts_node_start_byte(n);
        return ts_node_end_byte(n) - s == len && memcmp(f->src + s, name, len) == 0;
    }
    int k = 0;
    for (uint32_t i = 0; i < ts_node_named_child_count(n); i++)
        k += count_uses(f, ts_node_named_child(n, i), name, len);
    return k;
}

/* Uses of a parameter in an expression body as the inliner emits it: a ?: on a constant keeps
 * one branch (fold_consts), so `BytesPerWord == 8 ? oop >> 3 : oop >> 1` uses oop once. */
static int count_folded_uses(const Rewriter *rw, const SpecFile *cf, TSNode n, const char *name, size_t len)
{
    if (node_is(n, "conditional_expression")) {
        Rewriter callee = *rw;   /* the callee's file, none of the caller's substitutions */
        callee.file = cf;
        callee.nsubst = 0;
        long long c;
        bool touched = false;
        if (fold_eval(&callee, ts_node_child_by_field_name(n, "condition", 9), &c, &touched))
            return count_folded_uses(rw, cf, ts_node_child_by_field_name(n, c ? "consequence" : "alternative", 11),
                                     name, len);
    }
    if (node_is(n, "identifier"))
        return count_uses(cf, n, name, len);
    int k = 0;
    for (uint32_t i = 0; i < ts_node_named_child_count(n); i++)
        k += count_folded_uses(rw, cf, ts_node_named_child(n, i), name, len);
    return k;
}

static bool is_assigned(const SpecFile *f, TSNode n, const char *name, size_t len)
{
    if (node_is(n, "assignment_expression") || node_is(n, "update_expression")) {
        TSNode l = ts_node_child_by_field_name(n, node_is(n, "update_expression") ? "argument" : "left",
                                               node_is(n, "update_expression") ? 8 : 4);
        if (node_is(l, "identifier") && count_uses(f, l, name, len))
            return true;
    }
    for (uint32_t i = 0; i < ts_node_named_child_count(n); i++)
        if (is_assigned(f, ts_node_named_child(n, i), name, len))
            return true;
    return false;
}

static bool is_hoisted(const Rewriter *rw, TSNode call, const char **name)
{
    for (size_t i = 0; i < rw->nhoisted; i++)
        if (ts_node_eq(rw->hoisted[i], call)) {
            if (name)
                *name = rw->hoisted_name[i];
            return true;
        }
    return false;
}

/* no calls (other than already hoisted ones), assignments or increments */
static bool is_pure(const Rewriter *rw, TSNode n)
{
    if (node_is(n, "call_expression"))
        return is_hoisted(rw, n, NULL);
    if (node_is(n, "assignment_expression") || node_is(n, "update_expression"))
        return false;
    for (uint32_t i = 0; i < ts_node_named_child_count(n); i++)
        if (!is_pure(rw, ts_node_named_child(n, i)))
            return false;
    return true;
}

/* a value that may be copied: a literal, a constant, a local of the caller, a hoisted temp */
static bool is_simple(const Rewriter *rw, TSNode n)
{
    while (node_is(n, "parenthesized_expression"))
        n = ts_node_named_child(n, 0);
    if (node_is(n, "number_literal"))
        return true;
    if (node_is(n, "call_expression"))
        return is_hoisted(rw, n, NULL);
    if (!node_is(n, "identifier"))
        return false;
    uint32_t s = ts_node_start_byte(n);
    size_t len = ts_node_end_byte(n) - s;
    Subst *sb = subst_find(rw, rw->file->src + s, len);
    if (sb)
        return sb->simple;
    return map_getn(&rw->spec->state_idx, rw->file->src + s, len) < 0;
}

static bool arg_constant(const Rewriter *rw, TSNode arg, long long *v)
{
    bool touched = false;
    if (!fold_eval(rw, arg, v, &touched))
        return false;
    return touched || node_is(arg, "number_literal");
}

static char *render(Rewriter *rw, TSNode n)
{
    Buf b = {0}, *saved = rw->out;
    bool saved_lines = rw->lines;
    rw->out = &b;
    rw->lines = false; /* the text is joined into one line: no #line inside it */
    buf_puts(&b, "");
    rewrite_node(rw, n);
    rw->out = saved;
    rw->lines = saved_lines;
    for (size_t i = 0; i < b.len; i++)
        if (b.s[i] == '\n') {
            b.s[i] = ' ';
            rw->dirty = true;
        }
    return b.s;
}

static TSNode return_value_of(const Function *f)
{
    TSNode body = f->body;
    for (uint32_t i = 0; i < ts_node_named_child_count(body); i++) {
        TSNode s = ts_node_named_child(body, i);
        if (node_is(s, "return_statement"))
            return ts_node_named_child(s, 0);
    }
    TSNode none = {0};
    return none;
}

static void log_inline(Rewriter *rw, const Function *f, TSNode call, const char *how)
{
    if (!rw->log)
        return;
    TSPoint p = ts_node_start_point(call);
    buf_printf(rw->log, "  inlined %s into %s at %s:%u:%u (%s)\n", f->name, rw->top ? rw->top->name : "?",
               rw->file->rel, p.row + 1, p.column + 1, how);
}

static bool expr_inlinable(const Rewriter *rw, TSNode call, const Function *f)
{
    if (!is_inlinable(rw, f) || !f->expr_body)
        return false;
    size_t np = count_params(f);
    if (np != call_nargs(call))
        return false;
    TSNode e = return_value_of(f);
    const SpecFile *cf = &rw->spec->files[f->file];
    int impure = 0;
    for (size_t i = 0; i < np; i++) {
        TSNode nm = param_name_node(f, i), arg = call_arg(call, (uint32_t)i);
        uint32_t s = ts_node_start_byte(nm);
        size_t len = ts_node_end_byte(nm) - s;
        int uses = count_folded_uses(rw, cf, e, cf->src + s, len);
        long long k;
        if (arg_constant(rw, arg, &k) || is_simple(rw, arg))
            continue;
        if (!is_pure(rw, arg)) {
            if (uses != 1)
                return false;
            impure++;
        } else if (uses > 1)
            return false;
    }
    return impure <= 1;
}

bool inline_expression(Rewriter *rw, TSNode call)
{
    const Function *f = callee_of(rw, call);
    if (!f || !expr_inlinable(rw, call, f))
        return false;
    size_t np = count_params(f), mark = rw->nsubst;
    const SpecFile *cf = &rw->spec->files[f->file];
    /* every argument is rendered in the caller's context before any parameter is bound: a
     * later argument may name a caller variable that shares an earlier parameter's name */
    char **texts = xmalloc((np + 1) * sizeof *texts);
    long long *consts = xmalloc((np + 1) * sizeof *consts);
    bool *simple = xmalloc((np + 1) * sizeof *simple);
    for (size_t i = 0; i < np; i++) {
        TSNode arg = call_arg(call, (uint32_t)i);
        texts[i] = NULL;
        simple[i] = is_simple(rw, arg);
        if (!arg_constant(rw, arg, &consts[i])) {
            char *t = render(rw, arg);
            Buf b = {0};
            buf_printf(&b, "(%s)", t);
            free(t);
            texts[i] = b.s;
        }
    }
    for (size_t i = 0; i < np; i++) {
        subst_push(rw, node_text(cf, param_name_node(f, i)), texts[i], texts[i] == NULL, texts[i] ? 0 : consts[i]);
        rw->subst[rw->nsubst - 1].simple |= simple[i];
    }
    free(simple);
    free(texts);
    free(consts);
    /* parameter names are owned by the substitutions' texts only when copied: keep them alive */
    const SpecFile *saved = rw->file;
    uint32_t saved_resume = rw->resume;
    rw->istack[rw->depth++] = f;
    rw->file = cf;
    rw->resume = 0;
    bool saved_fold = rw->fold_consts;
    rw->fold_consts = true; /* as counted by count_folded_uses */
    /* C allows #line between the tokens of an expression: the substituted expression sits on
     * lines of its own mapped to the callee's, and the caller's line resumes after it */
    TSNode e = return_value_of(f);
    resync_line(rw, ts_node_start_point(e));
    buf_putc(rw->out, '(');
    rewrite_node(rw, e);
    buf_putc(rw->out, ')');
    rw->fold_consts = saved_fold;
    rw->file = saved;
    resync_line(rw, ts_node_end_point(call));
    rw->resume = saved_resume;
    rw->depth--;
    log_inline(rw, f, call, "expression");
    for (size_t i = mark; i < rw->nsubst; i++)
        free((char *)rw->subst[i].name);
    subst_pop_to(rw, mark);
    return true;
}

static char *return_type(const Function *f)
{
    const SpecFile *cf = NULL;
    (void)cf;
    TSNode t = ts_node_child_by_field_name(f->def, "type", 4);
    return ts_node_is_null(t) ? xstrdup("void") : NULL;
}

/* the body as a block, the result in a fresh temp; registers the call as hoisted */
static void emit_inline_block(Rewriter *rw, TSNode call, const Function *f, bool drop)
{
    const SpecFile *cf = &rw->spec->files[f->file];
    int id = (*rw->counter)++;
    char *rtype = return_type(f);
    if (!rtype)
        rtype = node_text(cf, ts_node_child_by_field_name(f->def, "type", 4));
    bool has_value = strcmp(rtype, "void") != 0 && !drop;
    char rname[160] = "";
    if (has_value) {
        snprintf(rname, sizeof rname, "talc_%s_%d", f->name, id);
        buf_printf(rw->out, "%s %s; ", rtype, rname);
    }
    size_t np = count_params(f), mark = rw->nsubst;
    /* arguments are rendered in the caller's context, in order, before any binding: a later
     * argument may name a caller variable that shares an earlier parameter's name */
    char **texts = xmalloc((np + 1) * sizeof *texts);
    long long *consts = xmalloc((np + 1) * sizeof *consts);
    int *kinds = xmalloc((np + 1) * sizeof *kinds);   /* 0 constant, 1 copied text, 2 bound local */
    for (size_t i = 0; i < np; i++) {
        TSNode nm = param_name_node(f, i), arg = call_arg(call, (uint32_t)i);
        uint32_t s = ts_node_start_byte(nm);
        size_t len = ts_node_end_byte(nm) - s;
        bool assigned = is_assigned(cf, f->body, cf->src + s, len);
        texts[i] = NULL;
        if (!assigned && arg_constant(rw, arg, &consts[i])) {
            kinds[i] = 0;
        } else {
            kinds[i] = !assigned && is_simple(rw, arg) ? 1 : 2;
            texts[i] = render(rw, arg);
        }
    }
    buf_puts(rw->out, "{");
    Buf binds = {0};
    for (size_t i = 0; i < np; i++) {
        TSNode nm = param_name_node(f, i);
        char *pname = node_text(cf, nm);
        if (kinds[i] == 0) {
            subst_push(rw, pname, NULL, true, consts[i]);
        } else if (kinds[i] == 1) {
            subst_push(rw, pname, texts[i], false, 0);
            rw->subst[rw->nsubst - 1].simple = true;
        } else {
            TSNode pdecl = ts_node_parent(nm);
            while (!ts_node_is_null(pdecl) && !node_is(pdecl, "parameter_declaration"))
                pdecl = ts_node_parent(pdecl);
            char *ptype = node_text(cf, ts_node_child_by_field_name(pdecl, "type", 4));
            Buf local = {0};
            buf_printf(&local, "%s__%d", pname, id);
            buf_printf(&binds, " %s %s = %s;", ptype, local.s, texts[i]);
            free(ptype);
            free(texts[i]);
            subst_push(rw, pname, local.s, false, 0);
            rw->subst[rw->nsubst - 1].simple = true;
        }
    }
    free(consts);
    free(kinds);
    free(texts);
    if (binds.len)
        buf_add(rw->out, binds.s, binds.len);
    buf_free(&binds);
    /* locals of the body get the same suffix */
    TSNode stack[256];
    int sp = 0;
    stack[sp++] = f->body;
    while (sp > 0) {
        TSNode n = stack[--sp];
        if (node_is(n, "declaration")) {
            for (uint32_t i = 0; i < ts_node_named_child_count(n); i++) {
                TSNode d = ts_node_named_child(n, i);
                TSNode nm = node_is(d, "init_declarator") ? declarator_name(ts_node_child_by_field_name(d, "declarator", 10))
                                                          : declarator_name(d);
                if (ts_node_is_null(nm) || !(node_is(d, "init_declarator") || node_is(d, "identifier")))
                    continue;
                char *name = node_text(cf, nm);
                Buf local = {0};
                buf_printf(&local, "%s__%d", name, id);
                subst_push(rw, name, local.s, false, 0);
                rw->subst[rw->nsubst - 1].simple = true;
            }
        }
        for (uint32_t i = ts_node_named_child_count(n); i > 0 && sp < 256; i--)
            stack[sp++] = ts_node_named_child(n, i - 1);
    }
    /* the body's statements, returns redirected */
    const SpecFile *saved_file = rw->file;
    ReturnKind saved_ret = rw->ret;
    const char *saved_var = rw->ret_var;
    char saved_label[48];
    memcpy(saved_label, rw->ret_label, sizeof saved_label);
    TSNode saved_last = rw->last_stmt;
    bool saved_used = rw->label_used;
    uint32_t saved_resume = rw->resume;
    rw->file = cf;
    rw->ret = RET_INLINE;
    rw->ret_var = has_value ? rname : NULL;
    snprintf(rw->ret_label, sizeof rw->ret_label, "talc_end_%d", id);
    rw->label_used = false;
    rw->resume = 0;
    TSNode last = {0};
    for (uint32_t i = 0; i < ts_node_named_child_count(f->body); i++) {
        TSNode s = ts_node_named_child(f->body, i);
        if (!node_is(s, "comment"))
            last = s;
        if (fold_always_returns(rw, s))
            break; /* what follows is dead */
    }
    rw->last_stmt = last;
    rw->istack[rw->depth++] = f;
    for (uint32_t i = 0; i < ts_node_named_child_count(f->body); i++) {
        TSNode s = ts_node_named_child(f->body, i);
        if (node_is(s, "comment"))
            continue;
        Annotation a = statement_annotation(cf, s, NULL);
        if (a == ANN_INLINE || a == ANN_SPECIALISE)
            continue;
        rw->dirty = true;
        if (!rw->lines)
            buf_putc(rw->out, ' ');
        rewrite_node(rw, s);
        if (ts_node_eq(s, last))
            break;
    }
    rw->depth--;
    bool used = rw->label_used;
    rw->file = saved_file;
    rw->ret = saved_ret;
    rw->ret_var = saved_var;
    memcpy(rw->ret_label, saved_label, sizeof saved_label);
    rw->last_stmt = saved_last;
    rw->label_used = saved_used;
    rw->resume = saved_resume;
    for (size_t i = mark; i < rw->nsubst; i++)
        free((char *)rw->subst[i].name);
    subst_pop_to(rw, mark);
    if (used)
        buf_printf(rw->out, " talc_end_%d: ;", id);
    buf_puts(rw->out, " }");
    rw->dirty = true;
    GROW(rw->hoisted, rw->nhoisted, rw->choisted);
    rw->hoisted[rw->nhoisted] = call;
    rw->hoisted_name = xrealloc(rw->hoisted_name, rw->choisted * sizeof *rw->hoisted_name);
    rw->hoisted_name[rw->nhoisted++] = xstrdup(rname);
    log_inline(rw, f, call, "block");
    free(rtype);
}

static bool names_declared_in(const Rewriter *rw, TSNode n, TSNode decl)
{
    if (node_is(n, "identifier")) {
        for (uint32_t i = 0; i < ts_node_named_child_count(decl); i++) {
            TSNode d = ts_node_named_child(decl, i);
            TSNode nm = declarator_name(node_is(d, "init_declarator") ? ts_node_child_by_field_name(d, "declarator", 10) : d);
            if (ts_node_is_null(nm))
                continue;
            uint32_t a = ts_node_start_byte(nm), b = ts_node_end_byte(nm);
            uint32_t x = ts_node_start_byte(n), y = ts_node_end_byte(n);
            if (b - a == y - x && memcmp(rw->file->src + a, rw->file->src + x, b - a) == 0)
                return true;
        }
        return false;
    }
    for (uint32_t i = 0; i < ts_node_named_child_count(n); i++)
        if (names_declared_in(rw, ts_node_named_child(n, i), decl))
            return true;
    return false;
}

/* inlinable calls of an expression, in evaluation order, never under && || ?: */
static void collect(Rewriter *rw, TSNode n, TSNode decl, TSNode *out, size_t *nout, size_t max)
{
    if (ts_node_is_null(n))
        return;
    if (node_is(n, "call_expression")) {
        collect(rw, ts_node_child_by_field_name(n, "arguments", 9), decl, out, nout, max);
        const Function *f = callee_of(rw, n);
        if (f && is_inlinable(rw, f) && !expr_inlinable(rw, n, f) && *nout < max && count_params(f) == call_nargs(n) &&
            (ts_node_is_null(decl) || !names_declared_in(rw, ts_node_child_by_field_name(n, "arguments", 9), decl)))
            out[(*nout)++] = n;
        return;
    }
    if (node_is(n, "binary_expression")) {
        TSNode op = ts_node_child_by_field_name(n, "operator", 8);
        const char *t = ts_node_type(op);
        if (strcmp(t, "&&") == 0 || strcmp(t, "||") == 0) {
            collect(rw, ts_node_child_by_field_name(n, "left", 4), decl, out, nout, max);
            return;
        }
    }
    if (node_is(n, "conditional_expression")) {
        collect(rw, ts_node_child_by_field_name(n, "condition", 9), decl, out, nout, max);
        return;
    }
    for (uint32_t i = 0; i < ts_node_named_child_count(n); i++)
        collect(rw, ts_node_named_child(n, i), decl, out, nout, max);
}

/* Hoists the statement's inlinable calls. Returns true when the statement itself is one of them
 * (a void call, or a value call whose value is dropped): nothing more to emit. */
bool inline_statement(Rewriter *rw, TSNode stmt)
{
    if (!rw->transform)
        return false;
    TSNode parts[16];
    size_t np = 0;
    TSNode decl = {0};
    if (node_is(stmt, "expression_statement") || node_is(stmt, "return_statement")) {
        if (ts_node_named_child_count(stmt) > 0)
            parts[np++] = ts_node_named_child(stmt, 0);
    } else if (node_is(stmt, "if_statement") || node_is(stmt, "switch_statement")) {
        parts[np++] = ts_node_child_by_field_name(stmt, "condition", 9);
    } else if (node_is(stmt, "declaration")) {
        decl = stmt;
        for (uint32_t i = 0; i < ts_node_named_child_count(stmt) && np < 16; i++) {
            TSNode d = ts_node_named_child(stmt, i);
            if (node_is(d, "init_declarator"))
                parts[np++] = ts_node_child_by_field_name(d, "value", 5);
        }
    }
    TSNode calls[64];
    size_t nc = 0;
    for (size_t i = 0; i < np; i++)
        collect(rw, parts[i], decl, calls, &nc, 64);
    if (nc == 0)
        return false;
    TSNode whole = node_is(stmt, "expression_statement") ? ts_node_named_child(stmt, 0) : (TSNode){0};
    for (size_t i = 0; i < nc; i++)
        emit_inline_block(rw, calls[i], callee_of(rw, calls[i]), ts_node_eq(calls[i], whole));
    if (node_is(stmt, "expression_statement") && ts_node_eq(ts_node_named_child(stmt, 0), calls[nc - 1]))
        return true;
    if (rw->lines)
        resync_line(rw, ts_node_start_point(stmt));
    else
        buf_putc(rw->out, ' ');
    rw->dirty = true;
    return false;
}

bool wrap_register_call(Rewriter *rw, TSNode call)
{
    const Function *f = callee_of(rw, call);
    if (!rw->in_interp || !f || !f->touches_registers)
        return false;
    const SpecFile *cf = &rw->spec->files[f->file];
    char *rtype = node_text(cf, ts_node_child_by_field_name(f->def, "type", 4));
    bool is_void = strcmp(rtype, "void") == 0;
    bool dropped = node_is(ts_node_parent(call), "expression_statement");
    buf_puts(rw->out, "(");
    emit_writeback(rw, f, true);
    buf_puts(rw->out, ", ");
    if (!is_void && !dropped)
        buf_puts(rw->out, strcmp(rtype, "sqInt") == 0 ? "talc_rv = " : "talc_rvl = ");
    else if (!is_void)
        buf_puts(rw->out, "(void)");
    long long k;
    if (call_specialised(rw, call, f, &k))
        emit_specialised_call(rw, call, f, k);
    else
        rewrite_children(rw, call);
    buf_puts(rw->out, ", ");
    emit_reload(rw, f, true);
    if (!is_void && !dropped)
        buf_puts(rw->out, strcmp(rtype, "sqInt") == 0 ? ", talc_rv" : ", talc_rvl");
    buf_puts(rw->out, ")");
    free(rtype);
    return true;
}

/* Why a call was not inlined, from where it stands: only calls that run exactly once, in order,
 * where their statement starts can be hoisted (inline_statement). */
static const char *why_not_inlined(const Rewriter *rw, TSNode call, const Function *f)
{
    static char why[200];
    if (count_params(f) != call_nargs(call)) {
        snprintf(why, sizeof why, "it is called with %u arguments but has %zu parameters", call_nargs(call),
                 count_params(f));
        return why;
    }
    if (f == rw->top)
        return "it calls itself (recursion)";
    for (int i = 0; i < rw->depth; i++)
        if (rw->istack[i] == f)
            return "it is already being inlined here (recursion)";
    if (rw->depth >= 15)
        return "inlining is nested more than 15 deep here";
    TSNode child = call;
    for (TSNode p = ts_node_parent(call); !ts_node_is_null(p); child = p, p = ts_node_parent(p)) {
        const char *t = ts_node_type(p);
        if (strcmp(t, "binary_expression") == 0 && ts_node_eq(child, ts_node_child_by_field_name(p, "right", 5))) {
            TSNode op = ts_node_child_by_field_name(p, "operator", 8);
            if (strcmp(ts_node_type(op), "&&") == 0)
                return "it is in the right operand of '&&', which runs only when the left is true";
            if (strcmp(ts_node_type(op), "||") == 0)
                return "it is in the right operand of '||', which runs only when the left is false";
        }
        if (strcmp(t, "conditional_expression") == 0 && !ts_node_eq(child, ts_node_child_by_field_name(p, "condition", 9)))
            return "it is in a branch of '?:', which runs only when chosen";
        if (strcmp(t, "while_statement") == 0 || strcmp(t, "do_statement") == 0)
            return "it is in a loop condition, which runs on every iteration";
        if (strcmp(t, "for_statement") == 0)
            return "it is in a for loop's header, whose parts run at different times";
        if (strcmp(t, "declaration") == 0)
            return "its arguments name a variable declared by the same declaration";
        if (strcmp(t, "expression_statement") == 0 || strcmp(t, "return_statement") == 0 ||
            strcmp(t, "if_statement") == 0 || strcmp(t, "switch_statement") == 0)
            break;
    }
    return "it is in a position where its body cannot be placed before the statement";
}

/* A call to an INLINE(always) function that stays a call is an error, reported once per call site
 * even when the code around it is emitted several times (specialised labels, copies). */
void refuse_always(Rewriter *rw, TSNode call, const Function *f)
{
    static NameMap reported;
    if (!rw->transform || !f || !f->inline_how || strcmp(f->inline_how, "always") != 0)
        return;
    TSPoint p = ts_node_start_point(call);
    char key[512];
    snprintf(key, sizeof key, "%s:%u:%u", rw->file->rel, p.row, p.column);
    if (map_get(&reported, key) >= 0)
        return;
    map_put(&reported, key, 1);
    diag(rw->file->rel, p.row + 1, p.column + 1, "inline: '%s' is INLINE(always) but cannot be inlined here: %s",
         f->name, why_not_inlined(rw, call, f));
}
