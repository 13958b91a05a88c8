/* The snapshot primitive: the running system written as a Spur image that resumes right here.
 *
 * Every frame is flushed into its context and a full collection empties new space and compacts
 * old space, so that old space alone holds the live system; it is written as one segment ending in the final bridge, after a
 * header in Open-Smalltalk-VM's layout. The saved process finds true on its stack (it is being
 * resumed); the running one finds false. The platform writes to a temporary file and renames
 * it, so a failed write loses nothing. */
#include "internal.h"

void divorceAllPages(void)
{
    sqInt i, page;
    for (i = 0; i < numStackPages; i += 1) {
        page = pageAtIndex(i);
        if (!isFreePage(page)) divorceFramesIn(page);
    }
}

void headerWordPut(sqInt header, sqInt offset, sqInt value)
{
    if (BytesPerWord == 8) long64AtPut(header + offset, value);
    else long32AtPut(header + offset, value);
}

/* add delta to every reference in old space (free-list links included), to the special objects
 * oop and to the free list heads: the heap as it would be at another base address */
void relocateOldSpaceBy(sqInt delta)
{
    sqInt a, oop, n, i, v, addr;
    for (a = oldSpaceStart; a < endOfOldObjects; a += bytesInObject(oop)) {
        oop = objectStartingAt(a);
        n = classIndexOf(oop) == FreeChunkClassIndex ? 1 : numPointerSlotsOf(oop);
        for (i = 0; i < n; i += 1) {
            addr = oop + BaseHeaderSize + i * BytesPerWord;
            v = longAt(addr);
            if (v != 0 && isNonImmediate(v)) longAtPut(addr, v + delta);
        }
    }
    for (i = 0; i < numSlotsOf(freeListsObj); i += 1)
        if (longAt(freeListHead(i)) != 0) longAtPut(freeListHead(i), longAt(freeListHead(i)) + delta);
}

/* write old space as an image; 0 on success. Oops are written as if old space started at the
 * loaded image's base address, so that the bytes written do not depend on where the heap was
 * mapped: an image loaded and written again is the same file. */
sqInt writeSnapshot(void)
{
    sqInt headerBytes = BytesPerWord == 8 ? ImageHeaderBytes64 : ImageHeaderBytes32;
    sqInt bodyBytes = endOfOldObjects + 2 * AllocationUnit - oldSpaceStart;
    sqInt header = endOfOldObjects + 2 * AllocationUnit, a, rc;
    sqInt w = BytesPerWord, delta = imageOldBase - oldSpaceStart;
    if (header + headerBytes > oldSpaceLimit && !ensureOldSpaceUpTo(header + headerBytes)) return -1;
    for (a = header; a < header + headerBytes; a += 4) long32AtPut(a, 0);
    long32AtPut(header, imageFormat);
    long32AtPut(header + 4, headerBytes);
    headerWordPut(header, 8, bodyBytes);
    headerWordPut(header, 8 + w, imageOldBase);
    headerWordPut(header, 8 + 2 * w, specialObjectsOop + delta);
    long32AtPut(header + 8 + 3 * w, lastHash);
    headerWordPut(header, 8 + 4 * w, imageSavedWindowSize);
    headerWordPut(header, 8 + 5 * w, imageHeaderFlags);
    long32AtPut(header + 8 + 6 * w + 4, numStackPages);
    long32AtPut(header + 8 + 6 * w + 8, edenHardLimit - edenStart);
    headerWordPut(header, 8 + 6 * w + 16, bodyBytes);
    relocateOldSpaceBy(delta);
    rc = platformWriteImageFile(header, headerBytes, oldSpaceStart, bodyBytes);
    relocateOldSpaceBy(-delta);
    return rc;
}

/* the image as loaded, written again without running it (talc --save-as): 0 on success */
sqInt saveImageAsLoaded(void) { return writeSnapshot(); }

void primitiveSnapshot(void)
{
    sqInt ctx, rc, proc;
    snapshotReceiver = stackValue(argumentCount);
    popThenPush(argumentCount + 1, trueObj);
    ctx = divorceActivePage();
    divorceAllPages();
    proc = activeProcess();
    storePointer(ProcessSuspendedContextIndex, proc, ctx);
    fullGC();
    rc = writeSnapshot();
    proc = activeProcess();
    ctx = fetchPointer(ProcessSuspendedContextIndex, proc);
    storePointer(ProcessSuspendedContextIndex, proc, nilObj);
    executeContextInNewPage(ctx);
    if (rc != 0) {
        stackValuePut(0, snapshotReceiver);
        snapshotReceiver = nilObj;
        primitiveFailFor(PrimErrOperationFailed);
        return;
    }
    snapshotReceiver = nilObj;
    stackValuePut(0, falseObj);
}
