/* talc-boot: compiles chunk-format Smalltalk sources to Sista V1 and writes a Spur image.
 *
 *   lexer.c     tokens of Smalltalk-80 source, with file:line:col positions
 *   parser.c    methods and expressions as an AST; literal values
 *   chunks.c    the chunk format: splitting, class definitions, method chunks, doits
 *   classes.c   the class model: layouts, formats, variables, metaclasses
 *   compiler.c  AST to Sista V1 bytecodes, CompiledMethod and CompiledBlock objects
 *   heap.c      the object heap being built: objects, symbols, literals
 *   objects.c   the image's fixed objects: classes as objects, globals, special objects, process
 *   writer.c    the Spur image file (32 or 64-bit)
 *   main.c      the driver
 */
#ifndef TALC_BOOT_H
#define TALC_BOOT_H

#include <stddef.h>
#include <stdint.h>

/* ---- diagnostics and memory (main.c) ---- */
typedef struct {
    const char *file;
    int line, col;
} Pos;

void errorAt(Pos p, const char *fmt, ...);
void fatal(const char *fmt, ...);
int errorCount(void);
void *xmalloc(size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* a growable array of pointers */
typedef struct {
    void **items;
    int count, cap;
} Vec;
void vecPush(Vec *v, void *item);

/* ---- lexer.c ---- */
typedef enum {
    T_EOF, T_IDENT, T_KEYWORD, T_BINARY, T_NUMBER, T_CHAR, T_STRING, T_SYMBOL,
    T_LITARRAY,   /* #( */
    T_BYTEARRAY,  /* #[ */
    T_LPAREN, T_RPAREN, T_LBRACKET, T_RBRACKET, T_LBRACE, T_RBRACE,
    T_PERIOD, T_SEMI, T_CARET, T_ASSIGN, T_COLON, T_BAR, T_ERROR
} TokKind;

/* a number: an integer as a sign and a little-endian magnitude, or a float */
typedef struct {
    int isFloat;
    double f;
    int negative;
    int nbytes;
    uint8_t *mag;
} Number;

typedef struct {
    TokKind kind;
    Pos pos;
    const char *start;   /* in the source */
    int len;
    char *text;          /* identifier, keyword, binary, string, symbol or character contents */
    int textLen;
    Number num;
    int spaceBefore;     /* whitespace or a comment precedes it */
} Token;

typedef struct {
    const char *src, *p, *end;
    Pos pos;             /* of p */
    Token tok, peek;
    int hasPeek;
} Lexer;

void lexInit(Lexer *lx, const char *src, size_t len, Pos start);
Token *lexNext(Lexer *lx);   /* advance; answers the current token */
Token *lexPeek(Lexer *lx);   /* the token after the current one */
int numberFitsInt64(const Number *n, int64_t *out);

/* ---- parser.c ---- */
typedef enum { L_NIL, L_TRUE, L_FALSE, L_INT, L_FLOAT, L_CHAR, L_STRING, L_SYMBOL, L_ARRAY, L_BYTES } LitKind;

typedef struct Lit {
    LitKind kind;
    Number num;            /* L_INT, L_FLOAT */
    int64_t ch;            /* L_CHAR */
    char *str;             /* L_STRING, L_SYMBOL, L_BYTES (bytes) */
    int strLen;
    struct Lit **elems;    /* L_ARRAY */
    int nelems;
} Lit;

typedef enum { N_VAR, N_LIT, N_ASSIGN, N_SEND, N_CASCADE, N_BLOCK, N_RETURN, N_BRACE } NodeKind;

struct Var;
struct Scope;

typedef struct Node {
    NodeKind kind;
    Pos pos;
    char *name;                /* N_VAR; N_SEND selector */
    Lit *lit;                  /* N_LIT */
    struct Node *rcvr;         /* N_SEND (NULL inside a cascade), N_CASCADE, N_ASSIGN target (N_VAR) */
    struct Node *value;        /* N_ASSIGN, N_RETURN */
    struct Node **args;        /* N_SEND arguments; N_CASCADE messages; N_BRACE elements; N_BLOCK statements */
    int nargs;
    /* N_BLOCK */
    char **params, **temps;
    Pos *paramPos, *tempPos;
    int nparams, ntemps;
    /* analysis */
    struct Var *var;           /* N_VAR resolved */
    struct Scope *scope;       /* N_BLOCK: its scope */
    int inlined;               /* N_BLOCK inlined into its enclosing code; N_SEND: an inlined control send */
} Node;

typedef struct {
    char *selector;
    Pos pos;
    char **params;
    Pos *paramPos;
    int nparams;
    char **temps;
    Pos *tempPos;
    int ntemps;
    int primitive;             /* 0 none */
    char *primModule, *primName;
    char *errorTemp;           /* <primitive: ... error: ec> */
    Pos errorTempPos;
    Node *body;                /* an N_BLOCK holding the statements */
} MethodNode;

MethodNode *parseMethod(const char *src, size_t len, Pos start);   /* NULL after reporting errors */
Node *parseExpression(const char *src, size_t len, Pos start);    /* a doit: statements, as an N_BLOCK */
int selectorNumArgs(const char *sel);

/* ---- heap.c ---- */
typedef int64_t Val;       /* an object id << 2, a SmallInteger << 2 | 1, a Character << 2 | 2 */
#define VOBJ(id) ((Val)(id) << 2)
#define VINT(v) ((Val)(((uint64_t)(int64_t)(v)) << 2) | 1)
#define VCHAR(c) (((Val)(c) << 2) | 2)
#define VSFLOAT(bits) ((Val)((uint64_t)(bits) << 2) | 3)   /* 64-bit only: the SmallFloat64 payload (61 bits) */
#define ISOBJ(v) (((v) & 3) == 0)
#define OBJID(v) ((int)((v) >> 2))
#define INTVAL(v) ((v) >> 2)

enum { F_ZERO = 0, F_FIXED = 1, F_VAR = 2, F_VARIV = 3, F_WEAK = 4, F_EPHEMERON = 5, F_IMMEDIATE = 7,
       F_64 = 9, F_32 = 10, F_16 = 12, F_8 = 16, F_METHOD = 24 };

typedef struct {
    int cls;              /* id of its class object; -1: classIndex holds a pun */
    int classIndex;       /* a memory-manager pun when cls < 0 */
    int fmt;              /* base format: F_* */
    int nslots;           /* pointer slots; for methods the header and literals */
    Val *slots;
    uint8_t *bytes;       /* non-pointer part: raw little-endian elements */
    int nbytes;
    uint32_t hash;
} Obj;

extern Obj *heap;
extern int heapCount;
extern int wordBytes;             /* 4 or 8 */
extern Val nilV, falseV, trueV;

int newObj(int cls, int fmt, int nslots, int nbytes);
Obj *obj(int id);
Val objSlot(int id, int i);
void objSlotPut(int id, int i, Val v);
int isSmallIntValue(int64_t v);
int64_t maxSmallInt(void);
Val symbolNamed(const char *name);         /* interned */
Val symbolNamedLen(const char *name, int len);
Val newString(const char *s, int len);
Val newArray(int n);
uint32_t nextHash(void);
uint32_t lastHashValue(void);
extern int symbolCount;
extern int symbolClassId, stringClassId, arrayClassId;
Val symbolAt(int i);

/* ---- classes.c ---- */
typedef struct ClassDef {
    char *name;
    Pos pos;
    struct ClassDef *super;      /* NULL for a root */
    int hasSuper;                /* a root class is defined by "nil subclass: ..." */
    int spec;                    /* F_* instance format */
    char **ivars;                /* this class's own */
    int nivars;
    char **classVars;
    int nclassVars;
    Val *classVarBindings;       /* Associations */
    char **classIvars;           /* class-side instance variables (own) */
    int nclassIvars;
    char *category;
    Vec methods, classMethods;   /* of MethodSource */
    int id, metaId;              /* heap ids of the class and its metaclass */
    int index, metaIndex;        /* class table indices */
    Val binding;                 /* the global Association */
    Val metaBinding;             /* nil -> the metaclass, for class-side methods */
    int order;
} ClassDef;

typedef struct {
    char *src;
    size_t len;
    Pos pos;
    char *category;
} MethodSource;

extern Vec classes;    /* of ClassDef, in definition order */
ClassDef *findClass(const char *name);
int classInstSize(ClassDef *c);                  /* all inst vars, inherited ones included */
int classIvarIndex(ClassDef *c, const char *n); /* -1 if none */
int metaInstSize(ClassDef *c);
int metaIvarIndex(ClassDef *c, const char *n);
ClassDef *defineClass(Pos pos, const char *superName, int superIsNil, const char *name, const char *kind,
                      const char *ivars, const char *classVars, const char *category);
void setClassInstanceVariables(Pos pos, ClassDef *c, const char *ivars);
int classFormatWord(ClassDef *c);

/* ---- chunks.c ---- */
typedef struct {
    char *src;
    size_t len;
    Pos pos;
} DoIt;
extern Vec doits;
void readChunkFile(const char *path);

/* ---- compiler.c ---- */
typedef struct {
    const char *name;
    Val value;
} GlobalVar;
Val globalBinding(const char *name, int create);   /* the Association of a global, 0 if none */
int compileMethod(ClassDef *c, int meta, MethodSource *ms, Val *selectorOut);   /* a method id, or -1 */
int compileDoIt(DoIt *d);                                                        /* a FullBlockClosure id, or -1 */
Val literalValue(Lit *l);
const char *specialSelectorName(int i);
int specialSelectorNumArgs(int i);

/* ---- objects.c ---- */
extern Val smalltalkV, schedulerV, processorBindingV, specialsV;
int buildImageObjects(void);   /* 0 on success */
ClassDef *requireClass(const char *name);

/* ---- writer.c ---- */
int writeImage(const char *path, Val specialObjects);

#endif
