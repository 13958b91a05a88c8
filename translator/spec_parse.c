/* Reads SPECDIR: every .c and .h parsed with tree-sitter, then the items the later phases need
 * (definitions from taken branches, the VM_STATE and BYTECODE_TABLE lists, prototypes, functions). */
#include "talc_translate.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool node_is(TSNode n, const char *type) { return !ts_node_is_null(n) && strcmp(ts_node_type(n), type) == 0; }

char *node_text(const SpecFile *f, TSNode n)
{
    uint32_t s = ts_node_start_byte(n), e = ts_node_end_byte(n);
    return xstrndup(f->src + s, e - s);
}

static TSNode field(TSNode n, const char *name) { return ts_node_child_by_field_name(n, name, (uint32_t)strlen(name)); }

TSNode declarator_name(TSNode d)
{
    while (!ts_node_is_null(d)) {
        if (node_is(d, "identifier"))
            return d;
        if (node_is(d, "function_declarator") || node_is(d, "pointer_declarator") ||
            node_is(d, "parenthesized_declarator") || node_is(d, "attributed_declarator")) {
            TSNode inner = field(d, "declarator");
            if (ts_node_is_null(inner) && ts_node_named_child_count(d) > 0)
                inner = ts_node_named_child(d, 0);
            d = inner;
        } else
            break;
    }
    TSNode none = {0};
    return none;
}

/* The function declarator of a declaration, if it declares a function. */
static TSNode function_declarator(TSNode d)
{
    while (!ts_node_is_null(d)) {
        if (node_is(d, "function_declarator"))
            return d;
        if (node_is(d, "pointer_declarator") || node_is(d, "parenthesized_declarator") ||
            node_is(d, "attributed_declarator"))
            d = field(d, "declarator");
        else
            break;
    }
    TSNode none = {0};
    return none;
}

/* tree-sitter-c loses its place in a multi-line #define whose lines carry comments (the rest of the
 * macro is then read as code). Blanking comments inside directives keeps every byte offset, line
 * and column, and directives need no comments. */
static void blank_directive_comments(char *s, size_t len)
{
    bool line_start = true, in_directive = false, in_block = false;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (in_block) {
            if (c == '*' && i + 1 < len && s[i + 1] == '/') {
                in_block = false;
                i++;
            }
            continue;
        }
        if (c == '\n') {
            bool continued = i > 0 && s[i - 1] == '\\';
            if (!continued)
                in_directive = false;
            line_start = true;
            continue;
        }
        if (line_start && (c == ' ' || c == '\t'))
            continue;
        if (line_start && c == '#')
            in_directive = true;
        line_start = false;
        if (c == '"' || c == '\'') {
            for (i++; i < len && s[i] != c && s[i] != '\n'; i++)
                if (s[i] == '\\' && i + 1 < len && s[i + 1] != '\n')
                    i++;
            continue;
        }
        if (c == '/' && i + 1 < len && s[i + 1] == '*') {
            size_t j = i + 2;
            while (j + 1 < len && !(s[j] == '*' && s[j + 1] == '/') && s[j] != '\n')
                j++;
            if (in_directive && j + 1 < len && s[j] == '*') {
                memset(s + i, ' ', j + 2 - i);
                i = j + 1;
            } else
                in_block = true, i++;
            continue;
        }
        if (c == '/' && i + 1 < len && s[i + 1] == '/') {
            size_t j = i;
            while (j < len && s[j] != '\n')
                j++;
            if (in_directive) {
                size_t stop = (j > i && s[j - 1] == '\\') ? j - 1 : j; /* keep a continuation */
                memset(s + i, ' ', stop - i);
            }
            i = j - 1;
            continue;
        }
    }
}

/* SIM_ONLY(statements) holds statements, which no C parser reads as a call's arguments. Production
 * drops it whole and the checks skip it, so its inside is blanked (newlines kept). */
