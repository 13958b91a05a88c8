/* The compiler: method ASTs to Sista V1 bytecodes, as CompiledMethod and CompiledBlock objects.
 *
 * Two passes over a method. The analysis resolves every name, decides which blocks are inlined
 * (ifTrue: and friends, loops, ifNil:, timesRepeat:, with literal block arguments) and finds the
 * temporaries that blocks capture: a captured temporary that is ever assigned lives in its
 * scope's temp vector (an Array), the others are copied into the closures that need them.
 * Code generation then emits each real scope (the method, each non-inlined block) into its own
 * literal frame; a block becomes a CompiledBlock pushed by 0xF9 as a FullBlockClosure. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boot.h"

enum { V_TEMP, V_ARG, V_IVAR, V_GLOBAL, V_SELF, V_SUPER, V_NIL, V_TRUE, V_FALSE, V_THISCONTEXT, V_CASCADE };

typedef struct Var {
    char *name;
    int kind;
    int index;                /* inst var index; frame index of a temp in its home */
    struct Scope *home;       /* the real scope that declares it */
    int captured, written, remote, remoteIndex, hidden;
    int longForm;             /* inst var of a class whose instances may be Contexts */
    Val binding;
} Var;

typedef struct Scope {
    struct Scope *outer;      /* lexically enclosing scope (inlined or not) */
    struct Scope *real;       /* the real scope this one's variables live in */
    Var **vars;
    int nvars;
    /* real scopes */
    int isMethod, isDoIt, numArgs;
    Var **locals;             /* every temp (non-arg) declared in this real scope or its inlined scopes */
    int nlocals;
    Var **needs;              /* outer variables used in this block or blocks inside it */
    int nneeds;
    Var **copied;             /* what the closure copies: variables, or outer temp vectors */
    int ncopied;
    Var *tempVector, *errVar;
    int nremote;
    Var **frame;              /* frame order: args, copied, locals, temp vector */
    int nframe;
} Scope;

/* ---- the compilation unit ---- */
static ClassDef *curClass;
static int curMeta;
static int unitErrors;

static Var *newVar(const char *name, int kind)
{
    Var *v = xmalloc(sizeof *v);
    memset(v, 0, sizeof *v);
    v->name = (char *)name;
    v->kind = kind;
    return v;
}

static void pushVar(Var ***arr, int *n, Var *v)
{
    *arr = xrealloc(*arr, sizeof(Var *) * (size_t)(*n + 1));
    (*arr)[(*n)++] = v;
}

static int hasVar(Var **arr, int n, Var *v)
{
    int i;
    for (i = 0; i < n; i++) if (arr[i] == v) return 1;
    return 0;
}

static Scope *newScope(Scope *outer, int real)
{
    Scope *s = xmalloc(sizeof *s);
    memset(s, 0, sizeof *s);
    s->outer = outer;
    s->real = real ? s : outer->real;
    return s;
}

static void cError(Pos p, const char *fmt, const char *arg)
{
    errorAt(p, fmt, arg);
    unitErrors++;
}

static Var *declare(Scope *s, const char *name, int kind, Pos p)
{
    Var *v;
    int i;
    for (i = 0; i < s->nvars; i++)
        if (name[0] != '(' && !strcmp(s->vars[i]->name, name)) cError(p, "'%s' is declared twice", name);
    v = newVar(name, kind);
    v->home = s->real;
    pushVar(&s->vars, &s->nvars, v);
    if (kind == V_TEMP) pushVar(&s->real->locals, &s->real->nlocals, v);
    return v;
}

/* ---- name resolution ---- */
static Var *pseudo[V_CASCADE + 1];

static Var *pseudoVar(int kind, const char *name)
{
    if (!pseudo[kind]) pseudo[kind] = newVar(name, kind);
    return pseudo[kind];
}

/* Can an instance of c be a Context (c is Context, one of its superclasses or subclasses)?
 * Open-Smalltalk-VM's stack interpreter keeps a context married to a frame with frame data in
 * sender and pc and translates them only for the long-form inst var bytecodes, so these
 * classes' methods use those forms, as Squeak's compiler does for InstructionStream and its
 * subclasses (MaybeContextInstanceVariableNode). */
static int mayBeContext(ClassDef *c)
{
    ClassDef *ctx = findClass("Context"), *k;
    if (!ctx || !c) return 0;
    for (k = ctx; k; k = k->super) if (k == c) return 1;
    for (k = c; k; k = k->super) if (k == ctx) return 1;
    return 0;
}

static Var *lookupInstOrGlobal(const char *name)
{
    int i;
    ClassDef *c;
    Val b;
    i = curMeta ? metaIvarIndex(curClass, name) : (curClass ? classIvarIndex(curClass, name) : -1);
    if (i >= 0) {
        Var *v = newVar(name, V_IVAR);
        v->index = i;
        v->longForm = !curMeta && mayBeContext(curClass);
        return v;
    }
    for (c = curClass; c; c = c->super) {
        for (i = 0; i < c->nclassVars; i++) {
            if (!strcmp(c->classVars[i], name)) {
                Var *v = newVar(name, V_GLOBAL);
                v->binding = c->classVarBindings[i];
                return v;
            }
        }
    }
    b = globalBinding(name, 0);
    if (b) {
        Var *v = newVar(name, V_GLOBAL);
        v->binding = b;
        return v;
    }
    return NULL;
}

