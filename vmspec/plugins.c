/* Named primitives ("plugins"). The platform maps a module and function name to an id (its
 * table is data at the boundary, like Open-Smalltalk-VM's list of internal plugins); the
 * primitives themselves are spec code. */
#include "internal.h"

sqInt isStringLike(sqInt oop) { return isNonImmediate(oop) && formatOf(oop) >= Format8Bit && formatOf(oop) < FormatCompiledMethod; }

void primitiveExternalCall(void)
{
    sqInt spec = literal(0, newMethod), module, name, id;
    if (isImmediate(spec) || formatOf(spec) != FormatIndexable || numSlotsOf(spec) < 2) { primitiveFailFor(PrimErrBadMethod); return; }
    module = fetchPointer(0, spec);
    name = fetchPointer(1, spec);
    if (!isStringLike(name) || (module != nilObj && !isStringLike(module))) { primitiveFailFor(PrimErrBadMethod); return; }
    id = platformNamedPrimitiveId(module == nilObj ? 0 : firstFieldAddress(module), module == nilObj ? 0 : numBytesOf(module),
                                  firstFieldAddress(name), numBytesOf(name));
    switch (id) {
    case NamedPrimConsoleLog: primitiveConsoleLog(); break;
    case NamedPrimFileStdioHandles: primitiveFileStdioHandles(); break;
    case NamedPrimFileWrite: primitiveFileWrite(); break;
    case NamedPrimFileFlush: primitiveFileFlush(); break;
    case NamedPrimFileOpen: primitiveFileOpen(); break;
    case NamedPrimFileOpenNew: primitiveFileOpenNew(); break;
    case NamedPrimFileClose: primitiveFileClose(); break;
    case NamedPrimFileRead: primitiveFileRead(); break;
    case NamedPrimFileSize: primitiveFileSize(); break;
    case NamedPrimFileGetPosition: primitiveFileGetPosition(); break;
    case NamedPrimFileSetPosition: primitiveFileSetPosition(); break;
    case NamedPrimFileAtEnd: primitiveFileAtEnd(); break;
    case NamedPrimFileTruncate: primitiveFileTruncate(); break;
    case NamedPrimFileSync: primitiveFileSync(); break;
    case NamedPrimFileDescriptorType: primitiveFileDescriptorType(); break;
    case NamedPrimFileDelete: primitiveFileDelete(); break;
    case NamedPrimFileRename: primitiveFileRename(); break;
    case NamedPrimDirectoryCreate: primitiveDirectoryCreate(); break;
    case NamedPrimDirectoryDelete: primitiveDirectoryDelete(); break;
    case NamedPrimDirectoryDelimitor: primitiveDirectoryDelimitor(); break;
    case NamedPrimDirectoryLookup: primitiveDirectoryLookup(); break;
    case NamedPrimDirectoryEntry: primitiveDirectoryEntry(); break;
    case NamedPrimDirectoryMacTypeAndCreator: primitiveDirectoryMacTypeAndCreator(); break;
    case NamedPrimHasFileAccess: primitiveHasFileAccess(); break;
    case NamedPrimDisableFileAccess: primitiveDisableFileAccess(); break;
    case NamedPrimStringHash: primitiveStringHash(); break;
    case NamedPrimCompareString: primitiveCompareString(); break;
    case NamedPrimFindSubstring: primitiveFindSubstring(); break;
    case NamedPrimFindFirstInString: primitiveFindFirstInString(); break;
    case NamedPrimIndexOfAsciiInString: primitiveIndexOfAsciiInString(); break;
    case NamedPrimTranslateStringWithTable: primitiveTranslateStringWithTable(); break;
    case NamedPrimConvert8BitSigned: primitiveConvert8BitSigned(); break;
    case NamedPrimObjectAddress: primitiveObjectAddress(); break;
    case NamedPrimCollectorCompacts: primitiveCollectorCompacts(); break;
    case NamedPrimSlotNamesForwarder: primitiveSlotNamesForwarder(); break;
    case NamedPrimLargeAdd: case NamedPrimLargeSubtract: case NamedPrimLargeMultiply: case NamedPrimLargeDivide:
    case NamedPrimLargeCompare: case NamedPrimLargeNormalizePositive: case NamedPrimLargeNormalizeNegative:
    case NamedPrimLargeBitAnd: case NamedPrimLargeBitOr: case NamedPrimLargeBitXor: case NamedPrimLargeBitShift:
        primitiveLargeIntegers(id);
        break;
    default:
        if (traceMissingPrimitives)
            platformReportMissingPrimitive(117, module == nilObj ? 0 : firstFieldAddress(module), module == nilObj ? 0 : numBytesOf(module),
                                           firstFieldAddress(name), numBytesOf(name));
        primitiveFailFor(PrimErrNotFound);
        break;
    }
}

/* ConsolePlugin>>primitiveLog: message level: level */
void primitiveConsoleLog(void)
{
    sqInt message = stackValue(1), level = stackValue(0);
    if (!isStringLike(message) || !isStringLike(level)) { primitiveFailFor(PrimErrBadArgument); return; }
    platformConsoleLog(firstFieldAddress(message), numBytesOf(message), firstFieldAddress(level), numBytesOf(level));
    popN(2);
}
