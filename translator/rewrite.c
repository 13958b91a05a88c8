/* Rewrites one function definition for production: source text is copied as it is except where
 * the AST says otherwise (accessor calls, annotation statements, dispatch). Whenever the emitted
 * lines stop matching the spec's, a #line puts them back. */
#include "talc_translate.h"

#include <stdlib.h>
#include <string.h>

static size_t count_newlines(const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += s[i] == '\n';
    return k;
}

static bool at_line_start(const Buf *b) { return b->len == 0 || b->s[b->len - 1] == '\n'; }

/* The next emitted line is spec line at.row+1, starting at column at.column. */
void resync_line(Rewriter *rw, TSPoint at)
{
    if (!rw->lines)
        return;
    /* a line of nothing but indentation is dropped */
    size_t t = rw->out->len;
    while (t > 0 && (rw->out->s[t - 1] == ' ' || rw->out->s[t - 1] == '\t'))
        t--;
    if (t < rw->out->len && (t == 0 || rw->out->s[t - 1] == '\n')) {
        rw->out->len = t;
        rw->out->s[t] = 0;
    }
    if (!at_line_start(rw->out))
        buf_putc(rw->out, '\n');
    /* a #line straight after another replaces it */
    size_t last = rw->out->len ? rw->out->len - 1 : 0;
    while (last > 0 && rw->out->s[last - 1] != '\n')
        last--;
    if (rw->out->len - last > 6 && strncmp(rw->out->s + last, "#line ", 6) == 0) {
        rw->out->len = last;
        rw->out->s[last] = 0;
    }
    buf_printf(rw->out, "#line %u \"%s\"\n", at.row + 1, rw->file->rel);
    for (uint32_t i = 0; i < at.column; i++)
        buf_putc(rw->out, ' ');
}

void copy_source(Rewriter *rw, uint32_t from, uint32_t to)
{
    if (from < rw->resume)
        from = rw->resume;
    if (to > from)
        buf_add(rw->out, rw->file->src + from, to - from);
}

void rewrite_children(Rewriter *rw, TSNode n)
{
    uint32_t pos = ts_node_start_byte(n);
    uint32_t count = ts_node_child_count(n);
    bool block = rw->transform && node_is(n, "compound_statement"), dead = false;
    for (uint32_t i = 0; i < count; i++) {
        TSNode c = ts_node_child(n, i);
        if (dead && i + 1 < count) { /* after a return: dead code, dropped */
            pos = ts_node_end_byte(c);
            rw->dirty = true;
            continue;
        }
        if (block && i + 1 < count && fold_always_returns(rw, c))
            dead = true;
        copy_source(rw, pos, ts_node_start_byte(c));
        rewrite_node(rw, c);
        pos = ts_node_end_byte(c);
    }
    copy_source(rw, pos, ts_node_end_byte(n));
}

uint32_t call_nargs(TSNode call)
{
    TSNode args = ts_node_child_by_field_name(call, "arguments", 9);
    uint32_t n = 0;
    for (uint32_t i = 0; i < ts_node_named_child_count(args); i++)
        n += !node_is(ts_node_named_child(args, i), "comment");
    return n;
}

TSNode call_arg(TSNode call, uint32_t k)
{
    TSNode args = ts_node_child_by_field_name(call, "arguments", 9);
    uint32_t seen = 0;
    for (uint32_t i = 0; i < ts_node_named_child_count(args); i++) {
        TSNode a = ts_node_named_child(args, i);
        if (node_is(a, "comment"))
            continue;
        if (seen++ == k)
            return a;
    }
    TSNode none = {0};
    return none;
}

/* Between an accessor's operands only the line breaks (and the next line's indentation) survive:
 * the commas and parentheses are the accessor's own. */