static Var *resolve(Scope *s, Node *n)
{
    Scope *sc;
    int i;
    const char *name = n->name;
    if (!name) return pseudoVar(V_CASCADE, "(cascade)");
    if (!strcmp(name, "self")) return pseudoVar(V_SELF, "self");
    if (!strcmp(name, "super")) return pseudoVar(V_SUPER, "super");
    if (!strcmp(name, "nil")) return pseudoVar(V_NIL, "nil");
    if (!strcmp(name, "true")) return pseudoVar(V_TRUE, "true");
    if (!strcmp(name, "false")) return pseudoVar(V_FALSE, "false");
    if (!strcmp(name, "thisContext")) return pseudoVar(V_THISCONTEXT, "thisContext");
    for (sc = s; sc; sc = sc->outer) {
        for (i = sc->nvars - 1; i >= 0; i--) {
            Var *v = sc->vars[i];
            if (strcmp(v->name, name) != 0) continue;
            if (v->home != s->real) {
                /* captured: every real scope from here out to its home needs it */
                Scope *r;
                v->captured = 1;
                for (r = s->real; r && r != v->home; r = r->outer ? r->outer->real : NULL)
                    if (!hasVar(r->needs, r->nneeds, v)) pushVar(&r->needs, &r->nneeds, v);
            }
            return v;
        }
    }
    {
        Var *v = lookupInstOrGlobal(name);
        if (v) return v;
    }
    cError(n->pos, "undeclared variable '%s'", name);
    return pseudoVar(V_NIL, "nil");
}

/* ---- inlining decisions ---- */
static int isBlockWith(Node *n, int nparams)
{
    return n && n->kind == N_BLOCK && n->nparams == nparams;
}

static int isLiteralNumber(Node *n)
{
    return n->kind == N_LIT && n->lit->kind == L_INT;
}

/* marks the send and its literal blocks inlined when the selector is a control one */
static int decideInline(Node *n)
{
    const char *s = n->name;
    Node **a = n->args;
    int ok = 0, i;
    if (n->rcvr && n->rcvr->kind == N_VAR && n->rcvr->name && !strcmp(n->rcvr->name, "super")) return 0;
    if (!strcmp(s, "ifTrue:") || !strcmp(s, "ifFalse:") || !strcmp(s, "and:") || !strcmp(s, "or:"))
        ok = isBlockWith(a[0], 0);
    else if (!strcmp(s, "ifTrue:ifFalse:") || !strcmp(s, "ifFalse:ifTrue:"))
        ok = isBlockWith(a[0], 0) && isBlockWith(a[1], 0);
    else if (!strcmp(s, "whileTrue:") || !strcmp(s, "whileFalse:"))
        ok = isBlockWith(n->rcvr, 0) && isBlockWith(a[0], 0);
    else if (!strcmp(s, "whileTrue") || !strcmp(s, "whileFalse") || !strcmp(s, "repeat"))
        ok = isBlockWith(n->rcvr, 0);
    else if (!strcmp(s, "to:do:"))
        ok = isBlockWith(a[1], 1);
    else if (!strcmp(s, "to:by:do:")) {
        int64_t step;
        ok = isBlockWith(a[2], 1) && isLiteralNumber(a[1]) && numberFitsInt64(&a[1]->lit->num, &step) && step != 0;
    } else if (!strcmp(s, "ifNil:"))
        ok = isBlockWith(a[0], 0);
    else if (!strcmp(s, "ifNotNil:"))
        ok = isBlockWith(a[0], 0) || isBlockWith(a[0], 1);
    else if (!strcmp(s, "ifNil:ifNotNil:"))
        ok = isBlockWith(a[0], 0) && (isBlockWith(a[1], 0) || isBlockWith(a[1], 1));
    else if (!strcmp(s, "ifNotNil:ifNil:"))
        ok = isBlockWith(a[1], 0) && (isBlockWith(a[0], 0) || isBlockWith(a[0], 1));
    else if (!strcmp(s, "timesRepeat:"))
        ok = isBlockWith(a[0], 0);
    if (!ok) return 0;
    n->inlined = 1;
    if (!strncmp(s, "while", 5) || !strcmp(s, "repeat")) n->rcvr->inlined = 1;
    for (i = 0; i < n->nargs; i++)
        if (a[i]->kind == N_BLOCK) a[i]->inlined = 1;
    return 1;
}

/* ---- analysis ---- */
static void analyse(Scope *s, Node *n);

static void analyseBlock(Scope *s, Node *b)
{
    Scope *bs = newScope(s, !b->inlined);
    int i;
    b->scope = bs;
    if (!b->inlined) {
        bs->numArgs = b->nparams;
        for (i = 0; i < b->nparams; i++) declare(bs, b->params[i], V_ARG, b->paramPos[i]);
    } else {
        /* an inlined block's arguments (to:do:, ifNotNil:) are temporaries of the real scope */
        for (i = 0; i < b->nparams; i++) declare(bs, b->params[i], V_TEMP, b->paramPos[i])->kind = V_TEMP;
    }
    for (i = 0; i < b->ntemps; i++) declare(bs, b->temps[i], V_TEMP, b->tempPos[i]);
    for (i = 0; i < b->nargs; i++) analyse(bs, b->args[i]);
}

