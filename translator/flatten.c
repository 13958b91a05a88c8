/* Dispatch flattening: interpret()'s `while (C) { FETCH...; DISPATCH_BYTECODE(i); }` becomes one
 * function whose bytecode routines are labels (computed goto, or `case`s with
 * TALC_SWITCH_DISPATCH). Each routine ends with its own copy of the fetch and an indirect jump
 * (threaded code); with switch dispatch it ends with `continue`. A routine that specialises the
 * dispatch index's global (SPECIALISE(currentBytecode, lo, hi)) gets one label per value, the
 * global replaced by that constant and folded. The VM_REGISTERS globals are locals of
 * interpret(), written back around calls to functions that use them (see inline.c). */
#include "talc_translate.h"

#include <stdlib.h>
#include <string.h>

void emit_register_decls(Rewriter *rw)
{
    const Spec *spec = rw->spec;
    for (size_t i = 0; i < spec->nregisters; i++)
        buf_printf(rw->out, " sqInt %s = %s;", spec->registers[i].local, spec->registers[i].global);
    buf_puts(rw->out, " TALC_UNUSED sqInt talc_rv; TALC_UNUSED sqLong talc_rvl;");
}

/* the registers a call to f needs in their globals (it reads or writes them, itself or through
 * its callees: written back before) or changes there (written: reloaded after); f NULL: all */
static bool register_moves(const Rewriter *rw, const Function *f, size_t i, bool back)
{
    if (!f)
        return true;
    const char *g = rw->spec->registers[i].global;
    int st = state_index(rw->spec, g, strlen(g));
    if (st < 0)
        return true;
    return state_bit(f->state_writes, st) || (back && state_bit(f->state_reads, st));
}

static void emit_moves(Rewriter *rw, const Function *f, bool as_expr, bool back)
{
    const Spec *spec = rw->spec;
    size_t n = 0;
    if (as_expr)
        buf_putc(rw->out, '(');
    for (size_t i = 0; i < spec->nregisters; i++) {
        const Register *r = &spec->registers[i];
        if (!register_moves(rw, f, i, back))
            continue;
        buf_printf(rw->out, "%s%s = %s", n++ ? (as_expr ? ", " : " ") : "", back ? r->global : r->local,
                   back ? r->local : r->global);
        if (!as_expr)
            buf_putc(rw->out, ';');
    }
    if (n == 0)
        buf_puts(rw->out, as_expr ? "(void)0" : ";");
    if (as_expr)
        buf_putc(rw->out, ')');
}

void emit_writeback(Rewriter *rw, const Function *f, bool as_expr) { emit_moves(rw, f, as_expr, true); }
void emit_reload(Rewriter *rw, const Function *f, bool as_expr) { emit_moves(rw, f, as_expr, false); }

static void newline(Buf *o)
{
    if (o->len && o->s[o->len - 1] != '\n')
        buf_putc(o, '\n');
}

typedef struct {
    char name[96];
    int entry;
    long long k;
    bool specialised;
} Label;

static bool specialises(const Function *f, const char *global, int i)
{
    return f && f->spec_param && f->spec_index < 0 && strcmp(f->spec_param, global) == 0 && i >= f->spec_lo &&
           i <= f->spec_hi;
}

static int set_of(int index) { return index < 256 ? SET_V3 : SET_SISTA; }

/* may running routine f change the loop condition? Only when it writes (itself or through a
 * callee) a VM_STATE global the condition reads; a condition that calls a function always may */
static bool may_change(const Rewriter *rw, const Function *f, TSNode cond)
{
    if (node_is(cond, "identifier")) {
        uint32_t s = ts_node_start_byte(cond);
        size_t n = ts_node_end_byte(cond) - s;
        const char *t = rw->file->src + s;
        if (map_getn(&rw->spec->func_idx, t, n) >= 0 || map_getn(&rw->spec->platform_fns, t, n) >= 0)
            return true;
        int st = state_index(rw->spec, t, n);
        return st >= 0 && state_bit(f->state_writes, st);
    }
    if (node_is(cond, "call_expression"))
        return true;
    for (uint32_t i = 0; i < ts_node_named_child_count(cond); i++)
        if (may_change(rw, f, ts_node_named_child(cond, i)))
            return true;
    return false;
}

