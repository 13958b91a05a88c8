/* DISPATCH_BYTECODE(index); becomes the interpreter's dispatch: a computed goto through a table
 * of label addresses (GNU C, as in Lua's ljumptab.h), or with TALC_SWITCH_DISPATCH a portable
 * switch with the same cases. Each branch is one line so that it maps onto the spec's line. */
#include "talc_translate.h"

static void put_index(Rewriter *rw, TSNode expr)
{
    buf_puts(rw->out, "(");
    rewrite_node(rw, expr);
    buf_puts(rw->out, ")");
}

void emit_dispatch(Rewriter *rw, TSNode stmt, TSNode expr, const char *indent)
{
    const Spec *spec = rw->spec;
    int d = rw->dispatch_count++;
    TSPoint at = ts_node_start_point(stmt);
    int entry_of[BYTECODE_INDICES];
    for (int i = 0; i < BYTECODE_INDICES; i++)
        entry_of[i] = 0;
    for (size_t e = 0; e < spec->nbytecodes; e++)
        for (int i = spec->bytecodes[e].first; i <= spec->bytecodes[e].last; i++)
            entry_of[i] = (int)e;

    Buf *o = rw->out;
    if (!(o->len == 0 || o->s[o->len - 1] == '\n'))
        buf_putc(o, '\n');
    buf_puts(o, "#if !defined(TALC_SWITCH_DISPATCH)\n");
    if (rw->lines)
        buf_printf(o, "#line %u \"%s\"\n", at.row + 1, rw->file->rel);
    buf_printf(o, "%s{ static const", indent);
    buf_printf(o, " void *const talcDispatch%d[%d] = {\n", d, BYTECODE_INDICES);
    for (int i = 0; i < BYTECODE_INDICES; i++) {
        const BytecodeEntry *b = &spec->bytecodes[entry_of[i]];
        buf_printf(o, "%s&&talc_bc%d_%d_%s,%s", i % 4 ? " " : "    ", d, b->first, b->routine, i % 4 == 3 ? "\n" : "");
    }
    if (rw->lines)
        buf_printf(o, "#line %u \"%s\"\n", at.row + 1, rw->file->rel);
    buf_printf(o, "%s}; goto *talcDispatch%d[", indent, d);
    put_index(rw, expr);
    buf_puts(o, "];");
    for (size_t e = 0; e < spec->nbytecodes; e++) {
        const BytecodeEntry *b = &spec->bytecodes[e];
        int fi = map_get(&spec->func_idx, b->routine);
        if (fi >= 0)
            record_call(rw, &spec->funcs[fi], false, 0);
        buf_printf(o, " talc_bc%d_%d_%s: %s(); goto talc_dispatched%d;", d, b->first, b->routine, b->routine, d);
    }
    buf_printf(o, " talc_dispatched%d: ; }\n", d); /* one statement, even as a loop body */
    buf_puts(o, "#else\n");
    if (rw->lines)
        buf_printf(o, "#line %u \"%s\"\n", at.row + 1, rw->file->rel);
    buf_printf(o, "%sswitch ", indent);
    put_index(rw, expr);
    buf_puts(o, " {");
    for (size_t e = 0; e < spec->nbytecodes; e++) {
        const BytecodeEntry *b = &spec->bytecodes[e];
        for (int i = b->first; i <= b->last; i++)
            buf_printf(o, " case %d:", i);
        buf_printf(o, " %s(); break;", b->routine);
    }
    buf_puts(o, " }\n#endif\n");
    (void)stmt;
}