static void analyse(Scope *s, Node *n)
{
    int i;
    switch (n->kind) {
    case N_VAR:
        n->var = resolve(s, n);
        break;
    case N_LIT:
        break;
    case N_ASSIGN: {
        Var *v = resolve(s, n->rcvr);
        n->rcvr->var = v;
        if (v->kind == V_ARG) cError(n->rcvr->pos, "cannot assign to argument '%s'", v->name);
        else if (v->kind != V_TEMP && v->kind != V_IVAR && v->kind != V_GLOBAL)
            cError(n->rcvr->pos, "cannot assign to '%s'", v->name);
        else if (v->kind == V_TEMP && v->hidden)
            cError(n->rcvr->pos, "cannot assign to loop variable '%s'", v->name);
        v->written = 1;
        analyse(s, n->value);
        break;
    }
    case N_RETURN:
        analyse(s, n->value);
        break;
    case N_SEND:
        decideInline(n);
        if (n->rcvr) analyse(s, n->rcvr);
        for (i = 0; i < n->nargs; i++) analyse(s, n->args[i]);
        if (n->inlined && (!strcmp(n->name, "to:do:") || !strcmp(n->name, "to:by:do:"))) {
            /* the loop variable is written by the loop itself; the limit needs a hidden temp */
            Node *blk = n->args[n->nargs - 1];
            Var *limit = declare(s, "(limit)", V_TEMP, n->pos);
            blk->scope->vars[0]->written = 0;
            blk->scope->vars[0]->hidden = 1;
            limit->hidden = 2;
            n->var = limit;
        } else if (n->inlined && !strcmp(n->name, "timesRepeat:")) {
            Var *counter = declare(s, "(count)", V_TEMP, n->pos), *limit = declare(s, "(limit)", V_TEMP, n->pos);
            counter->hidden = limit->hidden = 2;
            n->var = counter;
            n->args[0]->var = limit;
        }
        break;
    case N_CASCADE:
        analyse(s, n->rcvr);
        for (i = 0; i < n->nargs; i++) analyse(s, n->args[i]);
        break;
    case N_BLOCK:
        analyseBlock(s, n);
        break;
    case N_BRACE:
        for (i = 0; i < n->nargs; i++) analyse(s, n->args[i]);
        break;
    }
}

/* the loop variable of an inlined to:do: is assigned by the loop but never captured written */
static void layoutScope(Scope *s)
{
    int i;
    Var *v;
    s->nframe = 0;
    for (i = 0; i < s->nvars; i++)
        if (s->vars[i]->kind == V_ARG) { s->vars[i]->index = s->nframe; pushVar(&s->frame, &s->nframe, s->vars[i]); }
    for (i = 0; i < s->nneeds; i++) {
        v = s->needs[i];
        if (v->captured && v->written && v->kind == V_TEMP) v->remote = 1;
    }
    for (i = 0; i < s->nneeds; i++) {
        v = s->needs[i];
        if (v->remote) v = v->home->tempVector;
        if (!v) continue;
        if (!hasVar(s->copied, s->ncopied, v)) pushVar(&s->copied, &s->ncopied, v);
    }
    for (i = 0; i < s->ncopied; i++) pushVar(&s->frame, &s->nframe, s->copied[i]);
    for (i = 0; i < s->nlocals; i++) {
        v = s->locals[i];
        if (v == s->errVar) continue;
        if (v->captured && v->written) {
            v->remote = 1;
            v->remoteIndex = s->nremote++;
        } else {
            v->index = s->nframe;
            pushVar(&s->frame, &s->nframe, v);
        }
    }
    if (s->nremote) {
        s->tempVector = newVar("(temp vector)", V_TEMP);
        s->tempVector->home = s;
        s->tempVector->index = s->nframe;
        pushVar(&s->frame, &s->nframe, s->tempVector);
    }
    if (s->errVar) {
        /* a primitive's error code is stored in the frame's last slot */
        s->errVar->index = s->nframe;
        pushVar(&s->frame, &s->nframe, s->errVar);
    }
}

/* ---- code buffers and the literal frame ---- */
typedef struct {
    uint8_t *b;
    int n, cap;
} Buf;

typedef struct {
    Scope *scope;
    Val *lits;
    int nlits;
    int depth, maxDepth;
    int selfId;             /* heap id of the method or block being built */
} Gen;

static void emit(Buf *b, int byte)
{
    if (b->n == b->cap) { b->cap = b->cap ? b->cap * 2 : 64; b->b = xrealloc(b->b, (size_t)b->cap); }
    b->b[b->n++] = (uint8_t)byte;
}

static void append(Buf *dst, Buf *src)
{
    int i;
    for (i = 0; i < src->n; i++) emit(dst, src->b[i]);
    free(src->b);
    src->b = NULL;
    src->n = src->cap = 0;
}

static void stack(Gen *g, int delta)
{
    g->depth += delta;
    if (g->depth > g->maxDepth) g->maxDepth = g->depth;
}

static int addLiteral(Gen *g, Val v, int dedupe)
{
    int i;
    if (dedupe)
        for (i = 0; i < g->nlits; i++) if (g->lits[i] == v) return i;
    g->lits = xrealloc(g->lits, sizeof(Val) * (size_t)(g->nlits + 1));
    g->lits[g->nlits] = v;
    return g->nlits++;
}

/* extension prefixes: extA unsigned, extB signed (its first byte carries the sign) */
static void emitExtA(Buf *b, int64_t v)
{
    if (v == 0) return;
    if (v > 255) emitExtA(b, v >> 8);
    emit(b, 0xE0);
    emit(b, (int)(v & 0xFF));
}

static void emitExtB(Buf *b, int64_t v)
{
    /* the bytes of v, big-endian, as few as keep the sign of the first */
    uint8_t bytes[8];
    int n = 0, i;
    int64_t x = v;
    do {
        bytes[n++] = (uint8_t)(x & 0xFF);
        x >>= 8;
    } while (!((x == 0 && !(bytes[n - 1] & 0x80)) || (x == -1 && (bytes[n - 1] & 0x80))));
    for (i = n - 1; i >= 0; i--) { emit(b, 0xE1); emit(b, bytes[i]); }
}

