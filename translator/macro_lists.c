/* The two X-macro lists the translator reads as data: VM_STATE(X, A) in vmstate.h and
 * BYTECODE_TABLE(X) in bytecodes.h. Their bodies are not C, so they are tokenised here. */
#include "talc_translate.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *p, *end;
    const SpecFile *f;
    unsigned line, col; /* of p */
} Cursor;

static void advance(Cursor *c)
{
    if (*c->p == '\n')
        c->line++, c->col = 1;
    else
        c->col++;
    c->p++;
}

static void skip_blank(Cursor *c)
{
    while (c->p < c->end) {
        if (isspace((unsigned char)*c->p) || (*c->p == '\\' && c->p + 1 < c->end && c->p[1] == '\n'))
            advance(c);
        else if (c->p + 1 < c->end && c->p[0] == '/' && c->p[1] == '*') {
            while (c->p < c->end && !(c->p[0] == '*' && c->p + 1 < c->end && c->p[1] == '/'))
                advance(c);
            if (c->p < c->end)
                advance(c), advance(c);
        } else
            return;
    }
}

/* One invocation NAME(arg, ...): args are trimmed, whitespace runs collapsed. */
typedef struct {
    char *name;
    char *args[4];
    int nargs;
    unsigned line, col;
} Invocation;

static void free_invocation(Invocation *inv)
{
    free(inv->name);
    for (int i = 0; i < inv->nargs; i++)
        free(inv->args[i]);
    memset(inv, 0, sizeof *inv);
}

static char *collapse(const char *s, size_t n)
{
    Buf b = {0};
    bool space = false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\\' && i + 1 < n && s[i + 1] == '\n')
            continue;
        if (isspace((unsigned char)s[i])) {
            space = b.len > 0;
            continue;
        }
        if (space)
            buf_putc(&b, ' ');
        space = false;
        buf_putc(&b, s[i]);
    }
    if (!b.s)
        buf_add(&b, "", 0);
    return b.s;
}

/* Returns 1 on an invocation, 0 at the end, -1 on an error (already reported). */
static int next_invocation(Cursor *c, Invocation *inv)
{
    memset(inv, 0, sizeof *inv);
    skip_blank(c);
    if (c->p >= c->end)
        return 0;
    inv->line = c->line;
    inv->col = c->col;
    const char *id = c->p;
    while (c->p < c->end && (isalnum((unsigned char)*c->p) || *c->p == '_'))
        advance(c);
    if (c->p == id) {
        diag(c->f->rel, c->line, c->col, "unexpected '%c' in an X-macro list", *c->p);
        return -1;
    }
    inv->name = xstrndup(id, (size_t)(c->p - id));
    skip_blank(c);
    if (c->p >= c->end || *c->p != '(') {
        diag(c->f->rel, inv->line, inv->col, "expected '(' after '%s'", inv->name);
        return -1;
    }
    advance(c);
    int depth = 0;
    const char *arg = c->p;
    for (;;) {
        if (c->p >= c->end) {
            diag(c->f->rel, inv->line, inv->col, "unterminated '%s('", inv->name);
            return -1;
        }
        char ch = *c->p;
        if (ch == '(')
            depth++;
        else if ((ch == ')' && depth == 0) || (ch == ',' && depth == 0)) {
            if (inv->nargs == 4) {
                diag(c->f->rel, inv->line, inv->col, "too many arguments to '%s'", inv->name);
                return -1;
            }
            inv->args[inv->nargs++] = collapse(arg, (size_t)(c->p - arg));
            advance(c);
            if (ch == ')')
                return 1;
            arg = c->p;
            continue;
        } else if (ch == ')')
            depth--;
        advance(c);
    }
}