static void keep_line_breaks(Rewriter *rw, uint32_t from, uint32_t to)
{
    const char *src = rw->file->src;
    uint32_t last_nl = to;
    for (uint32_t i = from; i < to; i++)
        if (src[i] == '\n') {
            buf_putc(rw->out, '\n');
            last_nl = i;
        }
    if (last_nl == to)
        return;
    for (uint32_t i = last_nl + 1; i < to && (src[i] == ' ' || src[i] == '\t'); i++)
        buf_putc(rw->out, src[i]);
}

static bool parent_is_block(TSNode stmt) { return node_is(ts_node_parent(stmt), "compound_statement"); }

/* A removed statement alone on its lines takes those lines with it. */
static void remove_statement(Rewriter *rw, TSNode stmt)
{
    const char *src = rw->file->src;
    uint32_t end = ts_node_end_byte(stmt);
    if (!parent_is_block(stmt)) {
        buf_putc(rw->out, ';'); /* `if (x) ASSERT_SIM(y);` keeps a body */
        return;
    }
    size_t tail = rw->out->len;
    while (tail > 0 && (rw->out->s[tail - 1] == ' ' || rw->out->s[tail - 1] == '\t'))
        tail--;
    bool alone_before = tail == 0 || rw->out->s[tail - 1] == '\n';
    uint32_t after = end;
    while (after < rw->file->len && (src[after] == ' ' || src[after] == '\t' || src[after] == '\r'))
        after++;
    bool alone_after = after < rw->file->len && src[after] == '\n';
    if (alone_before && alone_after) {
        rw->out->len = tail;
        rw->out->s[tail] = 0;
        rw->resume = after + 1;
        TSPoint next = {ts_node_end_point(stmt).row + 1, 0};
        resync_line(rw, next);
    } else if (count_newlines(src + ts_node_start_byte(stmt), end - ts_node_start_byte(stmt)) > 0) {
        resync_line(rw, ts_node_end_point(stmt));
    }
}

static void put_c_string_of(Rewriter *rw, TSNode n)
{
    /* like the preprocessor's #e: whitespace runs become one space */
    const char *s = rw->file->src + ts_node_start_byte(n);
    size_t len = ts_node_end_byte(n) - ts_node_start_byte(n);
    bool space = false;
    buf_putc(rw->out, '"');
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || (c == '\\' && i + 1 < len && s[i + 1] == '\n')) {
            space = true;
            continue;
        }
        if (space)
            buf_putc(rw->out, ' ');
        space = false;
        if (c == '"' || c == '\\')
            buf_putc(rw->out, '\\');
        buf_putc(rw->out, c);
    }
    buf_putc(rw->out, '"');
}

static void emit_assert(Rewriter *rw, TSNode stmt, TSNode call)
{
    TSNode e = call_arg(call, 0);
    bool braces = !parent_is_block(stmt);
    if (braces)
        buf_puts(rw->out, "{ ");
    buf_puts(rw->out, "if (!(");
    rewrite_node(rw, e);
    buf_puts(rw->out, ")) vmAssertFailed(");
    put_c_string_of(rw, e);
    buf_printf(rw->out, ", \"%s\", %u);", rw->file->rel, ts_node_start_point(stmt).row + 1);
    if (braces)
        buf_puts(rw->out, " }");
}