static void emitWithIndexA(Buf *b, int op, int index)
{
    emitExtA(b, index >> 8);
    emit(b, op);
    emit(b, index & 0xFF);
}

static void pushLiteral(Gen *g, Buf *b, Val v)
{
    int i = addLiteral(g, v, 1);
    if (i < 32) emit(b, 0x20 + i);
    else emitWithIndexA(b, 0xE4, i);
    stack(g, 1);
}

static void pushInteger(Gen *g, Buf *b, int64_t v)
{
    if (v == 0) { emit(b, 0x50); stack(g, 1); return; }
    if (v == 1) { emit(b, 0x51); stack(g, 1); return; }
    if (v >= -32768 && v <= 32767) {
        int64_t high = v >> 8;   /* arithmetic: floor */
        if (high != 0) emitExtB(b, high);
        emit(b, 0xE8);
        emit(b, (int)(v & 0xFF));
        stack(g, 1);
        return;
    }
    pushLiteral(g, b, VINT(v));
}

static void pushTemp(Gen *g, Buf *b, int i)
{
    if (i < 8) emit(b, 0x40 + i);
    else if (i < 12) emit(b, 0x48 + i - 8);
    else { emit(b, 0xE5); emit(b, i); }
    stack(g, 1);
}

static void popIntoTemp(Gen *g, Buf *b, int i)
{
    if (i < 8) emit(b, 0xD0 + i);
    else { emit(b, 0xF2); emit(b, i); }
    stack(g, -1);
}

static void storeTemp(Buf *b, int i) { emit(b, 0xF5); emit(b, i); }
static void popTop(Gen *g, Buf *b) { emit(b, 0xD8); stack(g, -1); }
static void dupTop(Gen *g, Buf *b) { emit(b, 0x53); stack(g, 1); }
static void pushNil(Gen *g, Buf *b) { emit(b, 0x4F); stack(g, 1); }

static const char *specialSelectors[32] = {
    "+", "-", "<", ">", "<=", ">=", "=", "~=", "*", "/", "\\\\", "@", "bitShift:", "//", "bitAnd:", "bitOr:",
    "at:", "at:put:", "size", "next", "nextPut:", "atEnd", "==", "class", "~~", "value", "value:", "do:",
    "new", "new:", "x", "y"
};
static const int specialSelectorArgs[32] = {1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1, 1,2,0,0,1,0,1,0,1,0,1,1,0,1,0,0};

const char *specialSelectorName(int i) { return specialSelectors[i]; }
int specialSelectorNumArgs(int i) { return specialSelectorArgs[i]; }

static void send(Gen *g, Buf *b, const char *sel, int nargs, int isSuper)
{
    int i, li;
    if (!isSuper) {
        for (i = 0; i < 32; i++) {
            if (!strcmp(sel, specialSelectors[i]) && specialSelectorArgs[i] == nargs) {
                emit(b, 0x60 + i);
                stack(g, -nargs);
                return;
            }
        }
    }
    li = addLiteral(g, symbolNamed(sel), 1);
    if (!isSuper && li < 16 && nargs <= 2) {
        emit(b, 0x80 + nargs * 16 + li);
    } else {
        emitExtA(b, li >> 5);
        if (nargs >> 3) emitExtB(b, nargs >> 3);
        emit(b, isSuper ? 0xEB : 0xEA);
        emit(b, ((li & 31) << 3) | (nargs & 7));
    }
    stack(g, -nargs);
}

/* jumps: forward ones over code already generated into its own buffer; backward ones */
static int forwardJumpSize(int offset)
{
    if (offset >= 1 && offset <= 8) return 1;
    if (offset <= 255) return 2;
    if (offset <= 32767) return 4;
    return 6;
}

static void jumpForward(Buf *b, int kind, int offset)   /* kind 0 always, 1 if true, 2 if false */
{
    static const int shortOps[3] = {0xB0, 0xB8, 0xC0}, longOps[3] = {0xED, 0xEE, 0xEF};
    if (offset == 0 && kind == 0) return;
    if (offset >= 1 && offset <= 8) { emit(b, shortOps[kind] + offset - 1); return; }
    if (offset >> 8) emitExtB(b, offset >> 8);
    emit(b, longOps[kind]);
    emit(b, offset & 0xFF);
}

static void jumpBackTo(Buf *b, int target)   /* target: a position in b */
{
    /* E1 hh ED ll: four bytes, offset from after them */
    int offset = target - (b->n + 4);
    if (offset < -32768) {
        offset = target - (b->n + 6);
        emitExtB(b, offset >> 8);
    } else {
        emit(b, 0xE1);
        emit(b, (offset >> 8) & 0xFF);
    }
    emit(b, 0xED);
    emit(b, offset & 0xFF);
}

static void genNode(Gen *g, Buf *b, Node *n, int valueNeeded);
static int genBlockBody(Gen *g, Buf *b, Node *blk);

/* ---- variables ---- */
static int copiedIndex(Scope *s, Var *v)
{
    int i;
    for (i = 0; i < s->nframe; i++) if (s->frame[i] == v) return i;
    fatal("internal error: variable %s not in frame", v->name);
    return 0;
}

