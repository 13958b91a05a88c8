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
/* A flavour key that names one of the spec's variant operations (VARIANT_TABLE): checked against
 * the spec once it is read, since the flavour is loaded first. */
typedef struct {
    char *key, *value; /* value NULL when it is not a string */
    unsigned line;
} FlavourChoice;

typedef struct {
    char *name;             /* file name without directory and .lua */
    char *path;             /* as given, for diagnostics */
    int word_size;          /* 32 | 64 */
    bool assertions_build;  /* assertions = "build" */
    bool dispatch_switch;   /* dispatch = "switch" */
    bool jit;               /* jit = true: refused until the JIT exists */
    unsigned bytecode_sets; /* bit 0: V3PlusClosures, bit 1: Sista V1 */
    FlavourChoice *choices;
    size_t nchoices, cchoices;
} Flavour;
#define SET_V3 1u
#define SET_SISTA 2u
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
    char *key, *value;
    int file;
    unsigned line, col;
} VariantDecl;

typedef struct {
    char *global, *local; /* VM_REGISTERS(R): R(global, local) */
} Register;

typedef struct {
    char *name;
    int file;
    TSNode def, body;
    unsigned line, col;
    bool is_static, is_entry, reachable, has_dispatch;
    char *inline_how;    /* INLINE(...) argument, or NULL */
    int specialise_count;
    char *spec_param;    /* SPECIALISE(param, lo, hi) */
    long long spec_lo, spec_hi;
    int spec_index;      /* position of param in the parameter list, -1 for a global */
    bool touches_registers; /* reads or writes a VM_REGISTERS global, itself or through a call */
    bool uses_registers;    /* directly */
    uint64_t *state_reads;  /* VM_STATE globals (bit = index in Spec.state) read, itself or */
    uint64_t *state_writes; /* through a call; written (assigned, incremented) likewise */
    bool expr_body;      /* [annotations] return E; */
    int nstmts;          /* statements in the body, annotations excluded */
    int *callees;        /* indices into Spec.funcs */
    size_t ncallees, ccallees;
} Function;