/* the statements before the dispatch, re-emitted at the end of every routine; the loop
 * condition, true when the routine began, is tested again only if the routine may change it */
static void emit_next(Rewriter *rw, const Function *f, TSNode loop_body, TSNode stmt, TSNode cond, TSNode idx, int d)
{
    Buf *o = rw->out;
    rw->resume = 0; /* the loop's text comes before what was consumed last */
    newline(o);
    buf_puts(o, "#if !defined(TALC_SWITCH_DISPATCH)\n");
    rw->dirty = true;
    if (may_change(rw, f, cond)) {
        if (rw->lines)
            resync_line(rw, ts_node_start_point(cond));
        buf_puts(o, "if (!");
        rewrite_node(rw, cond);
        buf_puts(o, ") break;\n");
    }
    for (uint32_t i = 0; i < ts_node_named_child_count(loop_body); i++) {
        TSNode s = ts_node_named_child(loop_body, i);
        if (ts_node_eq(s, stmt))
            break;
        if (node_is(s, "comment"))
            continue;
        rw->dirty = true;
        rewrite_node(rw, s);
        if (!rw->lines)
            buf_putc(o, '\n');
    }
    newline(o);
    if (rw->lines)
        resync_line(rw, ts_node_start_point(stmt));
    buf_printf(o, "goto *talcDispatch%d[", d);
    rewrite_node(rw, idx);
    buf_puts(o, "];\n#else\n");
    buf_puts(o, "continue;\n#endif\n");
    rw->dirty = true;
}