static void pushVarValue(Gen *g, Buf *b, Var *v)
{
    Scope *s = g->scope;
    switch (v->kind) {
    case V_SELF: case V_SUPER: emit(b, 0x4C); stack(g, 1); return;
    case V_NIL: pushNil(g, b); return;
    case V_TRUE: emit(b, 0x4D); stack(g, 1); return;
    case V_FALSE: emit(b, 0x4E); stack(g, 1); return;
    case V_THISCONTEXT: emit(b, 0x52); stack(g, 1); return;
    case V_CASCADE: return;
    case V_IVAR:
        if (v->index < 16 && !v->longForm) emit(b, v->index);
        else emitWithIndexA(b, 0xE2, v->index);
        stack(g, 1);
        return;
    case V_GLOBAL: {
        int i = addLiteral(g, v->binding, 1);
        if (i < 16) emit(b, 0x10 + i);
        else emitWithIndexA(b, 0xE3, i);
        stack(g, 1);
        return;
    }
    default:
        if (v->remote) {
            int tv = copiedIndex(s, v->home->tempVector);
            emit(b, 0xFB);
            emit(b, v->remoteIndex);
            emit(b, tv);
            stack(g, 1);
        } else {
            pushTemp(g, b, copiedIndex(s, v));
        }
    }
}

/* store the top of stack into v; pops it unless keep */
static void storeVar(Gen *g, Buf *b, Var *v, int keep)
{
    Scope *s = g->scope;
    switch (v->kind) {
    case V_IVAR:
        if (keep) emitWithIndexA(b, 0xF3, v->index);
        else if (v->index < 8 && !v->longForm) { emit(b, 0xC8 + v->index); stack(g, -1); }
        else { emitWithIndexA(b, 0xF0, v->index); stack(g, -1); }
        return;
    case V_GLOBAL: {
        int i = addLiteral(g, v->binding, 1);
        emitWithIndexA(b, keep ? 0xF4 : 0xF1, i);
        if (!keep) stack(g, -1);
        return;
    }
    case V_TEMP: case V_ARG:
        if (v->remote) {
            int tv = copiedIndex(s, v->home->tempVector);
            emit(b, keep ? 0xFC : 0xFD);
            emit(b, v->remoteIndex);
            emit(b, tv);
            if (!keep) stack(g, -1);
        } else if (keep) {
            storeTemp(b, copiedIndex(s, v));
        } else {
            popIntoTemp(g, b, copiedIndex(s, v));
        }
        return;
    default:
        fatal("internal error: store into %s", v->name);
    }
}

/* ---- blocks ---- */
static int compileScope(Node *body, Scope *s, int outerId, int isMethod, MethodNode *m, Val selector);

static void genClosure(Gen *g, Buf *b, Node *blk)
{
    Scope *s = blk->scope;
    int id, i, li;
    layoutScope(s);
    id = compileScope(blk, s, g->selfId, 0, NULL, 0);
    for (i = 0; i < s->ncopied; i++) pushVarValue(g, b, s->copied[i]);
    li = addLiteral(g, VOBJ(id), 0);
    emitExtA(b, li >> 8);
    emit(b, 0xF9);
    emit(b, li & 0xFF);
    emit(b, s->ncopied & 63);
    stack(g, 1 - s->ncopied);
}

/* the statements of an inlined block, leaving its value on the stack */
static void genInlined(Gen *g, Buf *b, Node *blk)
{
    int i;
    Scope *s = blk->scope;
    /* temporaries declared in an inlined block start as nil each time it runs */
    for (i = blk->nparams; i < s->nvars; i++) {
        if (s->vars[i]->hidden) continue;
        pushNil(g, b);
        storeVar(g, b, s->vars[i], 0);
    }
    if (blk->nargs == 0) { pushNil(g, b); return; }
    for (i = 0; i < blk->nargs; i++) {
        int last = i == blk->nargs - 1;
        genNode(g, b, blk->args[i], last);
        if (blk->args[i]->kind == N_RETURN) {
            if (!last) continue;
            /* the value of a block ending in a return is never used: keep the stack balanced */
            stack(g, 1);
            return;
        }
    }
}

/* ---- control structures ---- */
static void genIf(Gen *g, Buf *b, Node *n, int jumpKind, Node *thenBlk, Node *elseBlk, Var *nilCheck)
{
    Buf thenB = {0}, elseB = {0};
    int depth = g->depth;
    genInlined(g, &thenB, thenBlk);
    g->depth = depth;
    if (elseBlk) genInlined(g, &elseB, elseBlk);
    else if (nilCheck) { /* the value tested is the result */ stack(g, 1); }
    else if (!strcmp(n->name, "and:")) { emit(&elseB, 0x4E); stack(g, 1); }
    else if (!strcmp(n->name, "or:")) { emit(&elseB, 0x4D); stack(g, 1); }
    else pushNil(g, &elseB);
    g->depth = depth + 1;
    jumpForward(&thenB, 0, elseB.n);   /* over the else part */
    jumpForward(b, jumpKind, thenB.n);
    append(b, &thenB);
    append(b, &elseB);
}

static void genSimpleIf(Gen *g, Buf *b, Node *n)
{
    const char *s = n->name;
    genNode(g, b, n->rcvr, 1);
    stack(g, -1);   /* the conditional jump pops it */
    if (!strcmp(s, "ifTrue:")) genIf(g, b, n, 2, n->args[0], NULL, NULL);
    else if (!strcmp(s, "ifFalse:")) genIf(g, b, n, 1, n->args[0], NULL, NULL);
    else if (!strcmp(s, "ifTrue:ifFalse:")) genIf(g, b, n, 2, n->args[0], n->args[1], NULL);
    else if (!strcmp(s, "ifFalse:ifTrue:")) genIf(g, b, n, 1, n->args[0], n->args[1], NULL);
    else if (!strcmp(s, "and:")) genIf(g, b, n, 2, n->args[0], NULL, NULL);
    else genIf(g, b, n, 1, n->args[0], NULL, NULL);
}

