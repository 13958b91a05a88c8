/* The class model: definitions evaluated from the standard class-definition messages,
 * inherited layouts, instance formats and variable lookup. */
#include <stdlib.h>
#include <string.h>

#include "boot.h"

Vec classes;

ClassDef *findClass(const char *name)
{
    int i;
    for (i = 0; i < classes.count; i++) {
        ClassDef *c = classes.items[i];
        if (!strcmp(c->name, name)) return c;
    }
    return NULL;
}

/* the words of a variable-names string */
static char **splitNames(const char *s, int *n)
{
    char **out = NULL;
    *n = 0;
    while (s && *s) {
        const char *e;
        while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') s++;
        if (!*s) break;
        e = s;
        while (*e && *e != ' ' && *e != '\t' && *e != '\n' && *e != '\r') e++;
        out = xrealloc(out, sizeof(char *) * (size_t)(*n + 1));
        out[(*n)++] = xstrndup(s, (size_t)(e - s));
        s = e;
    }
    return out;
}

int classInstSize(ClassDef *c) { return c ? classInstSize(c->super) + c->nivars : 0; }

int classIvarIndex(ClassDef *c, const char *n)
{
    int i;
    if (!c) return -1;
    for (i = c->nivars - 1; i >= 0; i--)
        if (!strcmp(c->ivars[i], n)) return classInstSize(c->super) + i;
    return classIvarIndex(c->super, n);
}

/* a metaclass's instances are classes: Class's inst vars, then the class-side ones */
static int metaOwnSize(ClassDef *c) { return c ? metaOwnSize(c->super) + c->nclassIvars : 0; }

int metaInstSize(ClassDef *c)
{
    ClassDef *cls = findClass("Class");
    return classInstSize(cls) + metaOwnSize(c);
}

int metaIvarIndex(ClassDef *c, const char *n)
{
    ClassDef *k;
    int i;
    for (k = c; k; k = k->super)
        for (i = k->nclassIvars - 1; i >= 0; i--)
            if (!strcmp(k->classIvars[i], n)) return classInstSize(findClass("Class")) + metaOwnSize(k->super) + i;
    return classIvarIndex(findClass("Class"), n);
}

int classFormatWord(ClassDef *c) { return (c->spec << 16) | classInstSize(c); }

static int isPointerSpec(int spec) { return spec <= F_EPHEMERON; }

ClassDef *defineClass(Pos pos, const char *superName, int superIsNil, const char *name, const char *kind,
                      const char *ivars, const char *classVars, const char *category)
{
    ClassDef *super = NULL, *c;
    int total, i;
    if (!superIsNil) {
        super = findClass(superName);
        if (!super) {
            errorAt(pos, "unknown superclass '%s' of '%s'", superName, name);
            return NULL;
        }
    }
    if (!(name[0] >= 'A' && name[0] <= 'Z')) {
        errorAt(pos, "a class name must start with a capital letter: '%s'", name);
        return NULL;
    }
    c = findClass(name);
    if (c) {
        /* a redefinition: the shape changes, the methods stay */
        if (c->super != super) {
            ClassDef *k;
            for (k = super; k; k = k->super)
                if (k == c) { errorAt(pos, "'%s' cannot be its own superclass", name); return NULL; }
        }
    } else {
        c = xmalloc(sizeof *c);
        memset(c, 0, sizeof *c);
        c->name = xstrdup(name);
        c->order = classes.count;
        vecPush(&classes, c);
    }
    c->pos = pos;
    c->super = super;
    c->hasSuper = !superIsNil;
    c->ivars = splitNames(ivars, &c->nivars);
    c->classVars = splitNames(classVars, &c->nclassVars);
    c->category = xstrdup(category ? category : "");
    total = classInstSize(c);
    for (i = 0; i < c->nivars; i++) {
        int j;
        for (j = 0; j < i; j++)
            if (!strcmp(c->ivars[i], c->ivars[j])) errorAt(pos, "instance variable '%s' is declared twice", c->ivars[i]);
        if (super && classIvarIndex(super, c->ivars[i]) >= 0)
            errorAt(pos, "instance variable '%s' is already defined in a superclass", c->ivars[i]);
    }
    if (!strcmp(kind, "subclass:")) {
        int sspec = super ? super->spec : F_ZERO;
        if (super && !isPointerSpec(sspec)) c->spec = sspec;
        else if (sspec == F_VAR || sspec == F_VARIV) c->spec = total ? F_VARIV : F_VAR;
        else if (sspec == F_WEAK) c->spec = F_WEAK;
        else if (sspec == F_EPHEMERON) c->spec = F_EPHEMERON;
        else c->spec = total ? F_FIXED : F_ZERO;
    } else if (!strcmp(kind, "variableSubclass:")) c->spec = total ? F_VARIV : F_VAR;
    else if (!strcmp(kind, "weakSubclass:")) c->spec = F_WEAK;
    else if (!strcmp(kind, "ephemeronSubclass:")) c->spec = F_EPHEMERON;
    else if (!strcmp(kind, "immediateSubclass:")) c->spec = F_IMMEDIATE;
    else if (!strcmp(kind, "variableWordSubclass:")) c->spec = F_32;
    else if (!strcmp(kind, "variableDoubleWordSubclass:")) c->spec = F_64;
    else if (!strcmp(kind, "variableDoubleByteSubclass:")) c->spec = F_16;
    else if (!strcmp(kind, "variableByteSubclass:")) {
        int compiled = !strcmp(name, "CompiledMethod") || !strcmp(name, "CompiledCode") || !strcmp(name, "CompiledBlock")
                       || (super && super->spec == F_METHOD);
        c->spec = compiled ? F_METHOD : F_8;
    } else {
        errorAt(pos, "unknown class definition message '%s'", kind);
        return NULL;
    }
    if (!isPointerSpec(c->spec) && c->spec != F_METHOD && total)
        errorAt(pos, "'%s' holds bits or bytes and cannot have instance variables", name);
    if (c->spec == F_EPHEMERON && total == 0)
        errorAt(pos, "ephemeron class '%s' needs an instance variable (the first is its key)", name);
    return c;
}

void setClassInstanceVariables(Pos pos, ClassDef *c, const char *ivars)
{
    (void)pos;
    c->classIvars = splitNames(ivars, &c->nclassIvars);
}
