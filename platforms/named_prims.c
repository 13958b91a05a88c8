/* The named primitives Talc has, by module and function name. */
#include <string.h>

#include "platform.h"

static const struct { const char *module, *name; sqInt id; } namedPrimitives[] = {
    { "ConsolePlugin", "primitiveLog:level:", 1 /* NamedPrimConsoleLog */ },
    { "FilePlugin", "primitiveFileStdioHandles", 2 },
    { "FilePlugin", "primitiveFileWrite", 3 },
    { "FilePlugin", "primitiveFileFlush", 4 },
};

static int sameName(const char *name, sqInt address, sqInt length)
{
    return (sqInt)strlen(name) == length && (length == 0 || !memcmp(name, vmHostPointer(address, length), (size_t)length));
}

sqInt platformNamedPrimitiveId(sqInt moduleAddress, sqInt moduleLength, sqInt nameAddress, sqInt nameLength)
{
    size_t i;
    for (i = 0; i < sizeof namedPrimitives / sizeof namedPrimitives[0]; i++)
        if ((moduleLength == 0 || sameName(namedPrimitives[i].module, moduleAddress, moduleLength))
            && sameName(namedPrimitives[i].name, nameAddress, nameLength))
            return namedPrimitives[i].id;
    return 0;
}
