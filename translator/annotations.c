/* The names the translator reads as instructions rather than calls: annotations, the dispatch
 * statement, and the memory accessors with their production loads and stores. */
#include "talc_translate.h"

#include <string.h>

static const struct {
    const char *name;
    Annotation kind;
} annotation_names[] = {
    {"INLINE", ANN_INLINE},       {"SPECIALISE", ANN_SPECIALISE}, {"SIM_ONLY", ANN_SIM_ONLY},
    {"ASSERT_SIM", ANN_ASSERT_SIM}, {"ASSERT", ANN_ASSERT},         {"ASSERT_ALWAYS", ANN_ASSERT_ALWAYS},
    {"DISPATCH_BYTECODE", ANN_DISPATCH},
};

Annotation annotation_of_name(const char *s, size_t n)
{
    for (size_t i = 0; i < sizeof annotation_names / sizeof annotation_names[0]; i++)
        if (strlen(annotation_names[i].name) == n && memcmp(annotation_names[i].name, s, n) == 0)
            return annotation_names[i].kind;
    return ANN_NONE;
}

Annotation statement_annotation(const SpecFile *f, TSNode stmt, TSNode *call_out)
{
    if (!node_is(stmt, "expression_statement"))
        return ANN_NONE;
    TSNode call = ts_node_named_child(stmt, 0);
    if (!node_is(call, "call_expression"))
        return ANN_NONE;
    TSNode fn = ts_node_child_by_field_name(call, "function", 8);
    if (!node_is(fn, "identifier"))
        return ANN_NONE;
    uint32_t s = ts_node_start_byte(fn);
    if (call_out)
        *call_out = call;
    return annotation_of_name(f->src + s, ts_node_end_byte(fn) - s);
}

bool annotation_emitted(Annotation a, const Flavour *fl)
{
    switch (a) {
    case ANN_ASSERT: return fl->assertions_build;
    case ANN_ASSERT_ALWAYS:
    case ANN_DISPATCH:
    case ANN_NONE: return true;
    default: return false;
    }
}

/* Width 0 means word-sized: the flavour decides. */
static const struct {
    const char *name;
    int bits;
    bool store, is_float;
} accessors[] = {
    {"byteAt", 8, false, false},      {"byteAtPut", 8, true, false},    {"shortAt", 16, false, false},
    {"shortAtPut", 16, true, false},  {"long32At", 32, false, false},   {"long32AtPut", 32, true, false},
    {"long64At", 64, false, false},   {"long64AtPut", 64, true, false}, {"longAt", 0, false, false},
    {"longAtPut", 0, true, false},    {"float64At", 64, false, true},   {"float64AtPut", 64, true, true},
};

int accessor_of_name(const char *s, size_t n)
{
    for (size_t i = 0; i < sizeof accessors / sizeof accessors[0]; i++)
        if (strlen(accessors[i].name) == n && memcmp(accessors[i].name, s, n) == 0)
            return (int)i;
    return -1;
}

int accessor_arity(int a) { return accessors[a].store ? 2 : 1; }

static const char *c_type(int a, int word_size)
{
    if (accessors[a].is_float)
        return "double";
    switch (accessors[a].bits ? accessors[a].bits : word_size) {
    case 8: return "uint8_t";
    case 16: return "uint16_t";
    case 32: return "uint32_t";
    default: return "uint64_t";
    }
}

/* Loads:  ((sqInt)*(uintN_t *)(usqInt)(ADDR))          unsigned, so 32-bit oops zero-extend
 * Stores: ((void)(*(uintN_t *)(usqInt)(ADDR) = (uintN_t)(VALUE))) */
void accessor_open(Buf *out, int a, int word_size)
{
    const char *t = c_type(a, word_size);
    if (accessors[a].store)
        buf_printf(out, "((void)(*(%s *)(usqInt)(", t);
    else if (accessors[a].is_float)
        buf_puts(out, "(*(double *)(usqInt)(");
    else
        buf_printf(out, "((%s)*(%s *)(usqInt)(", accessors[a].bits == 64 ? "sqLong" : "sqInt", t);
}

void accessor_mid(Buf *out, int a, int word_size) { buf_printf(out, ") = (%s)(", c_type(a, word_size)); }

void accessor_close(Buf *out, int a, int word_size)
{
    (void)word_size;
    buf_puts(out, accessors[a].store ? ")))" : "))");
}