static void blank_sim_only(char *s, size_t len)
{
    static const char kw[] = "SIM_ONLY";
    const size_t kn = sizeof kw - 1;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == '/' && i + 1 < len && s[i + 1] == '*') {
            const char *e = strstr(s + i + 2, "*/");
            i = e ? (size_t)(e - s) + 1 : len;
            continue;
        }
        if (c == '/' && i + 1 < len && s[i + 1] == '/') {
            while (i < len && s[i] != '\n')
                i++;
            continue;
        }
        if (c == '"' || c == '\'') {
            for (i++; i < len && s[i] != c && s[i] != '\n'; i++)
                if (s[i] == '\\')
                    i++;
            continue;
        }
        bool boundary = i == 0 || !(isalnum((unsigned char)s[i - 1]) || s[i - 1] == '_');
        if (!boundary || c != 'S' || i + kn > len || memcmp(s + i, kw, kn) != 0 ||
            (i + kn < len && (isalnum((unsigned char)s[i + kn]) || s[i + kn] == '_'))) {
            while (i + 1 < len && (isalnum((unsigned char)s[i]) || s[i] == '_') &&
                   (isalnum((unsigned char)s[i + 1]) || s[i + 1] == '_'))
                i++;
            continue;
        }
        size_t open = i + kn;
        while (open < len && (s[open] == ' ' || s[open] == '\t' || s[open] == '\n'))
            open++;
        if (open >= len || s[open] != '(')
            continue;
        int depth = 0;
        size_t j = open;
        for (; j < len; j++) {
            char d = s[j];
            if (d == '"' || d == '\'') {
                for (j++; j < len && s[j] != d && s[j] != '\n'; j++)
                    if (s[j] == '\\')
                        j++;
            } else if (d == '/' && j + 1 < len && s[j + 1] == '*') {
                const char *e = strstr(s + j + 2, "*/");
                j = e ? (size_t)(e - s) + 1 : len;
            } else if (d == '(')
                depth++;
            else if (d == ')' && --depth == 0)
                break;
        }
        if (j >= len)
            return; /* unbalanced: the parser will say where */
        for (size_t k = open + 1; k < j; k++)
            if (s[k] != '\n')
                s[k] = ' ';
        i = j;
    }
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static bool has_suffix(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && strcmp(s + n - m, suf) == 0;
}

static TSParser *g_parser;

static bool parse_file(SpecFile *f)
{
    if (!g_parser) {
        g_parser = ts_parser_new();
        if (!ts_parser_set_language(g_parser, tree_sitter_c())) {
            diag(NULL, 0, 0, "the tree-sitter C grammar's ABI does not match libtree-sitter");
            return false;
        }
    }
    if (f->len > UINT32_MAX) {
        diag(f->rel, 0, 0, "file too large");
        return false;
    }
    f->tree = ts_parser_parse_string(g_parser, NULL, f->src, (uint32_t)f->len);
    if (!f->tree) {
        diag(f->rel, 0, 0, "tree-sitter could not parse this file");
        return false;
    }
    return true;
}

static void add_define(Spec *spec, int file, TSNode def, bool function_like)
{
    SpecFile *f = &spec->files[file];
    TSNode name = field(def, "name");
    TSNode value = field(def, "value");
    GROW(spec->defines, spec->ndefines, spec->cdefines);
    Define *d = &spec->defines[spec->ndefines];
    d->name = node_text(f, name);
    d->function_like = function_like;
    d->file = file;
    d->line = ts_node_start_point(def).row + 1;
    if (function_like) {
        /* the whole replacement text, from after the parameters: see macro_lists.c */
        TSNode params = field(def, "parameters");
        uint32_t s = ts_node_end_byte(params), e = ts_node_end_byte(def);
        d->value = xstrndup(f->src + s, e - s);
    } else if (ts_node_is_null(value)) {
        d->value = xstrdup("");
    } else {
        char *v = node_text(f, value);
        size_t n = strlen(v);
        while (n && (v[n - 1] == ' ' || v[n - 1] == '\t' || v[n - 1] == '\n' || v[n - 1] == '\r'))
            v[--n] = 0;
        size_t lead = strspn(v, " \t");
        memmove(v, v + lead, n - lead + 1);
        d->value = v;
    }
    int existing = map_get(&spec->define_idx, d->name);
    if (existing >= 0 && strcmp(spec->defines[existing].value, d->value) != 0 &&
        strcmp(d->name, "TALC_WORD_BYTES") != 0)
        diag_warning(f->rel, d->line, ts_node_start_point(def).column + 1, "'%s' redefined with a different value",
                     d->name);
    map_put(&spec->define_idx, d->name, (int)spec->ndefines);
    spec->ndefines++;
}