static void rewrite_statement_annotation(Rewriter *rw, TSNode stmt, Annotation a, TSNode call)
{
    size_t before = rw->out->len;
    const char *src = rw->file->src;
    uint32_t s = ts_node_start_byte(stmt), e = ts_node_end_byte(stmt);
    if (!annotation_emitted(a, rw->spec->flavour)) {
        remove_statement(rw, stmt);
        return;
    }
    if (a == ANN_DISPATCH) {
        /* the expansion has lines of its own: it takes the statement's lines when alone there */
        size_t tail = rw->out->len;
        while (tail > 0 && (rw->out->s[tail - 1] == ' ' || rw->out->s[tail - 1] == '\t'))
            tail--;
        uint32_t after = e;
        while (after < rw->file->len && (src[after] == ' ' || src[after] == '\t' || src[after] == '\r'))
            after++;
        if (tail > 0 && rw->out->s[tail - 1] == '\n' && after < rw->file->len && src[after] == '\n') {
            char *indent = xstrndup(rw->out->s + tail, rw->out->len - tail);
            rw->out->len = tail;
            rw->out->s[tail] = 0;
            emit_dispatch(rw, stmt, call_arg(call, 0), indent);
            free(indent);
            rw->resume = after + 1;
            TSPoint next = {ts_node_end_point(stmt).row + 1, 0};
            resync_line(rw, next);
            return;
        }
        emit_dispatch(rw, stmt, call_arg(call, 0), "");
    } else
        emit_assert(rw, stmt, call);
    if (count_newlines(rw->out->s + before, rw->out->len - before) != count_newlines(src + s, e - s))
        resync_line(rw, ts_node_end_point(stmt));
}

static bool is_statement(TSNode n)
{
    const char *t = ts_node_type(n);
    return strcmp(t, "expression_statement") == 0 || strcmp(t, "return_statement") == 0 ||
           strcmp(t, "if_statement") == 0 || strcmp(t, "switch_statement") == 0 ||
           strcmp(t, "while_statement") == 0 || strcmp(t, "for_statement") == 0 ||
           strcmp(t, "do_statement") == 0 || strcmp(t, "compound_statement") == 0 ||
           strcmp(t, "break_statement") == 0 || strcmp(t, "continue_statement") == 0 ||
           (strcmp(t, "declaration") == 0 && node_is(ts_node_parent(n), "compound_statement"));
}

/* return in an inlined body, a flattened routine, or interpret() itself */
static bool rewrite_return(Rewriter *rw, TSNode n)
{
    TSNode v = ts_node_named_child(n, 0);
    if (node_is(v, "comment"))
        v = (TSNode){0};
    bool braces = !parent_is_block(n);
    switch (rw->ret) {
    case RET_PLAIN:
        return false;
    case RET_INTERP:
        buf_puts(rw->out, "{ ");
        emit_writeback(rw, NULL, false);
        buf_puts(rw->out, " return ");
        rewrite_node(rw, v);
        buf_puts(rw->out, "; }");
        return true;
    case RET_ROUTINE:
        if (!ts_node_is_null(v)) {
            buf_puts(rw->out, "{ (void)(");
            rewrite_node(rw, v);
            buf_puts(rw->out, "); ");
        } else if (braces)
            buf_puts(rw->out, "{ ");
        buf_printf(rw->out, "goto %s;", rw->ret_label);
        if (!ts_node_is_null(v) || braces)
            buf_puts(rw->out, " }");
        rw->label_used = true;
        return true;
    case RET_INLINE: {
        bool last = ts_node_eq(n, rw->last_stmt);
        if (braces || !last)
            buf_puts(rw->out, "{ ");
        if (!ts_node_is_null(v)) {
            if (rw->ret_var)
                buf_printf(rw->out, "%s = ", rw->ret_var);
            else
                buf_puts(rw->out, "(void)(");
            rewrite_node(rw, v);
            buf_puts(rw->out, rw->ret_var ? "; " : "); ");
        }
        if (!last) {
            buf_printf(rw->out, "goto %s;", rw->ret_label);
            rw->label_used = true;
        }
        if (braces || !last)
            buf_puts(rw->out, " }");
        return true;
    }
    }
    return false;
}

