/* sista_cov: linked into a build of the simulator made with -finstrument-functions -rdynamic,
 * it counts calls per function and, at exit, writes "count name" lines for every called
 * function to the file named by $TALC_COV_OUT. tests/sista/run.sh uses it to show that the Sista
 * routines really ran. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

#define NoInstr __attribute__((no_instrument_function))
#define TableSize 16384

static void *fns[TableSize];
static unsigned long counts[TableSize];

NoInstr void __cyg_profile_func_enter(void *fn, void *site);
NoInstr void __cyg_profile_func_exit(void *fn, void *site);

void __cyg_profile_func_enter(void *fn, void *site)
{
    unsigned long h = ((unsigned long)fn >> 4) % TableSize;
    (void)site;
    while (fns[h] && fns[h] != fn) h = (h + 1) % TableSize;
    fns[h] = fn;
    counts[h] += 1;
}

void __cyg_profile_func_exit(void *fn, void *site) { (void)fn; (void)site; }

NoInstr __attribute__((destructor)) static void dumpCounts(void)
{
    const char *path = getenv("TALC_COV_OUT");
    FILE *f;
    int i;
    Dl_info info;
    if (!path || !(f = fopen(path, "w"))) return;
    for (i = 0; i < TableSize; i++)
        if (fns[i] && dladdr(fns[i], &info) && info.dli_sname) fprintf(f, "%lu %s\n", counts[i], info.dli_sname);
    fclose(f);
}