static void add_prototype(Spec *spec, int file, TSNode decl, TSNode fdecl)
{
    SpecFile *f = &spec->files[file];
    TSNode name = declarator_name(fdecl);
    if (ts_node_is_null(name))
        return;
    GROW(spec->protos, spec->nprotos, spec->cprotos);
    Prototype *p = &spec->protos[spec->nprotos];
    p->name = node_text(f, name);
    p->file = file;
    p->line = ts_node_start_point(decl).row + 1;
    p->col = ts_node_start_point(decl).column + 1;
    p->decl = decl;
    p->fdecl = fdecl;
    if (map_get(&spec->proto_idx, p->name) < 0)
        map_put(&spec->proto_idx, p->name, (int)spec->nprotos);
    if ((int)file == spec->vm_h) {
        GROW(spec->entries, spec->nentries, spec->centries);
        spec->entries[spec->nentries++] = xstrdup(p->name);
    }
    spec->nprotos++;
}

static void add_function(Spec *spec, int file, TSNode def)
{
    SpecFile *f = &spec->files[file];
    TSNode decl = field(def, "declarator");
    TSNode name = declarator_name(decl);
    TSPoint at = ts_node_start_point(def);
    if (ts_node_is_null(name) || ts_node_is_null(function_declarator(decl))) {
        diag(f->rel, at.row + 1, at.column + 1, "cannot find the name of this function");
        return;
    }
    char *n = node_text(f, name);
    int prev = map_get(&spec->func_idx, n);
    if (prev >= 0) {
        Function *p = &spec->funcs[prev];
        diag(f->rel, at.row + 1, at.column + 1, "function '%s' is already defined at %s:%u", n,
             spec->files[p->file].rel, p->line);
        free(n);
        return;
    }
    GROW(spec->funcs, spec->nfuncs, spec->cfuncs);
    Function *fn = &spec->funcs[spec->nfuncs];
    memset(fn, 0, sizeof *fn);
    fn->name = n;
    fn->file = file;
    fn->def = def;
    fn->body = field(def, "body");
    fn->line = at.row + 1;
    fn->col = at.column + 1;
    for (uint32_t i = 0; i < ts_node_child_count(def); i++) {
        TSNode c = ts_node_child(def, i);
        if (node_is(c, "storage_class_specifier")) {
            char *t = node_text(f, c);
            if (strcmp(t, "static") == 0)
                fn->is_static = true;
            free(t);
        }
    }
    map_put(&spec->func_idx, n, (int)spec->nfuncs);
    spec->nfuncs++;
}

static bool is_directive_token(TSNode c)
{
    const char *t = ts_node_type(c);
    return !ts_node_is_named(c) && (t[0] == '#' || t[0] == '\n' || strcmp(t, "\r\n") == 0);
}

static void walk_items(Spec *spec, int file, TSNode parent);

/* The items of a conditional group: every named child that is not its condition, name or else-part. */
static void walk_group(Spec *spec, int file, TSNode group)
{
    TSNode cond = field(group, "condition"), name = field(group, "name"), alt = field(group, "alternative");
    for (uint32_t i = 0; i < ts_node_child_count(group); i++) {
        TSNode c = ts_node_child(group, i);
        if (is_directive_token(c) || ts_node_eq(c, cond) || ts_node_eq(c, name) ||
            (!ts_node_is_null(alt) && ts_node_eq(c, alt)))
            continue;
        walk_items(spec, file, c);
    }
}