/* value ifNil: [..] ifNotNil: [:x | ..]: dup, == nil, branch; the non-nil value is the argument */
static void genIfNil(Gen *g, Buf *b, Node *n)
{
    const char *s = n->name;
    Node *nilBlk = NULL, *notNilBlk = NULL;
    Buf nilB = {0}, notB = {0};
    int depth;
    if (!strcmp(s, "ifNil:")) nilBlk = n->args[0];
    else if (!strcmp(s, "ifNotNil:")) notNilBlk = n->args[0];
    else if (!strcmp(s, "ifNil:ifNotNil:")) { nilBlk = n->args[0]; notNilBlk = n->args[1]; }
    else { notNilBlk = n->args[0]; nilBlk = n->args[1]; }
    genNode(g, b, n->rcvr, 1);
    dupTop(g, b);
    pushNil(g, b);
    emit(b, 0x76);   /* == */
    stack(g, -2);    /* == leaves one, the jump pops it */
    depth = g->depth;   /* the value is on the stack */
    /* nil case */
    if (nilBlk) {
        popTop(g, &nilB);
        genInlined(g, &nilB, nilBlk);
    }
    g->depth = depth;
    /* not-nil case */
    if (notNilBlk) {
        if (notNilBlk->nparams == 1) storeVar(g, &notB, notNilBlk->scope->vars[0], 0);
        else popTop(g, &notB);
        genInlined(g, &notB, notNilBlk);
    }
    g->depth = depth;
    if (nilBlk) {
        /* == nil: true → nil part (falls through), false → jump over it to the not-nil part */
        jumpForward(&nilB, 0, notB.n);
        jumpForward(b, 2, nilB.n);
        append(b, &nilB);
        append(b, &notB);
    } else {
        /* ifNotNil: only: nil stays as the value */
        jumpForward(b, 1, notB.n);
        append(b, &notB);
    }
}

static void genWhile(Gen *g, Buf *b, Node *n)
{
    const char *s = n->name;
    int top = b->n, whileTrue = s[5] == 'T', depth = g->depth;
    Buf body = {0};
    if (!strcmp(s, "repeat")) {
        genInlined(g, b, n->rcvr);
        popTop(g, b);
        jumpBackTo(b, top);
        pushNil(g, b);
        return;
    }
    genInlined(g, b, n->rcvr);
    stack(g, -1);
    if (n->nargs == 1) {
        genInlined(g, &body, n->args[0]);
        popTop(g, &body);
    }
    /* the backward jump's size is known: 4 bytes (or 6 for long loops) */
    {
        int bodyLen = body.n, jumpLen = (b->n + body.n + forwardJumpSize(body.n + 4) + 4 - top > 32000) ? 6 : 4;
        jumpForward(b, whileTrue ? 2 : 1, bodyLen + jumpLen);
        append(b, &body);
        jumpBackTo(b, top);
    }
    g->depth = depth;
    pushNil(g, b);
}

/* start to: limit [by: step] do: [:i | ...] and n timesRepeat: [...] */
static void genCountedLoop(Gen *g, Buf *b, Var *i, Var *limit, Node *start, Node *limitExpr, int64_t startValue,
                           int64_t step, Node *blk)
{
    int top, depth = g->depth;
    Buf body = {0};
    if (start) genNode(g, b, start, 1);
    else pushInteger(g, b, startValue);
    storeVar(g, b, i, 0);
    genNode(g, b, limitExpr, 1);
    storeVar(g, b, limit, 0);
    top = b->n;
    pushVarValue(g, b, i);
    pushVarValue(g, b, limit);
    emit(b, step > 0 ? 0x64 : 0x65);   /* <= or >= */
    stack(g, -2);
    genInlined(g, &body, blk);
    popTop(g, &body);
    pushVarValue(g, &body, i);
    pushInteger(g, &body, step);
    emit(&body, 0x60);   /* + */
    stack(g, -1);
    storeVar(g, &body, i, 0);
    {
        int jumpLen = (b->n + body.n + 8 - top > 32000) ? 6 : 4;
        jumpForward(b, 2, body.n + jumpLen);
        append(b, &body);
        jumpBackTo(b, top);
    }
    g->depth = depth;
    pushNil(g, b);
}

static void genInlinedSend(Gen *g, Buf *b, Node *n)
{
    const char *s = n->name;
    if (!strncmp(s, "if", 2) && strstr(s, "Nil")) genIfNil(g, b, n);
    else if (!strncmp(s, "if", 2) || !strcmp(s, "and:") || !strcmp(s, "or:")) genSimpleIf(g, b, n);
    else if (!strncmp(s, "while", 5) || !strcmp(s, "repeat")) genWhile(g, b, n);
    else if (!strcmp(s, "timesRepeat:")) {
        genCountedLoop(g, b, n->var, n->args[0]->var, NULL, n->rcvr, 1, 1, n->args[0]);
    } else {
        Node *blk = n->args[n->nargs - 1];
        int64_t step = 1;
        if (n->nargs == 3) numberFitsInt64(&n->args[1]->lit->num, &step);
        genCountedLoop(g, b, blk->scope->vars[0], n->var, n->rcvr, n->args[0], 0, step, blk);
    }
}