static Cursor body_cursor(const Spec *spec, int file, TSNode def, char params[2][64], int *nparams)
{
    const SpecFile *f = &spec->files[file];
    TSNode plist = ts_node_child_by_field_name(def, "parameters", 10);
    *nparams = 0;
    for (uint32_t i = 0; i < ts_node_named_child_count(plist) && *nparams < 2; i++) {
        TSNode p = ts_node_named_child(plist, i);
        uint32_t s = ts_node_start_byte(p), e = ts_node_end_byte(p);
        snprintf(params[*nparams], 64, "%.*s", (int)(e - s), f->src + s);
        (*nparams)++;
    }
    TSPoint at = ts_node_end_point(plist);
    Cursor c = {f->src + ts_node_end_byte(plist), f->src + ts_node_end_byte(def), f, at.row + 1, at.column + 1};
    return c;
}

void parse_vm_state(Spec *spec, int file, TSNode def)
{
    char params[2][64];
    int np;
    Cursor c = body_cursor(spec, file, def, params, &np);
    if (np != 2) {
        TSPoint p = ts_node_start_point(def);
        diag(c.f->rel, p.row + 1, p.column + 1, "VM_STATE must take two parameters, (X, A)");
        return;
    }
    spec->has_state = true;
    Invocation inv;
    int r;
    while ((r = next_invocation(&c, &inv)) == 1) {
        bool is_x = strcmp(inv.name, params[0]) == 0, is_a = strcmp(inv.name, params[1]) == 0;
        if ((!is_x && !is_a) || inv.nargs != 3) {
            diag(c.f->rel, inv.line, inv.col, "VM_STATE entries are %s(type, name, init) or %s(type, name, count)",
                 params[0], params[1]);
        } else {
            GROW(spec->state, spec->nstate, spec->cstate);
            StateVar *v = &spec->state[spec->nstate++];
            v->type = inv.args[0];
            v->name = inv.args[1];
            v->arg = inv.args[2];
            v->is_array = is_a;
            map_put(&spec->state_idx, v->name, (int)spec->nstate - 1);
            inv.nargs = 0; /* ownership moved */
        }
        free_invocation(&inv);
    }
    free_invocation(&inv);
}

void parse_bytecode_table(Spec *spec, int file, TSNode def)
{
    char params[2][64];
    int np;
    Cursor c = body_cursor(spec, file, def, params, &np);
    if (np != 1) {
        TSPoint p = ts_node_start_point(def);
        diag(c.f->rel, p.row + 1, p.column + 1, "BYTECODE_TABLE must take one parameter, (X)");
        return;
    }
    spec->has_bytecodes = true;
    spec->bytecodes_file = file;
    Invocation inv;
    while (next_invocation(&c, &inv) == 1) {
        if (strcmp(inv.name, params[0]) != 0 || inv.nargs != 3) {
            diag(c.f->rel, inv.line, inv.col, "BYTECODE_TABLE entries are %s(first, last, routine)", params[0]);
            free_invocation(&inv);
            continue;
        }
        long long bounds[2];
        bool ok = true;
        for (int i = 0; i < 2; i++) {
            const char *why;
            if (!pp_eval(spec, inv.args[i], strlen(inv.args[i]), true, &bounds[i], &why)) {
                diag(c.f->rel, inv.line, inv.col, "bytecode index '%s' is not an integer constant: %s",
                     inv.args[i], why);
                ok = false;
            } else if (bounds[i] < 0 || bounds[i] >= BYTECODE_INDICES) {
                diag(c.f->rel, inv.line, inv.col, "bytecode index %lld is outside 0..%d", bounds[i],
                     BYTECODE_INDICES - 1);
                ok = false;
            }
        }
        if (ok && bounds[0] > bounds[1]) {
            diag(c.f->rel, inv.line, inv.col, "bytecode range %lld..%lld is empty", bounds[0], bounds[1]);
            ok = false;
        }
        const char *r = inv.args[2];
        for (const char *q = r; *q; q++)
            if (!(isalnum((unsigned char)*q) || *q == '_'))
                ok = false;
        if (!*r || isdigit((unsigned char)*r)) {
            diag(c.f->rel, inv.line, inv.col, "bytecode routine '%s' is not a function name", r);
            ok = false;
        }
        if (ok) {
            GROW(spec->bytecodes, spec->nbytecodes, spec->cbytecodes);
            BytecodeEntry *b = &spec->bytecodes[spec->nbytecodes++];
            b->first = (int)bounds[0];
            b->last = (int)bounds[1];
            b->routine = xstrdup(r);
            b->line = inv.line;
            b->col = inv.col;
        }
        free_invocation(&inv);
    }
    free_invocation(&inv);
}