void rewrite_node(Rewriter *rw, TSNode n)
{
    if (ts_node_is_null(n))
        return;
    if (rw->transform && is_statement(n)) {
        if (rw->dirty && rw->lines && !node_is(n, "compound_statement")) {
            resync_line(rw, ts_node_start_point(n));
            rw->dirty = false;
        }
        if (fold_if(rw, n) || fold_switch(rw, n))
            return;
        size_t mark = rw->nhoisted;
        bool braces = !parent_is_block(n) && !node_is(n, "declaration") && !node_is(n, "compound_statement");
        size_t before = rw->out->len;
        if (braces)
            buf_puts(rw->out, "{ ");
        bool consumed = inline_statement(rw, n);
        bool hoisted = rw->nhoisted > mark;
        if (!hoisted && braces) {
            rw->out->len = before;
            rw->out->s[before] = 0;
            braces = false;
        }
        if (!consumed) {
            if (!(node_is(n, "return_statement") && rewrite_return(rw, n)))
                goto plain;
        }
        goto done;
    plain:
        if (node_is(n, "expression_statement")) {
            TSNode call;
            Annotation a = statement_annotation(rw->file, n, &call);
            if (a != ANN_NONE) {
                if (a == ANN_DISPATCH && rw->in_interp)
                    emit_flattened_dispatch(rw, n, call);
                else
                    rewrite_statement_annotation(rw, n, a, call);
                goto done;
            }
        }
        rewrite_children(rw, n);
    done:
        while (rw->nhoisted > mark)
            free(rw->hoisted_name[--rw->nhoisted]);
        if (braces)
            buf_puts(rw->out, " }");
        return;
    }
    if (node_is(n, "expression_statement")) {
        TSNode call;
        Annotation a = statement_annotation(rw->file, n, &call);
        if (a != ANN_NONE) {
            rewrite_statement_annotation(rw, n, a, call);
            return;
        }
    }
    if (rw->transform && fold_try(rw, n))
        return;
    if (!rw->transform && node_is(n, "call_expression")) {
        long long v;
        bool touched = false;
        TSNode fn = ts_node_child_by_field_name(n, "function", 8);
        uint32_t s = ts_node_start_byte(fn);
        if (node_is(fn, "identifier") && ts_node_end_byte(fn) - s == 7 && memcmp(rw->file->src + s, "VARIANT", 7) == 0 &&
            fold_eval(rw, n, &v, &touched)) {
            buf_printf(rw->out, "%lld", v); /* the flavour's choice, even without folding */
            return;
        }
    }
    if (node_is(n, "call_expression")) {
        for (size_t i = 0; i < rw->nhoisted; i++)
            if (ts_node_eq(rw->hoisted[i], n)) {
                buf_puts(rw->out, rw->hoisted_name[i]);
                return;
            }
        TSNode fn = ts_node_child_by_field_name(n, "function", 8);
        if (node_is(fn, "identifier")) {
            uint32_t s = ts_node_start_byte(fn);
            int acc = accessor_of_name(rw->file->src + s, ts_node_end_byte(fn) - s);
            if (acc >= 0) {
                int ws = rw->spec->flavour->word_size;
                TSNode a0 = call_arg(n, 0), a1 = call_arg(n, 1);
                accessor_open(rw->out, acc, ws);
                keep_line_breaks(rw, ts_node_end_byte(fn), ts_node_start_byte(a0));
                rewrite_node(rw, a0);
                TSNode last = a0;
                if (accessor_arity(acc) == 2) {
                    accessor_mid(rw->out, acc, ws);
                    keep_line_breaks(rw, ts_node_end_byte(a0), ts_node_start_byte(a1));
                    rewrite_node(rw, a1);
                    last = a1;
                }
                keep_line_breaks(rw, ts_node_end_byte(last), ts_node_end_byte(n));
                accessor_close(rw->out, acc, ws);
                return;
            }
            if (rw->transform && inline_expression(rw, n))
                return;
            const Function *f = callee_of(rw, n);
            if (f) {
                refuse_always(rw, n, f);
                long long k;
                bool copy = call_specialised(rw, n, f, &k);
                if (!copy)
                    record_call(rw, f, false, 0);
                if (wrap_register_call(rw, n))
                    return;
                if (copy) {
                    emit_specialised_call(rw, n, f, k);
                    return;
                }
            }
        }
    }
    if (ts_node_child_count(n) == 0) {
        if (node_is(n, "identifier") && rw->nsubst) {
            uint32_t s = ts_node_start_byte(n);
            Subst *sb = subst_find(rw, rw->file->src + s, ts_node_end_byte(n) - s);
            if (sb) {
                if (sb->is_const)
                    buf_printf(rw->out, sb->value < 0 ? "(%lld)" : "%lld", sb->value);
                else
                    buf_puts(rw->out, sb->text);
                return;
            }
        }
        if (rw->dirty && rw->lines && strcmp(ts_node_type(n), "}") == 0 &&
            node_is(ts_node_parent(n), "compound_statement")) {
            resync_line(rw, ts_node_start_point(n));
            rw->dirty = false;
        }
        copy_source(rw, ts_node_start_byte(n), ts_node_end_byte(n));
        return;
    }
    rewrite_children(rw, n);
}