/* ---- expressions ---- */
static void genLiteral(Gen *g, Buf *b, Lit *l)
{
    int64_t v;
    switch (l->kind) {
    case L_NIL: pushNil(g, b); return;
    case L_TRUE: emit(b, 0x4D); stack(g, 1); return;
    case L_FALSE: emit(b, 0x4E); stack(g, 1); return;
    case L_INT:
        if (numberFitsInt64(&l->num, &v) && isSmallIntValue(v)) { pushInteger(g, b, v); return; }
        break;
    case L_CHAR:
        if (l->ch < 65536) {
            if (l->ch >> 8) emitExtB(b, l->ch >> 8);
            emit(b, 0xE9);
            emit(b, (int)(l->ch & 0xFF));
            stack(g, 1);
            return;
        }
        break;
    default:
        break;
    }
    pushLiteral(g, b, literalValue(l));
}

static int isSuperNode(Node *n) { return n && n->kind == N_VAR && n->var && n->var->kind == V_SUPER; }

static void genSend(Gen *g, Buf *b, Node *n, int cascadeToSuper)
{
    int i, isSuper = isSuperNode(n->rcvr) || (cascadeToSuper && n->rcvr && n->rcvr->var && n->rcvr->var->kind == V_CASCADE);
    if (n->inlined) { genInlinedSend(g, b, n); return; }
    genNode(g, b, n->rcvr, 1);
    for (i = 0; i < n->nargs; i++) genNode(g, b, n->args[i], 1);
    send(g, b, n->name, n->nargs, isSuper);
}

/* valueNeeded: leave the value on the stack; otherwise leave nothing */
static void genNode(Gen *g, Buf *b, Node *n, int valueNeeded)
{
    int i;
    switch (n->kind) {
    case N_VAR:
        if (!valueNeeded && n->var->kind != V_CASCADE) return;
        pushVarValue(g, b, n->var);
        return;
    case N_LIT:
        if (!valueNeeded) return;
        genLiteral(g, b, n->lit);
        return;
    case N_ASSIGN:
        genNode(g, b, n->value, 1);
        storeVar(g, b, n->rcvr->var, valueNeeded);
        return;
    case N_RETURN:
        if (g->scope->isDoIt) {
            /* a doit's ^ answers from the doit itself */
            genNode(g, b, n->value, 1);
            emit(b, 0x5E);
            stack(g, -1);
            if (valueNeeded) stack(g, 1);
            return;
        }
        if (n->value->kind == N_VAR && n->value->var->kind == V_SELF) emit(b, 0x58);
        else if (n->value->kind == N_VAR && n->value->var->kind == V_TRUE) emit(b, 0x59);
        else if (n->value->kind == N_VAR && n->value->var->kind == V_FALSE) emit(b, 0x5A);
        else if (n->value->kind == N_VAR && n->value->var->kind == V_NIL) emit(b, 0x5B);
        else { genNode(g, b, n->value, 1); emit(b, 0x5C); stack(g, -1); }
        return;
    case N_SEND:
        genSend(g, b, n, 0);
        if (!valueNeeded) popTop(g, b);
        return;
    case N_CASCADE:
        genNode(g, b, n->rcvr, 1);
        for (i = 0; i < n->nargs; i++) {
            int last = i == n->nargs - 1;
            if (!last) dupTop(g, b);
            genSend(g, b, n->args[i], isSuperNode(n->rcvr));
            if (!last) popTop(g, b);
        }
        if (!valueNeeded) popTop(g, b);
        return;
    case N_BLOCK:
        if (!valueNeeded) return;
        genClosure(g, b, n);
        return;
    case N_BRACE:
        if (n->nargs > 127) { errorAt(n->pos, "a brace array holds at most 127 elements"); unitErrors++; }
        for (i = 0; i < n->nargs; i++) genNode(g, b, n->args[i], 1);
        emit(b, 0xE7);
        emit(b, (n->nargs & 127) | 0x80);
        stack(g, 1 - n->nargs);
        if (!valueNeeded) popTop(g, b);
        return;
    }
}

/* the statements of a real scope; answers whether the last one returns */
static int genBlockBody(Gen *g, Buf *b, Node *blk)
{
    int i;
    for (i = 0; i < blk->nargs; i++) {
        Node *st = blk->args[i];
        int last = i == blk->nargs - 1;
        if (last && !g->scope->isMethod) {
            genNode(g, b, st, 1);
            if (st->kind == N_RETURN) return 1;
            emit(b, 0x5E);
            stack(g, -1);
            return 1;
        }
        genNode(g, b, st, 0);
        if (st->kind == N_RETURN) return 1;
    }
    return 0;
}