void check_bytecode_coverage(Spec *spec)
{
    int owner[BYTECODE_INDICES];
    for (int i = 0; i < BYTECODE_INDICES; i++)
        owner[i] = -1;
    const char *rel = spec->files[spec->bytecodes_file].rel;
    for (size_t e = 0; e < spec->nbytecodes; e++) {
        BytecodeEntry *b = &spec->bytecodes[e];
        for (int i = b->first; i <= b->last; i++) {
            if (owner[i] >= 0) {
                BytecodeEntry *o = &spec->bytecodes[owner[i]];
                diag(rel, b->line, b->col, "bytecode index %d is already dispatched to '%s' (line %u)", i,
                     o->routine, o->line);
                break;
            }
            owner[i] = (int)e;
        }
    }
    for (int i = 0; i < BYTECODE_INDICES;) {
        if (owner[i] >= 0) {
            i++;
            continue;
        }
        int j = i;
        while (j + 1 < BYTECODE_INDICES && owner[j + 1] < 0)
            j++;
        if (i == j)
            diag(rel, 0, 0, "BYTECODE_TABLE does not cover index %d", i);
        else
            diag(rel, 0, 0, "BYTECODE_TABLE does not cover indices %d..%d", i, j);
        i = j + 1;
    }
}

static bool is_name(const char *s)
{
    if (!*s || isdigit((unsigned char)*s))
        return false;
    for (; *s; s++)
        if (!(isalnum((unsigned char)*s) || *s == '_'))
            return false;
    return true;
}

/* VARIANT_TABLE(V): V(key, value) per selectable value; a key's first value is its default. */
void parse_variant_table(Spec *spec, int file, TSNode def)
{
    char params[2][64];
    int np;
    Cursor c = body_cursor(spec, file, def, params, &np);
    if (np != 1) {
        TSPoint p = ts_node_start_point(def);
        diag(c.f->rel, p.row + 1, p.column + 1, "VARIANT_TABLE must take one parameter, (V)");
        return;
    }
    Invocation inv;
    while (next_invocation(&c, &inv) == 1) {
        if (strcmp(inv.name, params[0]) != 0 || inv.nargs != 2 || !is_name(inv.args[0]) || !is_name(inv.args[1])) {
            diag(c.f->rel, inv.line, inv.col, "VARIANT_TABLE entries are %s(key, value), both names", params[0]);
        } else {
            GROW(spec->variants, spec->nvariants, spec->cvariants);
            VariantDecl *v = &spec->variants[spec->nvariants++];
            v->key = xstrdup(inv.args[0]);
            v->value = xstrdup(inv.args[1]);
            v->file = file;
            v->line = inv.line;
            v->col = inv.col;
        }
        free_invocation(&inv);
    }
    free_invocation(&inv);
}

/* VM_REGISTERS(R): R(global, local), the VM_STATE globals interpret() keeps in locals. */
void parse_registers(Spec *spec, int file, TSNode def)
{
    char params[2][64];
    int np;
    Cursor c = body_cursor(spec, file, def, params, &np);
    if (np != 1) {
        TSPoint p = ts_node_start_point(def);
        diag(c.f->rel, p.row + 1, p.column + 1, "VM_REGISTERS must take one parameter, (R)");
        return;
    }
    Invocation inv;
    while (next_invocation(&c, &inv) == 1) {
        if (strcmp(inv.name, params[0]) != 0 || inv.nargs != 2 || !is_name(inv.args[0]) || !is_name(inv.args[1])) {
            diag(c.f->rel, inv.line, inv.col, "VM_REGISTERS entries are %s(global, local), both names", params[0]);
        } else {
            GROW(spec->registers, spec->nregisters, spec->cregisters);
            Register *r = &spec->registers[spec->nregisters++];
            r->global = xstrdup(inv.args[0]);
            r->local = xstrdup(inv.args[1]);
        }
        free_invocation(&inv);
    }
    free_invocation(&inv);
}
