/* Standard streams, the ConsolePlugin's log, image arguments and error text. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "platform_internal.h"

static const char *programName = "talc";
static int argumentCount;
static char **arguments;
static int vmOptionCount;
static char **vmOptions;

void platformSetProgramName(const char *name) { programName = name; }
const char *platformProgramName(void) { return programName; }
void platformSetArguments(int count, char **args) { argumentCount = count; arguments = args; }

static FILE *streamFor(sqInt fd) { return fd == 2 ? stderr : fd == 1 ? stdout : NULL; }

sqInt platformWrite(sqInt fd, sqInt address, sqInt length)
{
    FILE *f = streamFor(fd);
    if (!f || length < 0) return -1;
    if (length == 0) return 0;
    return (sqInt)fwrite(vmHostPointer(address, length), 1, (size_t)length, f);
}

sqInt platformFlush(sqInt fd)
{
    FILE *f = streamFor(fd);
    return f ? fflush(f) : -1;
}

void platformConsoleLog(sqInt address, sqInt length, sqInt levelAddress, sqInt levelLength)
{
    const char *level = levelLength > 0 ? vmHostPointer(levelAddress, levelLength) : "";
    int toStderr = (levelLength == 4 && !memcmp(level, "warn", 4)) || (levelLength == 5 && !memcmp(level, "error", 5));
    FILE *f = toStderr ? stderr : stdout;
    if (length > 0) fwrite(vmHostPointer(address, length), 1, (size_t)length, f);
    fputc('\n', f);
    fflush(f);
}

void platformErrorMessage(sqInt address, sqInt length)
{
    fflush(stdout);
    fprintf(stderr, "%s: ", programName);
    if (length > 0) fwrite(vmHostPointer(address, length), 1, (size_t)length, stderr);
    fputc('\n', stderr);
}

void platformErrorCString(const char *message) { fflush(stdout); fprintf(stderr, "%s: %s\n", programName, message); }
void platformErrorInteger(sqInt value) { fprintf(stderr, "%ld", (long)value); }

sqInt platformArgumentCount(void) { return argumentCount; }
void platformSetVMOptions(int count, char **options) { vmOptionCount = count; vmOptions = options; }

/* option index (0-based), with --headless implied after the given ones when they lack it:
 * Talc has no display, and images (Pharo's isInteractive) ask */
const char *platformVMOption(sqInt index)
{
    int i, headless = 0;
    for (i = 0; i < vmOptionCount; i++)
        if (!strcmp(vmOptions[i], "--headless") || !strcmp(vmOptions[i], "-headless")) headless = 1;
    if (index >= 0 && index < vmOptionCount) return vmOptions[index];
    if (index == vmOptionCount && !headless) return "--headless";
    return NULL;
}

const char *platformArgument(sqInt index) { return index >= 0 && index < argumentCount ? arguments[index] : NULL; }
sqInt platformArgumentLength(sqInt index) { return index >= 0 && index < argumentCount ? (sqInt)strlen(arguments[index]) : -1; }

sqInt platformCopyArgument(sqInt index, sqInt address, sqInt maxLength)
{
    sqInt n = platformArgumentLength(index);
    if (n < 0) return -1;
    if (n > maxLength) n = maxLength;
    memcpy(vmHostPointer(address, n), arguments[index], (size_t)n);
    return n;
}

_Noreturn void platformExit(sqInt status)
{
    platformFlushDigests();
    fflush(stdout);
    fflush(stderr);
    _exit((int)status);
}