void rewrite_function(Rewriter *rw, const Function *fn)
{
    const SpecFile *f = rw->file;
    TSNode def = fn->def;
    rw->resume = 0;
    if (rw->lines)
        buf_printf(rw->out, "#line %u \"%s\"\n", fn->line, f->rel);
    for (uint32_t i = 0; i < ts_node_start_point(def).column; i++)
        buf_putc(rw->out, ' ');
    if (!fn->is_entry)
        buf_puts(rw->out, "static ");
    /* the declaration part, minus any `static` of its own */
    uint32_t pos = ts_node_start_byte(def);
    bool first = true;
    for (uint32_t i = 0; i < ts_node_child_count(def); i++) {
        TSNode c = ts_node_child(def, i);
        if (ts_node_eq(c, fn->body))
            break;
        char *t = node_text(f, c);
        bool drop = node_is(c, "storage_class_specifier") && strcmp(t, "static") == 0;
        free(t);
        if (drop) {
            pos = ts_node_end_byte(c);
            while (pos < f->len && (f->src[pos] == ' ' || f->src[pos] == '\t'))
                pos++;
            continue;
        }
        if (!first || pos != ts_node_start_byte(def))
            copy_source(rw, pos, ts_node_start_byte(c));
        if (rw->copy && ts_node_eq(c, ts_node_child_by_field_name(def, "declarator", 10)))
            put_copy_declarator(rw->out, rw->spec, fn, rw->copy_k);
        else
            rewrite_node(rw, c);
        pos = ts_node_end_byte(c);
        first = false;
    }
    copy_source(rw, pos, ts_node_start_byte(fn->body));
    size_t copy_mark = rw->nsubst;
    if (rw->copy)
        subst_push(rw, fn->spec_param, NULL, true, rw->copy_k);
    if (rw->transform && fn->has_dispatch) {
        /* interpret(): the registers become locals, declared after the opening brace */
        rw->in_interp = true;
        rw->ret = RET_INTERP;
        size_t mark = rw->nsubst;
        for (size_t i = 0; i < rw->spec->nregisters; i++)
            subst_push(rw, rw->spec->registers[i].global, xstrdup(rw->spec->registers[i].local), false, 0);
        TSNode body = fn->body;
        uint32_t p = ts_node_start_byte(body);
        for (uint32_t i = 0; i < ts_node_child_count(body); i++) {
            TSNode c = ts_node_child(body, i);
            copy_source(rw, p, ts_node_start_byte(c));
            rewrite_node(rw, c);
            if (i == 0)
                emit_register_decls(rw);
            p = ts_node_end_byte(c);
        }
        subst_pop_to(rw, mark);
        rw->in_interp = false;
        rw->ret = RET_PLAIN;
    } else
        rewrite_node(rw, fn->body);
    subst_pop_to(rw, copy_mark);
    buf_putc(rw->out, '\n');
}