static void walk_conditional(Spec *spec, int file, TSNode n)
{
    SpecFile *f = &spec->files[file];
    TSPoint at = ts_node_start_point(n);
    bool taken;
    if (!f->is_header)
        diag(f->rel, at.row + 1, at.column + 1, "preprocessor conditionals belong in headers, not .c files");
    if (node_is(n, "preproc_ifdef") || node_is(n, "preproc_elifdef")) {
        TSNode name = field(n, "name");
        const char *kw = ts_node_type(ts_node_child(n, 0));
        bool negate = strstr(kw, "ndef") != NULL;
        if (ts_node_is_null(name)) {
            diag(f->rel, at.row + 1, at.column + 1, "#ifdef without a name");
            return;
        }
        char *nm = node_text(f, name);
        taken = (map_get(&spec->define_idx, nm) >= 0) != negate;
        free(nm);
    } else {
        TSNode cond = field(n, "condition");
        long long v = 0;
        const char *why = "missing condition";
        uint32_t s = ts_node_start_byte(cond), e = ts_node_end_byte(cond);
        if (ts_node_is_null(cond) || !pp_eval(spec, f->src + s, e - s, false, &v, &why)) {
            TSPoint cp = ts_node_is_null(cond) ? at : ts_node_start_point(cond);
            diag(f->rel, cp.row + 1, cp.column + 1, "cannot evaluate this condition: %s", why);
            return;
        }
        taken = v != 0;
    }
    if (taken) {
        walk_group(spec, file, n);
        return;
    }
    TSNode alt = field(n, "alternative");
    if (ts_node_is_null(alt))
        return;
    if (node_is(alt, "preproc_else"))
        walk_group(spec, file, alt);
    else
        walk_conditional(spec, file, alt);
}

static void walk_items(Spec *spec, int file, TSNode n)
{
    SpecFile *f = &spec->files[file];
    const char *t = ts_node_type(n);
    TSPoint at = ts_node_start_point(n);
    if (strcmp(t, "translation_unit") == 0) {
        for (uint32_t i = 0; i < ts_node_named_child_count(n); i++)
            walk_items(spec, file, ts_node_named_child(n, i));
    } else if (strcmp(t, "preproc_if") == 0 || strcmp(t, "preproc_ifdef") == 0) {
        walk_conditional(spec, file, n);
    } else if (strcmp(t, "preproc_def") == 0) {
        add_define(spec, file, n, false);
    } else if (strcmp(t, "preproc_function_def") == 0) {
        add_define(spec, file, n, true);
        char *nm = node_text(f, field(n, "name"));
        if (strcmp(nm, "VM_STATE") == 0)
            parse_vm_state(spec, file, n);
        else if (strcmp(nm, "BYTECODE_TABLE") == 0) {
            if (spec->bytecodes_file >= 0)
                diag(f->rel, at.row + 1, at.column + 1, "a second BYTECODE_TABLE");
            spec->bytecodes_file = file;
            spec->bytecodes_def = n;
        } else if (strcmp(nm, "VARIANT_TABLE") == 0)
            parse_variant_table(spec, file, n);
        else if (strcmp(nm, "VM_REGISTERS") == 0)
            parse_registers(spec, file, n);
        else if (!f->is_header)
            diag(f->rel, at.row + 1, at.column + 1, "function-like macro '%s' in a .c file", nm);
        free(nm);
    } else if (strcmp(t, "preproc_include") == 0) {
        /* walk an included spec header first, as cpp would, so its definitions are live */
        TSNode path = field(n, "path");
        if (node_is(path, "string_literal")) {
            char *p = node_text(f, path);
            size_t pl = strlen(p);
            if (pl >= 2) {
                p[pl - 1] = 0;
                for (size_t i = 0; i < spec->nfiles; i++) {
                    const char *base = strrchr(spec->files[i].rel, '/');
                    if (spec->files[i].is_header && !spec->files[i].walked && strcmp(base + 1, p + 1) == 0) {
                        spec->files[i].walked = true;
                        walk_items(spec, (int)i, ts_tree_root_node(spec->files[i].tree));
                    }
                }
            }
            free(p);
        }
    } else if (strcmp(t, "type_definition") == 0) {
        if (f->is_header) {
            /* a header meant for platforms/ too (vm.h) repeats talc.h's sqInt: C11 allows the
             * same typedef twice, the output has it once */
            char *text = node_text(f, n);
            bool seen = false;
            for (size_t i = 0; i < spec->ntypedefs && !seen; i++)
                seen = strcmp(spec->typedefs[i], text) == 0;
            if (seen) {
                free(text);
            } else {
                GROW(spec->typedefs, spec->ntypedefs, spec->ctypedefs);
                spec->typedefs[spec->ntypedefs++] = text;
            }
        } else
            diag(f->rel, at.row + 1, at.column + 1, "typedefs belong in headers");
    } else if (strcmp(t, "declaration") == 0) {
        bool any = false;
        TSNode d = field(n, "declarator");
        TSNode fd = function_declarator(d);
        if (!ts_node_is_null(fd)) {
            add_prototype(spec, file, n, fd);
            any = true;
        }
        if (!any && !f->is_header)
            diag(f->rel, at.row + 1, at.column + 1,
                 "hidden-state: a global variable: VM state belongs in VM_STATE (vmstate.h)");
    } else if (strcmp(t, "function_definition") == 0) {
        if (f->is_header)
            diag(f->rel, at.row + 1, at.column + 1, "function definitions belong in .c files");
        else
            add_function(spec, file, n);
    }
    /* includes, comments, top-level macro invocations and _Static_assert need nothing */
}

