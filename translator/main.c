/* talc-translate: the spec (vmspec/) plus a flavour in, generated/<flavour>/interp.c out.
 * Phases: load flavour -> parse -> analyse -> emit. */
#include "talc_translate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *to)
{
    fputs("usage: talc-translate --flavour FILE.lua -o OUTDIR [--check] [--no-line] [-v]\n"
          "                      [--platform-header FILE] SPECDIR\n"
          "  --flavour FILE.lua        the flavour: word_size, assertions, dispatch\n"
          "  -o OUTDIR                 where interp.c goes (created if missing)\n"
          "  --check                   parse and check only, write nothing\n"
          "  --no-line                 no #line directives (default: every line maps to the spec)\n"
          "  --plain                   no inlining, specialisation or flattening: every function\n"
          "                            stays a function (for comparisons; variants still chosen)\n"
          "  -v                        phase times and counts on stderr\n"
          "  --platform-header FILE    the platform interface (default SPECDIR/../platforms/platform.h)\n"
          "  --help                    this text\n"
          "A call to an INLINE(always) function that cannot be inlined where it stands is an error\n"
          "(file:line:col and why); mark the function INLINE(hint) or move the call into a statement.\n",
          to);
}

int main(int argc, char **argv)
{
    const char *flavour_path = NULL, *outdir = NULL, *specdir = NULL, *platform = NULL;
    bool check = false, lines = true, verbose = false, transform = true;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(a, "--flavour") == 0 && i + 1 < argc)
            flavour_path = argv[++i];
        else if (strcmp(a, "-o") == 0 && i + 1 < argc)
            outdir = argv[++i];
        else if (strcmp(a, "--platform-header") == 0 && i + 1 < argc)
            platform = argv[++i];
        else if (strcmp(a, "--check") == 0)
            check = true;
        else if (strcmp(a, "--no-line") == 0)
            lines = false;
        else if (strcmp(a, "-v") == 0)
            verbose = true;
        else if (strcmp(a, "--plain") == 0)
            transform = false;
        else if (a[0] == '-') {
            fprintf(stderr, "talc-translate: error: unknown or incomplete option '%s'\n", a);
            usage(stderr);
            return 1;
        } else if (!specdir)
            specdir = a;
        else {
            fprintf(stderr, "talc-translate: error: more than one SPECDIR ('%s', '%s')\n", specdir, a);
            return 1;
        }
    }
    if (!flavour_path || !specdir || (!outdir && !check)) {
        fprintf(stderr, "talc-translate: error: %s\n",
                !flavour_path ? "--flavour is required" : !specdir ? "SPECDIR is required" : "-o OUTDIR is required");
        usage(stderr);
        return 1;
    }
    char *platform_default = NULL;
    if (!platform) {
        size_t n = strlen(specdir) + 32;
        platform_default = xmalloc(n);
        snprintf(platform_default, n, "%s/../platforms/platform.h", specdir);
        platform = platform_default;
    }

    double t0 = now_seconds();
    Flavour fl;
    if (!flavour_load(flavour_path, &fl)) {
        flavour_free(&fl);
        free(platform_default);
        return 1;
    }
    double t1 = now_seconds();
    Spec spec;
    bool ok = spec_load(&spec, specdir, platform, &fl);
    double t2 = now_seconds(), t3 = t2, t4 = t2;
    size_t kept = 0, dropped = 0;
    double tc = t2;
    if (ok || spec.nfiles) {
        check_flavour_choices(&spec);
        analyse(&spec, &kept, &dropped);
        tc = now_seconds();
        check_dialect(&spec);
        ok = g_error_count == 0;
        t3 = t4 = now_seconds();
    }
    Buf log = {0};
    EmitOptions eo = {transform, lines, verbose};
    if (ok && !check) {
        ok = emit_interp(&spec, outdir, &eo, verbose ? &log : NULL);
        t4 = now_seconds();
    }
    if (verbose) {
        fprintf(stderr, "talc-translate: flavour %s (word_size %d, assertions %s, dispatch %s)\n", fl.name,
                fl.word_size, fl.assertions_build ? "build" : "none", fl.dispatch_switch ? "switch" : "goto");
        fprintf(stderr, "  load flavour %8.3f ms\n", (t1 - t0) * 1e3);
        fprintf(stderr, "  parse        %8.3f ms  (%zu files, %zu definitions, %zu VM state entries)\n",
                (t2 - t1) * 1e3, spec.nfiles, spec.ndefines, spec.nstate);
        fprintf(stderr, "  analyse      %8.3f ms  (%zu functions kept, %zu dropped)\n", (tc - t2) * 1e3, kept,
                dropped);
        fprintf(stderr, "  check        %8.3f ms  (dialect rules on every function)\n", (t3 - tc) * 1e3);
        fprintf(stderr, "  emit         %8.3f ms%s\n", (t4 - t3) * 1e3, check ? "  (--check: nothing written)" : "");
        size_t inl = 0, spc = 0;
        for (size_t i = 0; i < spec.nfuncs; i++) {
            inl += spec.funcs[i].inline_how != NULL;
            spc += (size_t)spec.funcs[i].specialise_count;
        }
        fprintf(stderr, "  annotations: %zu INLINE, %zu SPECIALISE recorded\n", inl, spc);
        fprintf(stderr, "  total        %8.3f ms\n", (t4 - t0) * 1e3);
        if (log.len)
            fputs(log.s, stderr);
    }
    buf_free(&log);
    if (!ok && g_error_count)
        fprintf(stderr, "talc-translate: %d error%s\n", g_error_count, g_error_count == 1 ? "" : "s");
    spec_free(&spec);
    flavour_free(&fl);
    free(platform_default);
    return ok ? 0 : 1;
}