typedef struct {
    char *name;
    int file;
    unsigned line, col;
    TSNode decl, fdecl;  /* the declaration and its function declarator, for the checker */
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
    VariantDecl *variants;  /* VARIANT_TABLE(V): V(key, value), the first value of a key is its default */
    size_t nvariants, cvariants;
    Register *registers;    /* VM_REGISTERS(R) */
    size_t nregisters, cregisters;
    NameMap state_idx;      /* VM_STATE names */
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
void parse_variant_table(Spec *spec, int file, TSNode def);
void parse_registers(Spec *spec, int file, TSNode def);

/* variants.c: the flavour's choice for each VARIANT_TABLE key */
void check_flavour_choices(Spec *spec);
/* 1 chosen, 0 not chosen, -1 unknown key or value */
int variant_chosen(const Spec *spec, const char *key, const char *value);
bool variant_known(const Spec *spec, const char *key, const char *value, bool *key_known);

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
bool state_bit(const uint64_t *set, int index);
int state_index(const Spec *spec, const char *s, size_t n); /* -1 when not a VM_STATE global */
TSNode function_params(const Function *fn);
int param_index(const Spec *spec, const Function *fn, const char *name);

/* ---- check.c: the dialect checker, on every function of every file ---- */
void check_dialect(Spec *spec);

/* ---- rewrite.c / inline.c / fold.c / flatten.c / dispatch.c / emit.c ---- */
typedef struct {
    const char *name;
    char *text;        /* replacement text, or NULL for a constant */
    long long value;
    bool is_const;
    bool simple;       /* a caller local, bound temp or constant: may be copied (inline.c) */
} Subst;

typedef enum { RET_PLAIN, RET_INLINE, RET_ROUTINE, RET_INTERP } ReturnKind;

typedef struct {
    bool transform;    /* inlining, specialisation, folding, flattening; off: plain functions */
    bool lines;
    bool verbose;
} EmitOptions;

typedef struct Rewriter {
    const Spec *spec;
    const SpecFile *file;
    Buf *out;
    bool lines;
    uint32_t resume;   /* source bytes before this were consumed by a whole-line removal */
    int dispatch_count;
    /* transformations */
    bool transform;
    bool in_interp;    /* registers are locals: write back around calls that need them */
    bool dirty;        /* emitted lines no longer follow the spec's: resync at the next statement */
    int *counter;      /* unique suffixes inside one emitted function */
    int depth;         /* inlining depth */
    const Function *istack[16]; /* functions being inlined, innermost last */
    const Function *top;   /* the function being emitted */
    Subst *subst;
    size_t nsubst, csubst;
    ReturnKind ret;
    const char *ret_var;   /* RET_INLINE: the result temp, NULL for void */
    char ret_label[48];    /* RET_INLINE / RET_ROUTINE: where a return goes */
    TSNode last_stmt;      /* RET_INLINE: a return here needs no jump */
    bool label_used;
    TSNode *hoisted;       /* calls already inlined before their statement */
    char **hoisted_name;
    size_t nhoisted, choisted;
    NameMap *calls;        /* functions the emitted code calls ("name" or "name__K") */
    bool copy;             /* emitting the specialised copy name__copy_k (specialise.c) */
    long long copy_k;
    Buf *log;              /* -v: what was inlined where */
    bool fold_consts;      /* inside an inlined expression: ?: on any constant keeps one branch */
} Rewriter;
void rewrite_function(Rewriter *rw, const Function *fn);
void emit_dispatch(Rewriter *rw, TSNode stmt, TSNode expr, const char *indent);
void rewrite_node(Rewriter *rw, TSNode n);
void rewrite_children(Rewriter *rw, TSNode n);
void resync_line(Rewriter *rw, TSPoint at);
TSNode call_arg(TSNode call, uint32_t k);
uint32_t call_nargs(TSNode call);
void copy_source(Rewriter *rw, uint32_t from, uint32_t to);
bool emit_interp(const Spec *spec, const char *outdir, const EmitOptions *opt, Buf *log);

Subst *subst_find(const Rewriter *rw, const char *s, size_t n);
void subst_push(Rewriter *rw, const char *name, char *text, bool is_const, long long value);
void subst_pop_to(Rewriter *rw, size_t n);

/* fold.c: the value of a constant expression; *touched when it depends on a specialised operand or
 * a VARIANT choice (only those are folded, other constants keep their names) */
bool fold_eval(const Rewriter *rw, TSNode n, long long *v, bool *touched);
bool fold_try(Rewriter *rw, TSNode n); /* emits the value and answers true when n folds */
bool fold_if(Rewriter *rw, TSNode n);  /* an if on a folded condition: emits the taken branch */
bool fold_always_returns(const Rewriter *rw, TSNode stmt);

/* inline.c */
bool inline_statement(Rewriter *rw, TSNode stmt); /* hoists inlinable calls; true when it emitted stmt */
bool inline_expression(Rewriter *rw, TSNode call); /* an expression function in place */
bool wrap_register_call(Rewriter *rw, TSNode call);  /* in interpret(): write back around a call */
void record_call(Rewriter *rw, const Function *fn, bool has_const, long long k);
const Function *callee_of(const Rewriter *rw, TSNode call);
/* always, yet a call: an error at the call's file:line:col naming why */
void refuse_always(Rewriter *rw, TSNode call, const Function *f);

/* specialise.c: copies of SPECIALISE'd functions that stay calls */
void copy_name(char *out, size_t size, const char *name, long long k);
bool parse_copy_name(const Spec *spec, const char *s, int *fi, long long *k);
bool call_specialised(const Rewriter *rw, TSNode call, const Function *f, long long *k);
void emit_specialised_call(Rewriter *rw, TSNode call, const Function *f, long long k);
void put_copy_declarator(Buf *out, const Spec *spec, const Function *fn, long long k);
bool fold_switch(Rewriter *rw, TSNode n);
bool switch_always_returns(const Rewriter *rw, TSNode n);

/* flatten.c */
void emit_flattened_dispatch(Rewriter *rw, TSNode stmt, TSNode call);
void emit_register_decls(Rewriter *rw);
void emit_writeback(Rewriter *rw, const Function *f, bool as_expr); /* f NULL: every register */
void emit_reload(Rewriter *rw, const Function *f, bool as_expr);

#endif
