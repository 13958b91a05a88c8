/* The dialect checker: the rules of vmspec/DIALECT.md on every function of every spec file,
 * reachable or not. Each violation is reported as `file:line:col: error: <rule>: <what>`, all of
 * them in one run. (Calls and VARIANT names are checked by callgraph.c with the same format.) */
#include "talc_translate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    Spec *spec;
    Function *fn;
    const SpecFile *f;
    NameMap locals; /* parameters and locals of fn */
} Check;

static void violation(const Check *c, TSNode at, const char *rule, const char *fmt, const char *name)
{
    TSPoint p = ts_node_start_point(at);
    char msg[400];
    snprintf(msg, sizeof msg, fmt, name);
    diag(c->f->rel, p.row + 1, p.column + 1, "%s: %s", rule, msg);
}

static bool text_is(const Check *c, TSNode n, const char *s)
{
    uint32_t a = ts_node_start_byte(n), b = ts_node_end_byte(n);
    return strlen(s) == b - a && memcmp(c->f->src + a, s, b - a) == 0;
}

static bool is_local(const Check *c, TSNode id)
{
    uint32_t s = ts_node_start_byte(id);
    return map_getn(&c->locals, c->f->src + s, ts_node_end_byte(id) - s) >= 0;
}

static void add_local(Check *c, TSNode decl)
{
    TSNode nm = declarator_name(decl);
    if (!ts_node_is_null(nm)) {
        char *t = node_text(c->f, nm);
        map_put(&c->locals, t, 1);
        free(t);
    }
}

/* a pointer type anywhere in a declarator or type descriptor */
static bool has_pointer(TSNode n)
{
    if (node_is(n, "pointer_declarator") || node_is(n, "abstract_pointer_declarator"))
        return true;
    for (uint32_t i = 0; i < ts_node_named_child_count(n); i++)
        if (has_pointer(ts_node_named_child(n, i)))
            return true;
    return false;
}

static void check_node(Check *c, TSNode n)
{
    const char *t = ts_node_type(n);
    if (strcmp(t, "pointer_expression") == 0) {
        TSNode op = ts_node_child_by_field_name(n, "operator", 8), arg = ts_node_child_by_field_name(n, "argument", 8);
        if (text_is(c, op, "&") && node_is(arg, "identifier") && is_local(c, arg)) {
            char *nm = node_text(c->f, arg);
            violation(c, n, "address-of-local", "the address of local '%s' is taken (return values instead)", nm);
            free(nm);
        } else
            violation(c, n, "pointer", "'%s' on memory: use the accessors (longAt, byteAt, ...) on integer addresses",
                      text_is(c, op, "&") ? "&" : "*");
    } else if (strcmp(t, "field_expression") == 0) {
        violation(c, n, "pointer", "%s: no structs or pointers in the spec", "'.'/'->' access");
    } else if (strcmp(t, "subscript_expression") == 0) {
        TSNode arr = ts_node_child_by_field_name(n, "argument", 8);
        uint32_t s = ts_node_start_byte(arr);
        int st = node_is(arr, "identifier") ? map_getn(&c->spec->state_idx, c->f->src + s, ts_node_end_byte(arr) - s) : -1;
        if (st < 0 || !c->spec->state[st].is_array) {
            char *nm = node_text(c->f, arr);
            violation(c, n, "pointer", "'%s[...]': only VM_STATE arrays may be indexed", nm);
            free(nm);
        }
    } else if (strcmp(t, "string_literal") == 0) {
        TSNode args = ts_node_parent(n), call = ts_node_parent(args);
        TSNode fn = node_is(call, "call_expression") ? ts_node_child_by_field_name(call, "function", 8) : (TSNode){0};
        if (ts_node_is_null(fn) || !text_is(c, fn, "platformErrorCString"))
            violation(c, n, "pointer", "%s: string literals only as platformErrorCString's argument", "a string literal");
    } else if (strcmp(t, "goto_statement") == 0 || strcmp(t, "labeled_statement") == 0) {
        violation(c, n, "goto", "%s: the only jumps are the translator's own (DISPATCH_BYTECODE)",
                  strcmp(t, "goto_statement") == 0 ? "goto" : "a label");
    } else if (strcmp(t, "cast_expression") == 0 || strcmp(t, "sizeof_expression") == 0) {
        if (has_pointer(n))
            violation(c, n, "pointer", "%s: a pointer type", "a cast to a pointer");
    } else if (strcmp(t, "declaration") == 0) {
        for (uint32_t i = 0; i < ts_node_child_count(n); i++) {
            TSNode k = ts_node_child(n, i);
            if (node_is(k, "storage_class_specifier") && (text_is(c, k, "static") || text_is(c, k, "extern")))
                violation(c, k, "hidden-state", "'%s' inside a function: VM state belongs in VM_STATE (vmstate.h)",
                          text_is(c, k, "static") ? "static" : "extern");
        }
        for (uint32_t i = 0; i < ts_node_named_child_count(n); i++) {
            TSNode d = ts_node_named_child(n, i);
            if (node_is(d, "init_declarator") || node_is(d, "identifier") || node_is(d, "pointer_declarator") ||
                node_is(d, "array_declarator")) {
                TSNode dd = node_is(d, "init_declarator") ? ts_node_child_by_field_name(d, "declarator", 10) : d;
                if (has_pointer(dd))
                    violation(c, d, "pointer", "%s: a local of pointer type", "declaration");
                add_local(c, dd);
            }
        }
    } else if ((strcmp(t, "assignment_expression") == 0 || strcmp(t, "update_expression") == 0) && c->fn->spec_param) {
        TSNode l = ts_node_child_by_field_name(n, strcmp(t, "update_expression") == 0 ? "argument" : "left",
                                               strcmp(t, "update_expression") == 0 ? 8 : 4);
        if (node_is(l, "identifier") && text_is(c, l, c->fn->spec_param))
            violation(c, l, "specialise", "assignment to '%s', specialised by SPECIALISE (a constant in each copy)",
                      c->fn->spec_param);
    }
    for (uint32_t i = 0; i < ts_node_named_child_count(n); i++)
        check_node(c, ts_node_named_child(n, i));
}

