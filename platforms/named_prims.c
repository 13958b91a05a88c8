/* The named primitives Talc has, by module and function name. */
#include <string.h>

#include "platform.h"

static const struct { const char *module, *name; sqInt id; } namedPrimitives[] = {
    { "ConsolePlugin", "primitiveLog:level:", 1 /* NamedPrimConsoleLog */ },
    { "FilePlugin", "primitiveFileStdioHandles", 2 },
    { "FilePlugin", "primitiveFileWrite", 3 },
    { "FilePlugin", "primitiveFileFlush", 4 },
    { "FilePlugin", "primitiveFileOpen", 30 },
    { "FilePlugin", "primitiveFileOpenNew", 31 },
    { "FilePlugin", "primitiveFileClose", 32 },
    { "FilePlugin", "primitiveFileRead", 33 },
    { "FilePlugin", "primitiveFileSize", 34 },
    { "FilePlugin", "primitiveFileGetPosition", 35 },
    { "FilePlugin", "primitiveFileSetPosition", 36 },
    { "FilePlugin", "primitiveFileAtEnd", 37 },
    { "FilePlugin", "primitiveFileTruncate", 38 },
    { "FilePlugin", "primitiveFileSync", 39 },
    { "FilePlugin", "primitiveFileDescriptorType", 40 },
    { "FilePlugin", "primitiveFileDelete", 41 },
    { "FilePlugin", "primitiveFileRename", 42 },
    { "FilePlugin", "primitiveDirectoryCreate", 43 },
    { "FilePlugin", "primitiveDirectoryDelete", 44 },
    { "FilePlugin", "primitiveDirectoryDelimitor", 45 },
    { "FilePlugin", "primitiveDirectoryLookup", 46 },
    { "FilePlugin", "primitiveDirectoryEntry", 47 },
    { "FilePlugin", "primitiveDirectoryGetMacTypeAndCreator", 48 },
    { "FilePlugin", "primitiveDirectorySetMacTypeAndCreator", 48 },
    { "FilePlugin", "primitiveHasFileAccess", 49 },
    { "FilePlugin", "primitiveDisableFileAccess", 50 },
    { "MiscPrimitivePlugin", "primitiveStringHash", 60 },
    { "MiscPrimitivePlugin", "primitiveCompareString", 61 },
    { "MiscPrimitivePlugin", "primitiveFindSubstring", 62 },
    { "MiscPrimitivePlugin", "primitiveFindFirstInString", 63 },
    { "MiscPrimitivePlugin", "primitiveIndexOfAsciiInString", 64 },
    { "MiscPrimitivePlugin", "primitiveTranslateStringWithTable", 65 },
    { "MiscPrimitivePlugin", "primitiveConvert8BitSigned", 66 },
    /* for the in-image tests only */
    { "TalcTestPlugin", "primitiveObjectAddress", 70 },
    { "TalcTestPlugin", "primitiveCollectorCompacts", 71 },
    { "TalcTestPlugin", "primitiveSlotNamesForwarder", 72 },
    /* LargeIntegers: Squeak's and Pharo's names, and the same with a colon */
    { "LargeIntegers", "primDigitAdd", 10 }, { "LargeIntegers", "primDigitAdd:", 10 },
    { "LargeIntegers", "primDigitSubtract", 11 }, { "LargeIntegers", "primDigitSubtract:", 11 },
    { "LargeIntegers", "primDigitMultiplyNegative", 12 }, { "LargeIntegers", "primDigitMultiplyNegative:", 12 },
    { "LargeIntegers", "primDigitDivNegative", 13 }, { "LargeIntegers", "primDigitDivNegative:", 13 },
    { "LargeIntegers", "primDigitCompare", 14 }, { "LargeIntegers", "primDigitCompare:", 14 },
    { "LargeIntegers", "primNormalizePositive", 15 },
    { "LargeIntegers", "primNormalizeNegative", 16 },
    { "LargeIntegers", "primDigitBitAnd", 17 }, { "LargeIntegers", "primDigitBitAnd:", 17 },
    { "LargeIntegers", "primDigitBitOr", 18 }, { "LargeIntegers", "primDigitBitOr:", 18 },
    { "LargeIntegers", "primDigitBitXor", 19 }, { "LargeIntegers", "primDigitBitXor:", 19 },
    { "LargeIntegers", "primDigitBitShiftMagnitude", 20 }, { "LargeIntegers", "primDigitBitShiftMagnitude:", 20 },
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
