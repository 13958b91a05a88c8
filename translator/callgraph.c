/* Analysis: annotation placement, calls to unknown names, the call graph from the roots (vm.h's
 * entry points and the bytecode routines), and which functions survive into interp.c. */
#include "talc_translate.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    Spec *spec;
    Function *fn;
    const SpecFile *f;
    bool collect_used; /* second pass: names that reachable, emitted code uses */
} Walk;

static void add_callee(Function *fn, int callee)
{
    for (size_t i = 0; i < fn->ncallees; i++)
        if (fn->callees[i] == callee)
            return;
    GROW(fn->callees, fn->ncallees, fn->ccallees);
    fn->callees[fn->ncallees++] = callee;
}

static void report(const Walk *w, TSNode at, const char *fmt, const char *name)
{
    TSPoint p = ts_node_start_point(at);
    diag(w->f->rel, p.row + 1, p.column + 1, fmt, name);
}

static void check_call(Walk *w, TSNode call, bool checked)
{
    TSNode fn = ts_node_child_by_field_name(call, "function", 8);
    if (!node_is(fn, "identifier"))
        return;
    const char *s = w->f->src + ts_node_start_byte(fn);
    size_t n = ts_node_end_byte(fn) - ts_node_start_byte(fn);
    TSNode args = ts_node_child_by_field_name(call, "arguments", 9);
    uint32_t nargs = 0;
    for (uint32_t i = 0; i < ts_node_named_child_count(args); i++)
        if (!node_is(ts_node_named_child(args, i), "comment"))
            nargs++;
    char *name = xstrndup(s, n);
    int acc = accessor_of_name(s, n);
    Annotation ann = annotation_of_name(s, n);
    if (acc >= 0) {
        if ((int)nargs != accessor_arity(acc)) {
            TSPoint p = ts_node_start_point(fn);
            diag(w->f->rel, p.row + 1, p.column + 1, "'%s' takes %d argument%s", name, accessor_arity(acc),
                 accessor_arity(acc) == 1 ? "" : "s");
        }
    } else if (ann != ANN_NONE) {
        TSNode stmt = ts_node_parent(call);
        if (!node_is(stmt, "expression_statement"))
            report(w, fn, "'%s' is a statement, not an expression", name);
    } else if (map_getn(&w->spec->func_idx, s, n) < 0 && map_getn(&w->spec->platform_fns, s, n) < 0 &&
               checked) {
        int proto = map_getn(&w->spec->proto_idx, s, n);
        if (proto >= 0) {
            const Prototype *p = &w->spec->protos[proto];
            TSPoint at = ts_node_start_point(fn);
            diag(w->f->rel, at.row + 1, at.column + 1, "call to '%s', declared at %s:%u but defined nowhere",
                 name, w->spec->files[p->file].rel, p->line);
        } else
            report(w, fn, "call to unknown function '%s'", name);
    }
    free(name);
}

static bool is_leading_annotation(const Walk *w, TSNode stmt)
{
    if (!ts_node_eq(ts_node_parent(stmt), w->fn->body))
        return false;
    for (TSNode s = ts_node_prev_named_sibling(stmt); !ts_node_is_null(s); s = ts_node_prev_named_sibling(s)) {
        if (node_is(s, "comment"))
            continue;
        Annotation a = statement_annotation(w->f, s, NULL);
        if (a != ANN_INLINE && a != ANN_SPECIALISE)
            return false;
    }
    return true;
}

static void record_annotation(Walk *w, Annotation a, TSNode stmt, TSNode call)
{
    TSNode args = ts_node_child_by_field_name(call, "arguments", 9);
    TSPoint p = ts_node_start_point(stmt);
    if (!is_leading_annotation(w, stmt)) {
        diag(w->f->rel, p.row + 1, p.column + 1, "%s must come first in the function body",
             a == ANN_INLINE ? "INLINE(...)" : "SPECIALISE(...)");
        return;
    }
    if (a == ANN_INLINE) {
        TSNode how = ts_node_named_child(args, 0);
        char *t = ts_node_is_null(how) ? xstrdup("") : node_text(w->f, how);
        if (ts_node_named_child_count(args) != 1 ||
            (strcmp(t, "hint") != 0 && strcmp(t, "always") != 0 && strcmp(t, "never") != 0))
            diag(w->f->rel, p.row + 1, p.column + 1, "INLINE takes one of hint, always, never");
        else if (w->fn->inline_how)
            diag(w->f->rel, p.row + 1, p.column + 1, "a second INLINE in '%s'", w->fn->name);
        else {
            w->fn->inline_how = t;
            t = NULL;
        }
        free(t);
    } else {
        if (ts_node_named_child_count(args) != 3)
            diag(w->f->rel, p.row + 1, p.column + 1, "SPECIALISE takes (param, lo, hi)");
        else
            w->fn->specialise_count++;
    }
}

