/* FilePlugin: files and directories with Open-Smalltalk-VM's primitives (argument order,
 * answers, failures), the work done by the platform (platforms/files.c) by file number.
 * A file handle is a ByteArray holding this VM session's id and the platform's file number; a
 * handle from another session (a saved image) or of a closed file (its session id zeroed) is
 * refused. Every primitive checks its arguments and fails cleanly, so the image's code runs. */
#include "internal.h"

sqInt newFileHandle(sqInt fileNumber)
{
    sqInt handle = instantiateClass(splObj(SpecialClassByteArray), FileHandleBytes);
    if (handle == 0) return 0;
    long32AtPut(firstFieldAddress(handle), currentSessionId());
    long32AtPut(firstFieldAddress(handle) + 4, fileNumber);
    return handle;
}

/* the platform file number of a handle, or -1 after failing the primitive */
sqInt fileNumberOf(sqInt handle)
{
    if (isImmediate(handle) || !isBytesFormat(formatOf(handle)) || numBytesOf(handle) != FileHandleBytes
        || long32At(firstFieldAddress(handle)) != currentSessionId()) {
        primitiveFailFor(PrimErrBadArgument);
        return -1;
    }
    return long32At(firstFieldAddress(handle) + 4);
}

/* true if the primitive was called with n arguments; fails it otherwise */
sqInt pluginArgumentCountIs(sqInt n)
{
    if (argumentCount == n) return 1;
    primitiveFailFor(PrimErrBadNumArgs);
    return 0;
}

/* a bytes object (a String, Symbol or ByteArray), as Open-Smalltalk-VM's isBytes */
sqInt isBytesObject(sqInt oop) { return isNonImmediate(oop) && isBytesFormat(formatOf(oop)); }

/* bytes per element of a raw-bits object (64, 32, 16 or 8-bit indexable), 0 for any other object */
sqInt bitsElementBytes(sqInt oop)
{
    sqInt fmt;
    if (isImmediate(oop)) return 0;
    fmt = formatOf(oop);
    if (fmt == Format64Bit) return 8;
    if (fmt >= Format32Bit && fmt < Format16Bit) return 4;
    if (fmt >= Format16Bit && fmt < Format8Bit) return 2;
    if (fmt >= Format8Bit && fmt < FormatCompiledMethod) return 1;
    return 0;
}

/* a non-negative integer argument (SmallInteger or up to 8 bytes large), -1 after failing */
sqLong positiveArgument(sqInt oop)
{
    sqLong v = signed64BitValueOf(oop);
    if (primFailCode != 0 || v < 0) { primitiveFailFor(PrimErrBadArgument); return -1; }
    return v;
}

/* answer an integer of any size in place of the receiver and n arguments */
void popThenPushInteger(sqInt n, sqLong value)
{
    sqInt result = signed64BitIntegerFor(value);
    if (result == 0) { primitiveFailFor(PrimErrNoMemory); return; }
    popThenPush(n + 1, result);
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
    popThenPush(argumentCount + 1, handles);
}

/* primOpen: fileName writable: aBoolean — a new handle, or fail if the file cannot be opened */
void primitiveFileOpen(void)
{
    sqInt name, writable, file, handle;
    if (!pluginArgumentCountIs(2)) return;
    name = stackValue(1);
    writable = stackValue(0);
    if (!isBytesObject(name) || (writable != trueObj && writable != falseObj)) { primitiveFailFor(PrimErrBadArgument); return; }
    file = platformFileOpen(firstFieldAddress(name), numBytesOf(name), writable == trueObj);
    if (file < 0) { primitiveFail(); return; }
    handle = newFileHandle(file);
    if (handle == 0) { platformFileClose(file); primitiveFailFor(PrimErrNoMemory); return; }
    popThenPush(3, handle);
}

/* primOpenNew: fileName — a new file opened for writing; fails (PrimErrInappropriate if it exists) */
void primitiveFileOpenNew(void)
{
    sqInt name, file, handle;
    if (!pluginArgumentCountIs(1)) return;
    name = stackValue(0);
    if (!isBytesObject(name)) { primitiveFailFor(PrimErrBadArgument); return; }
    file = platformFileOpenNew(firstFieldAddress(name), numBytesOf(name));
    if (file == -2) { primitiveFailFor(PrimErrInappropriate); return; }
    if (file < 0) { primitiveFail(); return; }
    handle = newFileHandle(file);
    if (handle == 0) { platformFileClose(file); primitiveFailFor(PrimErrNoMemory); return; }
    popThenPush(2, handle);
}

/* primClose: id — the handle is dead afterwards (its session id is zeroed) */
void primitiveFileClose(void)
{
    sqInt handle, file;
    if (!pluginArgumentCountIs(1)) return;
    handle = stackValue(0);
    file = fileNumberOf(handle);
    if (file < 0) return;
    long32AtPut(firstFieldAddress(handle), 0);
    if (platformFileClose(file) < 0) { primitiveFail(); return; }
    popN(1);
}