static void check_signature(Check *c)
{
    TSNode params = function_params(c->fn);
    for (uint32_t i = 0; i < ts_node_named_child_count(params); i++) {
        TSNode p = ts_node_named_child(params, i);
        if (node_is(p, "variadic_parameter")) {
            violation(c, p, "variadic", "'%s' takes '...': every call must bind a known list of parameters",
                      c->fn->name);
            continue;
        }
        TSNode d = ts_node_child_by_field_name(p, "declarator", 10);
        if (has_pointer(p))
            violation(c, p, "pointer", "a parameter of pointer type in '%s'", c->fn->name);
        add_local(c, d);
    }
    /* a pointer return type: the declarator of the function itself */
    TSNode d = ts_node_child_by_field_name(c->fn->def, "declarator", 10);
    if (node_is(d, "pointer_declarator"))
        violation(c, d, "pointer", "'%s' returns a pointer", c->fn->name);
}

/* A header's prototype: the same signature rules as a definition's (a prototype alone, e.g. of a
 * function defined only in the simulator, would otherwise escape them). */
static void check_prototype(Spec *spec, const Prototype *pr)
{
    const SpecFile *f = &spec->files[pr->file];
    Check c = {spec, NULL, f, {0}};
    TSNode params = ts_node_child_by_field_name(pr->fdecl, "parameters", 10);
    for (uint32_t i = 0; i < ts_node_named_child_count(params); i++) {
        TSNode p = ts_node_named_child(params, i);
        if (node_is(p, "variadic_parameter"))
            violation(&c, p, "variadic", "the prototype of '%s' takes '...': every call must bind a known list of parameters",
                      pr->name);
        else if (has_pointer(p))
            violation(&c, p, "pointer", "a parameter of pointer type in the prototype of '%s'", pr->name);
    }
    /* a pointer return type: a pointer declarator between the declaration and its function declarator */
    for (TSNode d = ts_node_child_by_field_name(pr->decl, "declarator", 10); !ts_node_is_null(d) && !ts_node_eq(d, pr->fdecl);
         d = ts_node_child_by_field_name(d, "declarator", 10))
        if (node_is(d, "pointer_declarator")) {
            violation(&c, d, "pointer", "the prototype of '%s' returns a pointer", pr->name);
            break;
        }
}

/* recursion through INLINE(always): a cycle among always-inlined functions can never be expanded */
static void check_inline_recursion(Spec *spec)
{
    int n = (int)spec->nfuncs;
    int *state = calloc((size_t)n + 1, sizeof *state), *path = malloc(((size_t)n + 1) * sizeof *path);
    for (int root = 0; root < n; root++) {
        Function *r = &spec->funcs[root];
        if (!r->inline_how || strcmp(r->inline_how, "always") != 0)
            continue;
        /* depth-first from root through always functions, looking for root again */
        int depth = 0;
        size_t *next = calloc((size_t)n + 1, sizeof *next);
        for (int i = 0; i < n; i++)
            state[i] = 0;
        path[depth++] = root;
        state[root] = 1;
        bool found = false;
        while (depth > 0 && !found) {
            Function *f = &spec->funcs[path[depth - 1]];
            if (next[path[depth - 1]] >= f->ncallees) {
                depth--;
                continue;
            }
            int cidx = f->callees[next[path[depth - 1]]++];
            Function *cf = &spec->funcs[cidx];
            if (cidx == root) {
                found = true;
                break;
            }
            if (state[cidx] || !cf->inline_how || strcmp(cf->inline_how, "always") != 0)
                continue;
            state[cidx] = 1;
            path[depth++] = cidx;
        }
        if (found) {
            Buf chain = {0};
            for (int i = 0; i < depth; i++)
                buf_printf(&chain, "%s -> ", spec->funcs[path[i]].name);
            buf_puts(&chain, r->name);
            diag(spec->files[r->file].rel, r->line, r->col,
                 "inline: '%s' is INLINE(always) but recursive (%s): it cannot be inlined", r->name, chain.s);
            buf_free(&chain);
        }
        free(next);
    }
    free(state);
    free(path);
}

void check_dialect(Spec *spec)
{
    for (size_t i = 0; i < spec->nfuncs; i++) {
        Check c = {spec, &spec->funcs[i], &spec->files[spec->funcs[i].file], {0}};
        check_signature(&c);
        check_node(&c, c.fn->body);
        map_free(&c.locals);
    }
    for (size_t i = 0; i < spec->nprotos; i++)
        if (spec->files[spec->protos[i].file].is_header)
            check_prototype(spec, &spec->protos[i]);
    check_inline_recursion(spec);
}