static void walk(Walk *w, TSNode n, bool emitted, bool checked)
{
    const char *t = ts_node_type(n);
    if (strcmp(t, "expression_statement") == 0) {
        TSNode call;
        Annotation a = statement_annotation(w->f, n, &call);
        if (a != ANN_NONE) {
            if (!w->collect_used) {
                check_call(w, call, checked);
                if (a == ANN_INLINE || a == ANN_SPECIALISE) {
                    record_annotation(w, a, n, call);
                    return;
                }
            }
            if (a == ANN_INLINE || a == ANN_SPECIALISE)
                return;
            if (a == ANN_DISPATCH && emitted && !w->collect_used) {
                TSNode args = ts_node_child_by_field_name(call, "arguments", 9);
                if (ts_node_named_child_count(args) != 1)
                    report(w, n, "%s takes one argument, the dispatch index", "DISPATCH_BYTECODE");
                if (!w->spec->has_bytecodes)
                    report(w, n, "%s needs BYTECODE_TABLE (bytecodes.h)", "DISPATCH_BYTECODE");
                w->fn->has_dispatch = true;
            }
            /* the simulator's own helpers may be called from code production never sees */
            bool sim_only = a == ANN_SIM_ONLY || a == ANN_ASSERT_SIM;
            TSNode args = ts_node_child_by_field_name(call, "arguments", 9);
            walk(w, args, emitted && annotation_emitted(a, w->spec->flavour), checked && !sim_only);
            return;
        }
    }
    if (strcmp(t, "call_expression") == 0 && !w->collect_used)
        check_call(w, n, checked);
    if (strcmp(t, "identifier") == 0 && emitted) {
        const char *s = w->f->src + ts_node_start_byte(n);
        size_t len = ts_node_end_byte(n) - ts_node_start_byte(n);
        if (w->collect_used) {
            char *name = xstrndup(s, len);
            map_put(&w->spec->used_names, name, 1);
            free(name);
        } else {
            int callee = map_getn(&w->spec->func_idx, s, len);
            if (callee >= 0)
                add_callee(w->fn, callee);
        }
        return;
    }
    for (uint32_t i = 0; i < ts_node_named_child_count(n); i++)
        walk(w, ts_node_named_child(n, i), emitted, checked);
}

static bool takes_no_parameters(const Spec *spec, const Function *fn)
{
    const SpecFile *f = &spec->files[fn->file];
    TSNode d = ts_node_child_by_field_name(fn->def, "declarator", 10);
    while (!ts_node_is_null(d) && !node_is(d, "function_declarator"))
        d = ts_node_child_by_field_name(d, "declarator", 10);
    TSNode params = ts_node_child_by_field_name(d, "parameters", 10);
    uint32_t n = ts_node_named_child_count(params);
    if (n == 0)
        return true;
    if (n > 1)
        return false;
    char *t = node_text(f, ts_node_named_child(params, 0));
    bool v = strcmp(t, "void") == 0;
    free(t);
    return v;
}

void analyse(Spec *spec, size_t *kept, size_t *dropped)
{
    for (size_t i = 0; i < spec->nfuncs; i++) {
        Walk w = {spec, &spec->funcs[i], &spec->files[spec->funcs[i].file], false};
        walk(&w, spec->funcs[i].body, true, true);
    }

    int *queue = xmalloc((spec->nfuncs + 1) * sizeof *queue);
    size_t head = 0, tail = 0;
    const char *vm_h = spec->vm_h >= 0 ? spec->files[spec->vm_h].rel : "vm.h";
    for (size_t i = 0; i < spec->nentries; i++) {
        int f = map_get(&spec->func_idx, spec->entries[i]);
        if (f < 0) {
            int p = map_get(&spec->proto_idx, spec->entries[i]);
            diag(vm_h, spec->protos[p].line, spec->protos[p].col, "entry point '%s' is defined nowhere",
                 spec->entries[i]);
            continue;
        }
        Function *fn = &spec->funcs[f];
        fn->is_entry = true;
        if (fn->is_static)
            diag(spec->files[fn->file].rel, fn->line, fn->col, "entry point '%s' (declared in vm.h) is static",
                 fn->name);
        if (!fn->reachable) {
            fn->reachable = true;
            queue[tail++] = f;
        }
    }
    for (size_t i = 0; i < spec->nbytecodes; i++) {
        const BytecodeEntry *b = &spec->bytecodes[i];
        int f = map_get(&spec->func_idx, b->routine);
        if (f < 0) {
            diag(spec->files[spec->bytecodes_file].rel, b->line, b->col, "bytecode routine '%s' is defined nowhere",
                 b->routine);
            continue;
        }
        if (!takes_no_parameters(spec, &spec->funcs[f]))
            diag(spec->files[spec->funcs[f].file].rel, spec->funcs[f].line, spec->funcs[f].col,
                 "bytecode routine '%s' must take no parameters", b->routine);
        if (!spec->funcs[f].reachable) {
            spec->funcs[f].reachable = true;
            queue[tail++] = f;
        }
    }
    while (head < tail) {
        Function *fn = &spec->funcs[queue[head++]];
        for (size_t i = 0; i < fn->ncallees; i++) {
            Function *c = &spec->funcs[fn->callees[i]];
            if (!c->reachable) {
                c->reachable = true;
                queue[tail++] = fn->callees[i];
            }
        }
    }
    free(queue);

    bool dispatched = false;
    *kept = *dropped = 0;
    for (size_t i = 0; i < spec->nfuncs; i++) {
        Function *fn = &spec->funcs[i];
        if (!fn->reachable) {
            (*dropped)++;
            continue;
        }
        (*kept)++;
        dispatched |= fn->has_dispatch;
        Walk w = {spec, fn, &spec->files[fn->file], true};
        walk(&w, fn->body, true, true);
    }
    if (spec->nbytecodes && !dispatched && spec->bytecodes_file >= 0)
        diag_warning(spec->files[spec->bytecodes_file].rel, 0, 0,
                     "no reachable function uses DISPATCH_BYTECODE: the bytecode routines are never called");
}
