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

static size_t state_words(const Spec *spec) { return (spec->nstate + 63) / 64 + 1; }

bool state_bit(const uint64_t *set, int index) { return set && index >= 0 && (set[index / 64] >> (index % 64)) & 1; }

int state_index(const Spec *spec, const char *s, size_t n) { return map_getn(&spec->state_idx, s, n); }

static void set_state_bit(uint64_t *set, int index) { set[index / 64] |= (uint64_t)1 << (index % 64); }

/* is the identifier n assigned or incremented (an array global: one of its elements)?
 * *also_read: a compound assignment or an increment reads it too */
static bool is_written(TSNode n, bool *also_read)
{
    TSNode at = n, p = ts_node_parent(n);
    *also_read = true;
    if (node_is(p, "subscript_expression") && ts_node_eq(ts_node_child_by_field_name(p, "argument", 8), n)) {
        at = p;
        p = ts_node_parent(p);
    }
    if (node_is(p, "update_expression"))
        return true;
    if (node_is(p, "assignment_expression") && ts_node_eq(ts_node_child_by_field_name(p, "left", 4), at)) {
        TSNode op = ts_node_child_by_field_name(p, "operator", 8);
        *also_read = !node_is(op, "=");
        return true;
    }
    return false;
}

/* a VM_STATE global read or written directly (locals that shadow one count too: conservative) */
static void note_state_access(Walk *w, TSNode n, const char *s, size_t len)
{
    int st = state_index(w->spec, s, len);
    if (st < 0)
        return;
    Function *fn = w->fn;
    if (!fn->state_reads) {
        fn->state_reads = calloc(state_words(w->spec), sizeof(uint64_t));
        fn->state_writes = calloc(state_words(w->spec), sizeof(uint64_t));
    }
    bool read;
    if (is_written(n, &read))
        set_state_bit(fn->state_writes, st);
    if (read)
        set_state_bit(fn->state_reads, st);
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
    if (n == 7 && memcmp(s, "VARIANT", 7) == 0) {
        TSNode k = ts_node_named_child(args, 0), v = ts_node_named_child(args, 1);
        if (nargs != 2 || !node_is(k, "identifier") || !node_is(v, "identifier"))
            report(w, fn, "variant: %s takes (key, value), two names", name);
        else {
            char *ks = node_text(w->f, k), *vs = node_text(w->f, v);
            bool key_known;
            if (!variant_known(w->spec, ks, vs, &key_known)) {
                TSPoint p = ts_node_start_point(key_known ? v : k);
                diag(w->f->rel, p.row + 1, p.column + 1, "variant: %s '%s' is not in VARIANT_TABLE",
                     key_known ? "value" : "key", key_known ? vs : ks);
            }
            free(ks);
            free(vs);
        }
    } else if (acc >= 0) {
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
            diag(w->f->rel, at.row + 1, at.column + 1, "call: '%s', declared at %s:%u, is defined nowhere",
                 name, w->spec->files[p->file].rel, p->line);
        } else
            report(w, fn, "call: unknown function '%s' (spec functions, platform.h and the annotations only)", name);
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
        long long b[2];
        const char *why = NULL;
        bool ok = ts_node_named_child_count(args) == 3 && node_is(ts_node_named_child(args, 0), "identifier");
        for (int i = 0; i < 2 && ok; i++) {
            TSNode a = ts_node_named_child(args, (uint32_t)i + 1);
            uint32_t s = ts_node_start_byte(a);
            ok = pp_eval(w->spec, w->f->src + s, ts_node_end_byte(a) - s, true, &b[i], &why);
        }
        if (!ok)
            diag(w->f->rel, p.row + 1, p.column + 1, "specialise: SPECIALISE takes (param, lo, hi) with constant bounds");
        else if (b[1] < b[0] || b[1] - b[0] > 1024)
            diag(w->f->rel, p.row + 1, p.column + 1, "specialise: the range %lld..%lld is empty or too large", b[0], b[1]);
        else if (w->fn->spec_param)
            diag(w->f->rel, p.row + 1, p.column + 1, "specialise: a second SPECIALISE in '%s'", w->fn->name);
        else {
            w->fn->specialise_count++;
            w->fn->spec_param = node_text(w->f, ts_node_named_child(args, 0));
            w->fn->spec_lo = b[0];
            w->fn->spec_hi = b[1];
            w->fn->spec_index = param_index(w->spec, w->fn, w->fn->spec_param);
            if (w->fn->spec_index < 0 && map_get(&w->spec->state_idx, w->fn->spec_param) < 0)
                diag(w->f->rel, p.row + 1, p.column + 1,
                     "specialise: '%s' is neither a parameter of '%s' nor a VM_STATE global", w->fn->spec_param,
                     w->fn->name);
        }
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
            note_state_access(w, n, s, len);
        }
        return;
    }
    for (uint32_t i = 0; i < ts_node_named_child_count(n); i++)
        walk(w, ts_node_named_child(n, i), emitted, checked);
}