/* A macro invoked at the top level of a header, e.g. VM_STATE(...), has no ';' and needs none. */
static bool forgivable_missing(const Spec *spec, const SpecFile *f, TSNode missing, TSNode stmt)
{
    /* stmt comes from the walk: libtree-sitter 0.20's ts_node_parent is wrong for zero-width nodes */
    if (!f->is_header || !node_is(stmt, "expression_statement") || strcmp(ts_node_type(missing), ";") != 0)
        return false;
    TSNode call = ts_node_named_child(stmt, 0);
    if (!node_is(call, "call_expression"))
        return false;
    TSNode fn = ts_node_child_by_field_name(call, "function", 8);
    if (!node_is(fn, "identifier"))
        return false;
    uint32_t s = ts_node_start_byte(fn);
    int d = map_getn(&spec->define_idx, f->src + s, ts_node_end_byte(fn) - s);
    return d >= 0 && spec->defines[d].function_like;
}

static void report_syntax_errors(const Spec *spec, const SpecFile *f, TSNode n, TSNode parent, int *budget)
{
    if (*budget <= 0)
        return;
    if (ts_node_is_missing(n)) {
        if (forgivable_missing(spec, f, n, parent))
            return;
        TSPoint p = ts_node_start_point(n);
        diag(f->rel, p.row + 1, p.column + 1, "syntax error: missing '%s'", ts_node_type(n));
        (*budget)--;
        return;
    }
    if (node_is(n, "ERROR")) {
        TSPoint p = ts_node_start_point(n);
        diag(f->rel, p.row + 1, p.column + 1, "syntax error");
        (*budget)--;
        return;
    }
    if (!ts_node_has_error(n))
        return;
    for (uint32_t i = 0; i < ts_node_child_count(n); i++)
        report_syntax_errors(spec, f, ts_node_child(n, i), n, budget);
}