/* primRead: / primWrite: id with: stringOrByteArray startingAt: startIndex count: count —
 * the elements transferred (a read answers 0 at the end of the file); elements of words
 * objects move whole */
void fileTransfer(sqInt writing)
{
    sqInt array, file, elementBytes, done, address;
    sqLong start, count;
    if (!pluginArgumentCountIs(4)) return;
    file = fileNumberOf(stackValue(3));
    if (file < 0) return;
    array = stackValue(2);
    elementBytes = bitsElementBytes(array);
    if (elementBytes == 0 || !isIntegerObject(stackValue(1)) || !isIntegerObject(stackValue(0))) { primitiveFailFor(PrimErrBadArgument); return; }
    start = integerValueOf(stackValue(1));
    count = integerValueOf(stackValue(0));
    if (start < 1 || count < 0 || start - 1 + count > numBytesOf(array) / elementBytes) { primitiveFailFor(PrimErrBadIndex); return; }
    address = firstFieldAddress(array) + (start - 1) * elementBytes;
    done = writing ? platformFileWrite(file, address, count * elementBytes) : platformFileRead(file, address, count * elementBytes);
    if (done < 0) { primitiveFail(); return; }
    popThenPush(5, integerObjectOf(done / elementBytes));
}

void primitiveFileRead(void) { fileTransfer(0); }
void primitiveFileWrite(void) { fileTransfer(1); }

void primitiveFileFlush(void)
{
    sqInt file;
    if (!pluginArgumentCountIs(1)) return;
    file = fileNumberOf(stackValue(0));
    if (file < 0) return;
    if (platformFileFlush(file) < 0) { primitiveFail(); return; }
    popN(1);
}

void primitiveFileSync(void)
{
    sqInt file;
    if (!pluginArgumentCountIs(1)) return;
    file = fileNumberOf(stackValue(0));
    if (file < 0) return;
    if (platformFileSync(file) < 0) { primitiveFail(); return; }
    popN(1);
}

/* primSize: id — the file's size in bytes */
void primitiveFileSize(void)
{
    sqInt file, size;
    if (!pluginArgumentCountIs(1)) return;
    file = fileNumberOf(stackValue(0));
    if (file < 0) return;
    size = platformFileSize(file);
    if (size < 0) { primitiveFail(); return; }
    popThenPushInteger(1, size);
}

/* primGetPosition: id — the position from 0 */
void primitiveFileGetPosition(void)
{
    sqInt file, position;
    if (!pluginArgumentCountIs(1)) return;
    file = fileNumberOf(stackValue(0));
    if (file < 0) return;
    position = platformFileGetPosition(file);
    if (position < 0) { primitiveFail(); return; }
    popThenPushInteger(1, position);
}

/* primSetPosition: id to: position */
void primitiveFileSetPosition(void)
{
    sqInt file;
    sqLong position;
    if (!pluginArgumentCountIs(2)) return;
    file = fileNumberOf(stackValue(1));
    if (file < 0) return;
    position = positiveArgument(stackValue(0));
    if (position < 0) return;
    if (platformFileSetPosition(file, position) < 0) { primitiveFail(); return; }
    popN(2);
}

/* primAtEnd: id */
void primitiveFileAtEnd(void)
{
    sqInt file, atEnd;
    if (!pluginArgumentCountIs(1)) return;
    file = fileNumberOf(stackValue(0));
    if (file < 0) return;
    atEnd = platformFileAtEnd(file);
    if (atEnd < 0) { primitiveFail(); return; }
    popThenPush(2, booleanObjectOf(atEnd));
}

/* primTruncate: id to: anInteger — the position is left where it was */
void primitiveFileTruncate(void)
{
    sqInt file;
    sqLong size;
    if (!pluginArgumentCountIs(2)) return;
    file = fileNumberOf(stackValue(1));
    if (file < 0) return;
    size = positiveArgument(stackValue(0));
    if (size < 0) return;
    if (platformFileTruncate(file, size) < 0) { primitiveFail(); return; }
    popN(2);
}

/* primFileDescriptorType: fdNum — 1 a terminal, 2 a pipe, 3 a file, -1 an error (Pharo's VM) */
void primitiveFileDescriptorType(void)
{
    if (!pluginArgumentCountIs(1)) return;
    if (!isIntegerObject(stackValue(0))) { primitiveFailFor(PrimErrBadArgument); return; }
    popThenPush(2, integerObjectOf(platformFileDescriptorType(integerValueOf(stackValue(0)))));
}

/* primDeleteFile: fullName */
void primitiveFileDelete(void)
{
    sqInt name;
    if (!pluginArgumentCountIs(1)) return;
    name = stackValue(0);
    if (!isBytesObject(name)) { primitiveFailFor(PrimErrBadArgument); return; }
    if (platformFileDelete(firstFieldAddress(name), numBytesOf(name)) < 0) { primitiveFail(); return; }
    popN(1);
}

