/* talc-translate: shared types of the parse -> analyse -> emit pipeline. */
#ifndef TALC_TRANSLATE_H
#define TALC_TRANSLATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <tree_sitter/api.h>

const TSLanguage *tree_sitter_c(void);

/* ---- util.c ---- */
void *xmalloc(size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
#define GROW(arr, count, cap)                                                  \
    do {                                                                       \
        if ((count) >= (cap)) {                                                \
            (cap) = (cap) ? (cap) * 2 : 16;                                    \
            (arr) = xrealloc((arr), (cap) * sizeof *(arr));                    \
        }                                                                      \
    } while (0)

typedef struct {
    char *s;
    size_t len, cap;
} Buf;
void buf_add(Buf *b, const char *s, size_t n);
void buf_puts(Buf *b, const char *s);
void buf_putc(Buf *b, char c);
void buf_printf(Buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_free(Buf *b);

/* A string -> int map; names are compared by (pointer, length) so that source slices need no copy. */
typedef struct {
    char **keys;
    int *vals;
    size_t cap, count;
} NameMap;
void map_put(NameMap *m, const char *key, int val);
int map_getn(const NameMap *m, const char *key, size_t len); /* -1 when absent */
int map_get(const NameMap *m, const char *key);
void map_free(NameMap *m);

char *read_whole_file(const char *path, size_t *len); /* NULL with errno set on failure */
extern int g_error_count;
void diag(const char *file, unsigned line, unsigned col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void diag_warning(const char *file, unsigned line, unsigned col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
double now_seconds(void);

/* ---- flavour.c ---- */
typedef struct {
    char *name;             /* file name without directory and .lua */
    int word_size;          /* 32 | 64 */
    bool assertions_build;  /* assertions = "build" */
    bool dispatch_switch;   /* dispatch = "switch" */
} Flavour;
bool flavour_load(const char *path, Flavour *out);
void flavour_free(Flavour *f);

/* ---- the parsed spec (spec_parse.c, macro_lists.c) ---- */
typedef struct {
    char *path;      /* as opened */
    char *rel;       /* as named in output and diagnostics: "vmspec/foo.c" */
    char *src;       /* directive comments blanked, see spec_parse.c */
    size_t len;
    TSTree *tree;
    bool is_header;
    bool walked;     /* items collected (headers are walked in #include order) */
} SpecFile;

typedef struct {
    char *name, *value;
    bool function_like;
    int file;
    unsigned line;
} Define;

typedef struct {
    char *type, *name, *arg; /* arg: initial value, or element count for arrays */
    bool is_array;
} StateVar;

typedef struct {
    int first, last;
    char *routine;
    unsigned line, col;
} BytecodeEntry;

typedef struct {
    char *name;
    int file;
    TSNode def, body;
    unsigned line, col;
    bool is_static, is_entry, reachable, has_dispatch;
    char *inline_how;    /* INLINE(...) argument, or NULL */
    int specialise_count;
    int *callees;        /* indices into Spec.funcs */
    size_t ncallees, ccallees;
} Function;

typedef struct {
    char *name;
    int file;
    unsigned line, col;
} Prototype;

#define BYTECODE_INDICES 512

typedef struct {
    const char *dir;
    char *dirname;          /* the last component of dir: "vmspec" */
    const Flavour *flavour;
    SpecFile *files;
    size_t nfiles, cfiles;
    Define *defines;
    size_t ndefines, cdefines;
    NameMap define_idx;     /* live (taken-branch) definitions */
    char **typedefs;        /* text of the headers' typedefs, in order */
    size_t ntypedefs, ctypedefs;
    StateVar *state;
    size_t nstate, cstate;
    bool has_state;
    BytecodeEntry *bytecodes;
    size_t nbytecodes, cbytecodes;
    bool has_bytecodes;
    int bytecodes_file;
    TSNode bytecodes_def;   /* read once every header is in: its bounds may name constants */
    Function *funcs;
    size_t nfuncs, cfuncs;
    NameMap func_idx;
    Prototype *protos;      /* spec headers' function prototypes */
    size_t nprotos, cprotos;
    NameMap proto_idx;
    NameMap platform_fns;
    char **entries;         /* functions declared in vm.h, in order */
    size_t nentries, centries;
    int vm_h;               /* file index of vm.h, -1 when missing */
    NameMap used_names;     /* identifiers in emitted code: unused VM state is marked */
} Spec;

bool spec_load(Spec *spec, const char *dir, const char *platform_header, const Flavour *fl);
void spec_free(Spec *spec);
/* Text of a node, copied. */
char *node_text(const SpecFile *f, TSNode n);
bool node_is(TSNode n, const char *type);
/* The declared name of a function declarator chain, or a null node. */
TSNode declarator_name(TSNode declarator);

/* macro_lists.c: VM_STATE(X, A) and BYTECODE_TABLE(X) bodies */
void parse_vm_state(Spec *spec, int file, TSNode def);
void parse_bytecode_table(Spec *spec, int file, TSNode def);
void check_bytecode_coverage(Spec *spec);

/* ppeval.c: #if conditions and macro values, against the live definitions */
bool pp_eval(const Spec *spec, const char *text, size_t len, bool strict, long long *out, const char **why);

/* ---- annotations.c: what the translator reads as instructions ---- */
typedef enum {
    ANN_NONE,
    ANN_INLINE,
    ANN_SPECIALISE,
    ANN_SIM_ONLY,
    ANN_ASSERT_SIM,
    ANN_ASSERT,
    ANN_ASSERT_ALWAYS,
    ANN_DISPATCH
} Annotation;
Annotation annotation_of_name(const char *s, size_t n);
Annotation statement_annotation(const SpecFile *f, TSNode stmt, TSNode *call_out);
int accessor_of_name(const char *s, size_t n); /* index into the accessor table, or -1 */
int accessor_arity(int accessor);
/* Appends the production load/store for accessor with already-rewritten operand texts. */
void accessor_open(Buf *out, int accessor, int word_size);  /* text before the address */
void accessor_mid(Buf *out, int accessor, int word_size);   /* between address and value */
void accessor_close(Buf *out, int accessor, int word_size); /* text after the last operand */
/* True when the statement survives in this flavour. */
bool annotation_emitted(Annotation a, const Flavour *fl);

/* ---- callgraph.c ---- */
void analyse(Spec *spec, size_t *kept, size_t *dropped);

/* ---- rewrite.c / dispatch.c / emit.c ---- */
typedef struct {
    const Spec *spec;
    const SpecFile *file;
    Buf *out;
    bool lines;
    uint32_t resume;   /* source bytes before this were consumed by a whole-line removal */
    int dispatch_count;
} Rewriter;
void rewrite_function(Rewriter *rw, const Function *fn);
void emit_dispatch(Rewriter *rw, TSNode stmt, TSNode expr, const char *indent);
void rewrite_node(Rewriter *rw, TSNode n);
void resync_line(Rewriter *rw, TSPoint at);
bool emit_interp(const Spec *spec, const char *outdir, bool lines);

#endif