void emit_flattened_dispatch(Rewriter *rw, TSNode stmt, TSNode call)
{
    const Spec *spec = rw->spec;
    Buf *o = rw->out;
    int d = rw->dispatch_count++;
    TSNode body = ts_node_parent(stmt), loop = ts_node_parent(body);
    TSNode idx = call_arg(call, 0);
    TSPoint at = ts_node_start_point(stmt);
    if (!node_is(body, "compound_statement") || !node_is(loop, "while_statement")) {
        diag(rw->file->rel, at.row + 1, at.column + 1,
             "dispatch: DISPATCH_BYTECODE must be the last statement of a while loop's body to be flattened");
        return;
    }
    TSNode cond = ts_node_child_by_field_name(loop, "condition", 9);
    rw->resume = 0;
    char *global = node_is(idx, "identifier") ? node_text(rw->file, idx) : xstrdup("");

    /* which entry each index runs: a set the flavour leaves out runs unknownBytecode */
    int target[BYTECODE_INDICES], unknown = -1;
    for (size_t e = 0; e < spec->nbytecodes; e++)
        if (strcmp(spec->bytecodes[e].routine, "unknownBytecode") == 0 && unknown < 0)
            unknown = (int)e;
    for (int i = 0; i < BYTECODE_INDICES; i++)
        target[i] = 0;
    for (size_t e = 0; e < spec->nbytecodes; e++)
        for (int i = spec->bytecodes[e].first; i <= spec->bytecodes[e].last; i++)
            target[i] = (int)e;
    if (unknown >= 0)
        for (int i = 0; i < BYTECODE_INDICES; i++)
            if (!(spec->flavour->bytecode_sets & (unsigned)set_of(i)))
                target[i] = unknown;

    Label *labels = xmalloc(BYTECODE_INDICES * sizeof *labels);
    int label_of[BYTECODE_INDICES], nlabels = 0;
    for (int i = 0; i < BYTECODE_INDICES; i++) {
        const BytecodeEntry *b = &spec->bytecodes[target[i]];
        int fi = map_get(&spec->func_idx, b->routine);
        const Function *f = fi >= 0 ? &spec->funcs[fi] : NULL;
        Label l = {"", target[i], 0, false};
        if (specialises(f, global, i)) {
            snprintf(l.name, sizeof l.name, "talc_bc%d_%d", d, i);
            l.k = i;
            l.specialised = true;
        } else
            snprintf(l.name, sizeof l.name, "talc_bc%d_%d_%s", d, b->first, b->routine);
        int found = -1;
        for (int j = nlabels - 1; j >= 0 && found < 0; j--)
            if (strcmp(labels[j].name, l.name) == 0)
                found = j;
        if (found < 0) {
            labels[nlabels] = l;
            found = nlabels++;
        }
        label_of[i] = found;
    }

    newline(o);
    buf_puts(o, "#if !defined(TALC_SWITCH_DISPATCH)\n");
    if (rw->lines)
        buf_printf(o, "#line %u \"%s\"\n", at.row + 1, rw->file->rel);
    buf_printf(o, "static const void *const talcDispatch%d[%d] = {\n", d, BYTECODE_INDICES);
    for (int i = 0; i < BYTECODE_INDICES; i++)
        buf_printf(o, "%s&&%s,%s", i % 4 ? " " : "    ", labels[label_of[i]].name, i % 4 == 3 ? "\n" : "");
    buf_puts(o, "};\n");
    buf_printf(o, "goto *talcDispatch%d[", d);
    rewrite_node(rw, idx);
    buf_puts(o, "];\n#else\n");
    if (rw->lines)
        buf_printf(o, "#line %u \"%s\"\n", at.row + 1, rw->file->rel);
    buf_puts(o, "switch (");
    rewrite_node(rw, idx);
    buf_puts(o, ") {\n#endif\n");

    const SpecFile *saved_file = rw->file;
    for (int l = 0; l < nlabels; l++) {
        const Label *lb = &labels[l];
        const BytecodeEntry *b = &spec->bytecodes[lb->entry];
        int fi = map_get(&spec->func_idx, b->routine);
        if (fi < 0)
            continue;
        const Function *f = &spec->funcs[fi];
        buf_printf(o, "#if !defined(TALC_SWITCH_DISPATCH)\n%s:\n#else\n", lb->name);
        int ncase = 0;
        for (int i = 0; i < BYTECODE_INDICES; i++)
            if (label_of[i] == l)
                buf_printf(o, "%scase %d:", ncase++ % 8 ? " " : (ncase > 1 ? "\n" : ""), i);
        buf_puts(o, "\n#endif\n");
        /* the routine's body, returns going to the next fetch */
        size_t mark = rw->nsubst;
        if (lb->specialised)
            subst_push(rw, f->spec_param, NULL, true, lb->k);
        rw->file = &spec->files[f->file];
        ReturnKind saved_ret = rw->ret;
        uint32_t saved_resume = rw->resume;
        rw->resume = 0;
        rw->ret = RET_ROUTINE;
        snprintf(rw->ret_label, sizeof rw->ret_label, "talc_next%d_%d", d, l);
        rw->label_used = false;
        rw->istack[rw->depth++] = f;
        rw->dirty = true;
        if (rw->lines)
            resync_line(rw, ts_node_start_point(f->body));
        rewrite_node(rw, f->body);
        rw->depth--;
        rw->ret = saved_ret;
        rw->resume = saved_resume;
        rw->file = saved_file;
        subst_pop_to(rw, mark);
        newline(o);
        if (rw->label_used)
            buf_printf(o, "talc_next%d_%d: ;\n", d, l);
        emit_next(rw, f, body, stmt, cond, idx, d);
        rw->file = saved_file;
        if (rw->log)
            buf_printf(rw->log, "  flattened %s into %s as %s\n", f->name, rw->top->name, lb->name);
    }
    buf_puts(o, "#if defined(TALC_SWITCH_DISPATCH)\n}\n#endif\n");
    rw->dirty = true;
    free(labels);
    free(global);
}