/* primRename: oldName to: newName */
void primitiveFileRename(void)
{
    sqInt oldName, newName;
    if (!pluginArgumentCountIs(2)) return;
    oldName = stackValue(1);
    newName = stackValue(0);
    if (!isBytesObject(oldName) || !isBytesObject(newName)) { primitiveFailFor(PrimErrBadArgument); return; }
    if (platformFileRename(firstFieldAddress(oldName), numBytesOf(oldName), firstFieldAddress(newName), numBytesOf(newName)) < 0) {
        primitiveFail();
        return;
    }
    popN(2);
}

/* primCreateDirectory: fullPath */
void primitiveDirectoryCreate(void)
{
    sqInt path;
    if (!pluginArgumentCountIs(1)) return;
    path = stackValue(0);
    if (!isBytesObject(path)) { primitiveFailFor(PrimErrBadArgument); return; }
    if (platformDirectoryCreate(firstFieldAddress(path), numBytesOf(path)) < 0) { primitiveFail(); return; }
    popN(1);
}

/* primDeleteDirectory: fullPath */
void primitiveDirectoryDelete(void)
{
    sqInt path;
    if (!pluginArgumentCountIs(1)) return;
    path = stackValue(0);
    if (!isBytesObject(path)) { primitiveFailFor(PrimErrBadArgument); return; }
    if (platformDirectoryDelete(firstFieldAddress(path), numBytesOf(path)) < 0) { primitiveFail(); return; }
    popN(1);
}

void primitiveDirectoryDelimitor(void)
{
    popThenPush(argumentCount + 1, characterObjectOf(47));
}

/* the entry the platform found last as Pharo's VM answers it: {name. creation time. modification
 * time. isDirectory. size. POSIX permissions. isSymlink}; 0 if memory is out */
sqInt directoryEntryArray(void)
{
    sqInt entry, name, n, i, value;
    entry = instantiateClass(splObj(SpecialClassArray), 7);
    if (entry == 0) return 0;
    n = platformDirEntryNameLength();
    name = instantiateClass(splObj(SpecialClassByteString), n);
    if (name == 0) return 0;
    platformDirEntryCopyName(firstFieldAddress(name), n);
    storePointer(0, entry, name);
    for (i = 0; i < 6; i += 1) {
        if (i == 2 || i == 5) value = booleanObjectOf(platformDirEntryField(i));
        else value = signed64BitIntegerFor(platformDirEntryField(i));
        if (value == 0) return 0;
        storePointer(i + 1, entry, value);
    }
    return entry;
}

/* answer the entry for a platform lookup's status: nil for no entry, fail for a bad path */
void pushDirectoryEntry(sqInt status)
{
    sqInt entry;
    if (status == 1) { popThenPush(3, nilObj); return; }
    if (status != 0) { primitiveFail(); return; }
    entry = directoryEntryArray();
    if (entry == 0) { primitiveFailFor(PrimErrNoMemory); return; }
    popThenPush(3, entry);
}

/* primLookupEntryIn: fullPath index: index — the index-th entry, nil after the last */
void primitiveDirectoryLookup(void)
{
    sqInt path, index;
    if (!pluginArgumentCountIs(2)) return;
    path = stackValue(1);
    index = stackValue(0);
    if (!isBytesObject(path) || !isIntegerObject(index)) { primitiveFailFor(PrimErrBadArgument); return; }
    pushDirectoryEntry(platformDirectoryLookup(firstFieldAddress(path), numBytesOf(path), integerValueOf(index)));
}

/* primLookupEntryIn: fullPath name: aName — that entry, nil if there is none */
void primitiveDirectoryEntry(void)
{
    sqInt path, name;
    if (!pluginArgumentCountIs(2)) return;
    path = stackValue(1);
    name = stackValue(0);
    if (!isBytesObject(path) || !isBytesObject(name)) { primitiveFailFor(PrimErrBadArgument); return; }
    pushDirectoryEntry(platformDirectoryEntry(firstFieldAddress(path), numBytesOf(path), firstFieldAddress(name), numBytesOf(name)));
}

/* get/setMacFileNamed: type: creator: — Unix files have neither: checked, then nothing done */
void primitiveDirectoryMacTypeAndCreator(void)
{
    sqInt creator, type;
    if (!pluginArgumentCountIs(3)) return;
    creator = stackValue(0);
    type = stackValue(1);
    if (!isBytesObject(stackValue(2)) || !isBytesObject(type) || numBytesOf(type) != 4 || !isBytesObject(creator) || numBytesOf(creator) != 4) {
        primitiveFailFor(PrimErrBadArgument);
        return;
    }
    popN(3);
}

void primitiveHasFileAccess(void) { popThenPush(argumentCount + 1, trueObj); }

void primitiveDisableFileAccess(void) { popN(argumentCount); }