static bool load_platform_header(Spec *spec, const char *path)
{
    SpecFile pf = {0};
    pf.path = xstrdup(path);
    pf.rel = xstrdup(path);
    pf.src = read_whole_file(path, &pf.len);
    if (!pf.src) {
        diag(path, 0, 0, "cannot read the platform interface: %s", strerror(errno));
        free(pf.path);
        free(pf.rel);
        return false;
    }
    blank_directive_comments(pf.src, pf.len);
    bool ok = parse_file(&pf);
    if (ok) {
        /* every declaration that declares a function, whatever the conditionals around it */
        TSNode stack[256];
        int sp = 0;
        stack[sp++] = ts_tree_root_node(pf.tree);
        while (sp > 0) {
            TSNode n = stack[--sp];
            if (node_is(n, "declaration")) {
                for (uint32_t i = 0; i < ts_node_named_child_count(n); i++) {
                    TSNode fd = function_declarator(ts_node_named_child(n, i));
                    TSNode nm = declarator_name(fd);
                    if (!ts_node_is_null(fd) && !ts_node_is_null(nm)) {
                        char *s = node_text(&pf, nm);
                        map_put(&spec->platform_fns, s, 1);
                        free(s);
                    }
                }
                continue;
            }
            if (node_is(n, "function_definition"))
                continue;
            for (uint32_t i = ts_node_named_child_count(n); i > 0 && sp < 256; i--)
                stack[sp++] = ts_node_named_child(n, i - 1);
        }
        ts_tree_delete(pf.tree);
    }
    free(pf.src);
    free(pf.path);
    free(pf.rel);
    return ok;
}

bool spec_load(Spec *spec, const char *dir, const char *platform_header, const Flavour *fl)
{
    memset(spec, 0, sizeof *spec);
    spec->dir = dir;
    spec->flavour = fl;
    spec->vm_h = -1;
    spec->bytecodes_file = -1;
    int errors_before = g_error_count;

    /* "vmspec" whatever the path: output must not depend on where the tree lives */
    size_t dl = strlen(dir);
    while (dl > 1 && dir[dl - 1] == '/')
        dl--;
    size_t ds = dl;
    while (ds > 0 && dir[ds - 1] != '/')
        ds--;
    spec->dirname = xstrndup(dir + ds, dl - ds);
    if (strcmp(spec->dirname, ".") == 0 || strcmp(spec->dirname, "..") == 0 || !spec->dirname[0]) {
        /* only the directory's own name, never its path, reaches the output */
        char *real = realpath(dir, NULL);
        const char *base = real ? strrchr(real, '/') : NULL;
        free(spec->dirname);
        spec->dirname = xstrdup(base && base[1] ? base + 1 : "vmspec");
        free(real);
    }

    DIR *d = opendir(dir);
    if (!d) {
        diag(dir, 0, 0, "cannot read the spec directory: %s", strerror(errno));
        return false;
    }
    char **names = NULL;
    size_t nnames = 0, cnames = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.' || !(has_suffix(de->d_name, ".c") || has_suffix(de->d_name, ".h")))
            continue;
        GROW(names, nnames, cnames);
        names[nnames++] = xstrdup(de->d_name);
    }
    closedir(d);
    qsort(names, nnames, sizeof *names, cmp_str);

    /* the flavour's constants are defined before any header is read */
    GROW(spec->defines, spec->ndefines, spec->cdefines);
    memset(&spec->defines[0], 0, sizeof spec->defines[0]);
    spec->defines[0].name = xstrdup("TALC_WORD_BYTES");
    spec->defines[0].value = xstrdup(fl->word_size == 64 ? "8" : "4");
    spec->defines[0].file = -1;
    map_put(&spec->define_idx, "TALC_WORD_BYTES", 0);
    spec->ndefines = 1;

    for (size_t i = 0; i < nnames; i++) {
        GROW(spec->files, spec->nfiles, spec->cfiles);
        SpecFile *f = &spec->files[spec->nfiles];
        memset(f, 0, sizeof *f);
        size_t plen = strlen(dir) + strlen(names[i]) + 2;
        f->path = xmalloc(plen);
        snprintf(f->path, plen, "%s/%s", dir, names[i]);
        size_t rlen = strlen(spec->dirname) + strlen(names[i]) + 2;
        f->rel = xmalloc(rlen);
        snprintf(f->rel, rlen, "%s/%s", spec->dirname, names[i]);
        f->is_header = has_suffix(names[i], ".h");
        f->src = read_whole_file(f->path, &f->len);
        if (!f->src) {
            diag(f->rel, 0, 0, "cannot read: %s", strerror(errno));
            free(f->path);
            free(f->rel);
            continue;
        }
        blank_directive_comments(f->src, f->len);
        blank_sim_only(f->src, f->len);
        if (!parse_file(f)) {
            free(f->src);
            free(f->path);
            free(f->rel);
            continue;
        }
        if (strcmp(names[i], "vm.h") == 0)
            spec->vm_h = (int)spec->nfiles;
        spec->nfiles++;
    }
    for (size_t i = 0; i < nnames; i++)
        free(names[i]);
    free(names);

    if (spec->vm_h < 0)
        diag(dir, 0, 0, "no vm.h: the spec must declare its entry points in %s/vm.h", spec->dirname);
    if (!load_platform_header(spec, platform_header))
        return false;

    /* headers first (talc.h's and constants.h's conditionals set up what later files see), then .c */
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < spec->nfiles; i++)
            if (spec->files[i].is_header == (pass == 0) && !spec->files[i].walked) {
                spec->files[i].walked = true;
                walk_items(spec, (int)i, ts_tree_root_node(spec->files[i].tree));
            }
    if (spec->bytecodes_file >= 0)
        parse_bytecode_table(spec, spec->bytecodes_file, spec->bytecodes_def);
    for (size_t i = 0; i < spec->nfiles; i++) {
        int budget = 20;
        TSNode root = ts_tree_root_node(spec->files[i].tree);
        report_syntax_errors(spec, &spec->files[i], root, root, &budget);
    }
    if (spec->has_bytecodes)
        check_bytecode_coverage(spec);
    return g_error_count == errors_before;
}

