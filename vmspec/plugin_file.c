/* FilePlugin: the standard file primitives, so that an image writes to stdout exactly as it
 * would on Open-Smalltalk-VM. A file handle is a ByteArray holding this VM session's id and the
 * platform's file number; a handle from another session (a saved image) is refused. */
#include "internal.h"

sqInt newFileHandle(sqInt fileNumber)
{
    sqInt handle = instantiateClass(splObj(SpecialClassByteArray), FileHandleBytes);
    if (handle == 0) return 0;
    long32AtPut(firstFieldAddress(handle), platformSessionId());
    long32AtPut(firstFieldAddress(handle) + 4, fileNumber);
    return handle;
}

/* the platform file number of a handle, or -1 after failing the primitive */
sqInt fileNumberOf(sqInt handle)
{
    if (isImmediate(handle) || !isBytesFormat(formatOf(handle)) || numBytesOf(handle) != FileHandleBytes
        || long32At(firstFieldAddress(handle)) != platformSessionId()) {
        primitiveFailFor(PrimErrBadArgument);
        return -1;
    }
    return long32At(firstFieldAddress(handle) + 4);
}

void primitiveFileStdioHandles(void)
{
    sqInt handles = instantiateClass(splObj(SpecialClassArray), 3), i, h;
    if (handles == 0) { primitiveFailFor(PrimErrNoMemory); return; }
    for (i = 0; i < 3; i += 1) {
        h = newFileHandle(i);
        if (h == 0) { primitiveFailFor(PrimErrNoMemory); return; }
        storePointer(i, handles, h);
    }
    popThenPush(1, handles);
}

/* primitiveFileWrite: id from: stringOrByteArray startingAt: startIndex count: count */
void primitiveFileWrite(void)
{
    sqInt handle = stackValue(3), array = stackValue(2), start = stackValue(1), count = stackValue(0);
    sqInt fileNumber = fileNumberOf(handle), elementBytes, written;
    if (fileNumber < 0) return;
    if (isImmediate(array) || formatOf(array) < Format32Bit || formatOf(array) >= FormatCompiledMethod
        || !isIntegerObject(start) || !isIntegerObject(count)) { primitiveFailFor(PrimErrBadArgument); return; }
    elementBytes = formatOf(array) >= Format8Bit ? 1 : formatOf(array) >= Format16Bit ? 2 : 4;
    if (integerValueOf(start) < 1 || integerValueOf(count) < 0
        || integerValueOf(start) - 1 + integerValueOf(count) > numBytesOf(array) / elementBytes) { primitiveFailFor(PrimErrBadIndex); return; }
    written = platformWrite(fileNumber, firstFieldAddress(array) + (integerValueOf(start) - 1) * elementBytes,
                            integerValueOf(count) * elementBytes);
    if (written < 0) { primitiveFailFor(PrimErrGenericFailure); return; }
    popThenPush(5, integerObjectOf(written / elementBytes));
}

void primitiveFileFlush(void)
{
    sqInt fileNumber = fileNumberOf(stackTop());
    if (fileNumber < 0) return;
    platformFlush(fileNumber);
    popN(1);
}
