/* The argument of a VM option. VM options come before the image path, so an option's argument
 * is never the last word of the command line: when it would be, the argument was left out and
 * the image path would be taken for it, which is refused here rather than reported later as
 * "no image given" or as a bad argument. */
#include <stdio.h>
#include <stdlib.h>

#include "platform_internal.h"

const char *platformOptionArgument(int argc, char **argv, int *i, const char *opt, const char *needs)
{
    if (*i + 1 >= argc) {
        fprintf(stderr, "%s: %s %s\n", platformProgramName(), opt, needs);
        exit(64);
    }
    if (*i + 2 >= argc) {
        fprintf(stderr, "%s: %s %s before the image path (only '%s' follows it)\n",
                platformProgramName(), opt, needs, argv[*i + 1]);
        exit(64);
    }
    *i += 1;
    return argv[*i];
}