TSNode function_params(const Function *fn)
{
    TSNode d = ts_node_child_by_field_name(fn->def, "declarator", 10);
    while (!ts_node_is_null(d) && !node_is(d, "function_declarator"))
        d = ts_node_child_by_field_name(d, "declarator", 10);
    return ts_node_child_by_field_name(d, "parameters", 10);
}

int param_index(const Spec *spec, const Function *fn, const char *name)
{
    const SpecFile *f = &spec->files[fn->file];
    TSNode params = function_params(fn);
    int k = 0;
    for (uint32_t i = 0; i < ts_node_named_child_count(params); i++) {
        TSNode p = ts_node_named_child(params, i);
        if (!node_is(p, "parameter_declaration"))
            continue;
        TSNode nm = declarator_name(ts_node_child_by_field_name(p, "declarator", 10));
        if (!ts_node_is_null(nm)) {
            uint32_t s = ts_node_start_byte(nm);
            if (ts_node_end_byte(nm) - s == strlen(name) && memcmp(f->src + s, name, strlen(name)) == 0)
                return k;
        }
        k++;
    }
    return -1;
}

static bool is_register(const Spec *spec, const char *s, size_t n)
{
    for (size_t i = 0; i < spec->nregisters; i++)
        if (strlen(spec->registers[i].global) == n && memcmp(spec->registers[i].global, s, n) == 0)
            return true;
    return false;
}

static bool uses_register(const Spec *spec, const SpecFile *f, TSNode n)
{
    if (node_is(n, "identifier")) {
        uint32_t s = ts_node_start_byte(n);
        return is_register(spec, f->src + s, ts_node_end_byte(n) - s);
    }
    for (uint32_t i = 0; i < ts_node_named_child_count(n); i++)
        if (uses_register(spec, f, ts_node_named_child(n, i)))
            return true;
    return false;
}

/* statement count without annotations; an expression body is `return E;` alone once the
 * statements the translator removes (SIM_ONLY, ASSERT_SIM, ASSERT off) are gone */
static void body_shape(const Spec *spec, Function *fn)
{
    const SpecFile *f = &spec->files[fn->file];
    int n = 0, kept = 0;
    bool ret = false;
    for (uint32_t i = 0; i < ts_node_named_child_count(fn->body); i++) {
        TSNode s = ts_node_named_child(fn->body, i);
        if (node_is(s, "comment"))
            continue;
        Annotation a = statement_annotation(f, s, NULL);
        if (a == ANN_INLINE || a == ANN_SPECIALISE)
            continue;
        n++;
        if (a != ANN_NONE && !annotation_emitted(a, spec->flavour))
            continue;
        kept++;
        ret = node_is(s, "return_statement") && ts_node_named_child_count(s) == 1;
    }
    fn->nstmts = n;
    fn->expr_body = kept == 1 && ret;
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
        spec->funcs[i].spec_index = -1;
        Walk w = {spec, &spec->funcs[i], &spec->files[spec->funcs[i].file], false};
        walk(&w, spec->funcs[i].body, true, true);
        body_shape(spec, &spec->funcs[i]);
        spec->funcs[i].uses_registers = spec->funcs[i].touches_registers =
            uses_register(spec, &spec->files[spec->funcs[i].file], spec->funcs[i].body);
    }
    /* "needs the registers in their globals": itself, or anything it calls; and which VM_STATE
     * globals it reads and writes, itself or through anything it calls */
    size_t words = state_words(spec);
    for (size_t i = 0; i < spec->nfuncs; i++)
        if (!spec->funcs[i].state_reads) {
            spec->funcs[i].state_reads = calloc(words, sizeof(uint64_t));
            spec->funcs[i].state_writes = calloc(words, sizeof(uint64_t));
        }
    for (bool changed = true; changed;) {
        changed = false;
        for (size_t i = 0; i < spec->nfuncs; i++) {
            Function *fn = &spec->funcs[i];
            for (size_t j = 0; j < fn->ncallees; j++) {
                const Function *c = &spec->funcs[fn->callees[j]];
                if (c->touches_registers && !fn->touches_registers)
                    fn->touches_registers = changed = true;
                for (size_t k = 0; k < words; k++) {
                    uint64_t r = fn->state_reads[k] | c->state_reads[k], wr = fn->state_writes[k] | c->state_writes[k];
                    if (r != fn->state_reads[k] || wr != fn->state_writes[k]) {
                        fn->state_reads[k] = r;
                        fn->state_writes[k] = wr;
                        changed = true;
                    }
                }
            }
        }
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