/* builds the CompiledMethod or CompiledBlock of a real scope; answers its heap id */
static int compileScope(Node *body, Scope *s, int outerId, int isMethod, MethodNode *m, Val selector)
{
    Gen g;
    Buf b = {0};
    int id, i, numTemps, header, nlits;
    int64_t hv;
    memset(&g, 0, sizeof g);
    g.scope = s;
    id = newObj(-1, F_METHOD, 0, 0);   /* the class is set below */
    g.selfId = id;
    if (isMethod && m->primitive) {
        if (m->primitive == 117) {
            Val spec = newArray(4);
            objSlotPut(OBJID(spec), 0, m->primModule ? symbolNamed(m->primModule) : nilV);
            objSlotPut(OBJID(spec), 1, symbolNamed(m->primName));
            objSlotPut(OBJID(spec), 2, VINT(0));
            objSlotPut(OBJID(spec), 3, VINT(0));
            addLiteral(&g, spec, 0);
        }
        emit(&b, 0xF8);
        emit(&b, m->primitive & 0xFF);
        emit(&b, (m->primitive >> 8) & 0x7F);
        if (m->errorTemp) storeTemp(&b, s->nframe - 1);
    }
    if (s->tempVector) {
        emit(&b, 0xE7);
        emit(&b, s->nremote & 127);
        stack(&g, 1);
        popIntoTemp(&g, &b, s->tempVector->index);
    }
    if (isMethod) {
        if (!genBlockBody(&g, &b, body)) emit(&b, 0x58);
    } else {
        if (body->nargs == 0) emit(&b, 0x5D);
        else genBlockBody(&g, &b, body);
    }
    numTemps = s->nframe;
    if (numTemps > 63) { errorAt(body->pos, "too many temporaries (%d, at most 63)", numTemps); unitErrors++; numTemps = 63; }
    if (s->numArgs > 15) { errorAt(body->pos, "too many arguments"); unitErrors++; }
    if (isMethod) {
        addLiteral(&g, selector, 0);
        addLiteral(&g, curMeta ? curClass->metaBinding : curClass->binding, 0);
    } else {
        addLiteral(&g, outerId >= 0 ? VOBJ(outerId) : nilV, 0);
    }
    nlits = g.nlits;
    header = nlits | (isMethod && m->primitive ? 0x10000 : 0) | (numTemps + g.maxDepth > 16 ? 0x20000 : 0)
             | (numTemps << 18) | ((s->numArgs & 15) << 24);
    hv = (int64_t)header - (maxSmallInt() + 1);   /* the sign bit selects Sista V1 */
    {
        Obj *o = obj(id);
        o->nslots = 1 + nlits;
        o->slots = xmalloc(sizeof(Val) * (size_t)o->nslots);
        o->slots[0] = VINT(hv);
        for (i = 0; i < nlits; i++) o->slots[1 + i] = g.lits[i];
        emit(&b, 0);   /* the trailer: none */
        o->bytes = b.b;
        o->nbytes = b.n;
        o->cls = isMethod ? requireClass("CompiledMethod")->id : requireClass("CompiledBlock")->id;
    }
    if (getenv("TALC_BOOT_DUMP") && isMethod && !strcmp(getenv("TALC_BOOT_DUMP"), m->selector)) {
        Obj *o = obj(id);
        fprintf(stderr, "%s: header %llx lits %d temps %d depth %d\n", m->selector, (long long)header, nlits, numTemps, g.maxDepth);
        for (i = 0; i < o->nbytes; i++) fprintf(stderr, "%02x ", o->bytes[i]);
        fprintf(stderr, "\n");
        for (i = 0; i < nlits; i++) {
            Val v = o->slots[1 + i];
            if (ISOBJ(v) && obj(OBJID(v))->fmt == F_8) fprintf(stderr, "  lit %d: #%.*s\n", i, obj(OBJID(v))->nbytes, obj(OBJID(v))->bytes);
            else fprintf(stderr, "  lit %d: %llx\n", i, (long long)v);
        }
    }
    free(g.lits);
    return id;
}

/* ---- entry points ---- */
static Scope *methodScope(MethodNode *m)
{
    Scope *s = newScope(NULL, 1);
    int i;
    s->isMethod = 1;
    s->numArgs = m->nparams;
    for (i = 0; i < m->nparams; i++) declare(s, m->params[i], V_ARG, m->paramPos[i]);
    for (i = 0; i < m->ntemps; i++) declare(s, m->temps[i], V_TEMP, m->tempPos[i]);
    return s;
}

int compileMethod(ClassDef *c, int meta, MethodSource *ms, Val *selectorOut)
{
    MethodNode *m = parseMethod(ms->src, ms->len, ms->pos);
    Scope *s;
    int i, id;
    Var *errVar = NULL;
    if (!m) return -1;
    curClass = c;
    curMeta = meta;
    unitErrors = 0;
    s = methodScope(m);
    m->body->scope = s;
    if (m->errorTemp) {
        errVar = declare(s, m->errorTemp, V_TEMP, m->errorTempPos);
        s->errVar = errVar;
    }
    for (i = 0; i < m->body->nargs; i++) analyse(s, m->body->args[i]);
    if (errVar && errVar->captured && errVar->written) cError(m->errorTempPos, "the error code '%s' cannot be assigned in a block", errVar->name);
    layoutScope(s);
    if (unitErrors) return -1;
    *selectorOut = symbolNamed(m->selector);
    id = compileScope(m->body, s, -1, 1, m, *selectorOut);
    return unitErrors ? -1 : id;
}

int compileDoIt(DoIt *d)
{
    Node *body = parseExpression(d->src, d->len, d->pos);
    Scope *s;
    int i, id, closure;
    if (!body) return -1;
    curClass = NULL;
    curMeta = 0;
    unitErrors = 0;
    s = newScope(NULL, 1);
    s->isDoIt = 1;
    body->scope = s;
    for (i = 0; i < body->ntemps; i++) declare(s, body->temps[i], V_TEMP, body->tempPos[i]);
    for (i = 0; i < body->nargs; i++) analyse(s, body->args[i]);
    layoutScope(s);
    if (unitErrors) return -1;
    id = compileScope(body, s, -1, 0, NULL, 0);
    if (unitErrors) return -1;
    closure = newObj(requireClass("FullBlockClosure")->id, F_VARIV, 4, 0);
    objSlotPut(closure, 0, nilV);
    objSlotPut(closure, 1, VOBJ(id));
    objSlotPut(closure, 2, VINT(0));
    objSlotPut(closure, 3, nilV);
    return closure;
}
