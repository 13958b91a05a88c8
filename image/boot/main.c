/* talc-boot: the driver.
 *
 *   talc-boot [--word-size 32|64] [--kernel DIR] [--no-kernel] -o OUT.image [FILE.st...]
 *
 * Reads the kernel's chunk files (every *.st in the kernel folder, in name order), then the
 * files given (which add classes or extend them), compiles every method and writes the image.
 * The kernel folder is --kernel DIR, else ../image/kernel beside the binary's folder (the
 * source tree's, for build/talc-boot), else TALC_KERNEL_DIR given at build time. Every error
 * is reported as file:line:col: error: message; any error means no image and exit status 1. */
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "boot.h"

static int nerrors;

void errorAt(Pos p, const char *fmt, ...)
{
    va_list ap;
    if (p.line > 0) fprintf(stderr, "%s:%d:%d: error: ", p.file, p.line, p.col);
    else fprintf(stderr, "%s: error: ", p.file ? p.file : "talc-boot");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    nerrors++;
}

void fatal(const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "talc-boot: error: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(1);
}

int errorCount(void) { return nerrors; }

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) fatal("out of memory");
    return p;
}

void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p) fatal("out of memory");
    return p;
}

char *xstrndup(const char *s, size_t n)
{
    char *d = xmalloc(n + 1);
    memcpy(d, s, n);
    d[n] = 0;
    return d;
}

char *xstrdup(const char *s) { return xstrndup(s, strlen(s)); }

void vecPush(Vec *v, void *item)
{
    if (v->count == v->cap) {
        v->cap = v->cap ? v->cap * 2 : 16;
        v->items = xrealloc(v->items, sizeof(void *) * (size_t)v->cap);
    }
    v->items[v->count++] = item;
}

static int isDir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static char *defaultKernelDir(const char *argv0)
{
    static char cand[4200];
    char exe[4096], *slash;
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0) {
        strncpy(exe, argv0, sizeof exe - 1);
        exe[sizeof exe - 1] = 0;
    } else {
        exe[n] = 0;
    }
    slash = strrchr(exe, '/');
    if (slash) {
        *slash = 0;
        snprintf(cand, sizeof cand, "%s/../image/kernel", exe);
        if (isDir(cand)) return xstrdup(cand);
    }
#ifdef TALC_KERNEL_DIR
    if (isDir(TALC_KERNEL_DIR)) return xstrdup(TALC_KERNEL_DIR);
#endif
    return NULL;
}

static int compareNames(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void readKernel(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char **names = NULL;
    int n = 0, i;
    if (!d) fatal("cannot open the kernel folder %s", dir);
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len > 3 && !strcmp(e->d_name + len - 3, ".st")) {
            names = xrealloc(names, sizeof(char *) * (size_t)(n + 1));
            names[n] = xmalloc(strlen(dir) + len + 2);
            snprintf(names[n], strlen(dir) + len + 2, "%s/%s", dir, e->d_name);
            n++;
        }
    }
    closedir(d);
    if (n == 0) fatal("no .st files in the kernel folder %s", dir);
    qsort(names, (size_t)n, sizeof(char *), compareNames);
    for (i = 0; i < n; i++) readChunkFile(names[i]);
}

static void usage(FILE *f)
{
    fprintf(f, "usage: talc-boot [--word-size 32|64] [--kernel DIR] [--no-kernel] -o OUT.image [FILE.st...]\n"
               "  builds a Spur image (64-bit by default) from the kernel's chunk files and the files given\n"
               "  --kernel DIR   the kernel's folder (default: image/kernel of the source tree)\n"
               "  --no-kernel    only the files given\n");
}

int main(int argc, char **argv)
{
    const char *out = NULL, *kernel = NULL;
    int noKernel = 0, i, nfiles = 0;
    char **files = xmalloc(sizeof(char *) * (size_t)argc);
    for (i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-o") && i + 1 < argc) out = argv[++i];
        else if (!strcmp(argv[i], "--word-size") && i + 1 < argc) {
            i++;
            if (!strcmp(argv[i], "32")) wordBytes = 4;
            else if (!strcmp(argv[i], "64")) wordBytes = 8;
            else { usage(stderr); return 64; }
        } else if (!strcmp(argv[i], "--kernel") && i + 1 < argc) kernel = argv[++i];
        else if (!strcmp(argv[i], "--no-kernel")) noKernel = 1;
        else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) { usage(stdout); return 0; }
        else if (argv[i][0] == '-') { usage(stderr); return 64; }
        else files[nfiles++] = argv[i];
    }
    if (!out) { usage(stderr); return 64; }
    if (!noKernel) {
        char *dir = kernel ? xstrdup(kernel) : defaultKernelDir(argv[0]);
        if (!dir) fatal("cannot find the kernel folder: give --kernel DIR");
        readKernel(dir);
    }
    for (i = 0; i < nfiles; i++) readChunkFile(files[i]);
    buildImageObjects();
    if (nerrors) {
        fprintf(stderr, "talc-boot: %d error%s, no image written\n", nerrors, nerrors == 1 ? "" : "s");
        return 1;
    }
    if (writeImage(out, specialsV)) return 1;
    return 0;
}