void spec_free(Spec *spec)
{
    for (size_t i = 0; i < spec->nfiles; i++) {
        ts_tree_delete(spec->files[i].tree);
        free(spec->files[i].src);
        free(spec->files[i].path);
        free(spec->files[i].rel);
    }
    free(spec->files);
    for (size_t i = 0; i < spec->ndefines; i++) {
        free(spec->defines[i].name);
        free(spec->defines[i].value);
    }
    free(spec->defines);
    for (size_t i = 0; i < spec->ntypedefs; i++)
        free(spec->typedefs[i]);
    free(spec->typedefs);
    for (size_t i = 0; i < spec->nstate; i++) {
        free(spec->state[i].type);
        free(spec->state[i].name);
        free(spec->state[i].arg);
    }
    free(spec->state);
    for (size_t i = 0; i < spec->nbytecodes; i++)
        free(spec->bytecodes[i].routine);
    free(spec->bytecodes);
    for (size_t i = 0; i < spec->nfuncs; i++) {
        free(spec->funcs[i].name);
        free(spec->funcs[i].inline_how);
        free(spec->funcs[i].spec_param);
        free(spec->funcs[i].callees);
        free(spec->funcs[i].state_reads);
        free(spec->funcs[i].state_writes);
    }
    free(spec->funcs);
    for (size_t i = 0; i < spec->nprotos; i++)
        free(spec->protos[i].name);
    free(spec->protos);
    for (size_t i = 0; i < spec->nentries; i++)
        free(spec->entries[i]);
    free(spec->entries);
    for (size_t i = 0; i < spec->nvariants; i++) {
        free(spec->variants[i].key);
        free(spec->variants[i].value);
    }
    free(spec->variants);
    for (size_t i = 0; i < spec->nregisters; i++) {
        free(spec->registers[i].global);
        free(spec->registers[i].local);
    }
    free(spec->registers);
    map_free(&spec->state_idx);
    free(spec->dirname);
    map_free(&spec->define_idx);
    map_free(&spec->func_idx);
    map_free(&spec->proto_idx);
    map_free(&spec->platform_fns);
    map_free(&spec->used_names);
    if (g_parser) {
        ts_parser_delete(g_parser);
        g_parser = NULL;
    }
}
