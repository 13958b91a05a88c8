/* The heap verifier: every reference held by an object or a frame is an immediate or names an
 * object start; nothing refers to a forwarder or a free chunk (a weak slot included: after a
 * collection it is nil or names a live object); every old object that refers to new space is
 * remembered; no young object is pinned (slot -4), and no pinned one moves (pinnedObjectsDigest,
 * around reclaiming); every class index names a class in the table or is one of the memory
 * manager's puns (slot -5); forwarders only in old space, between a become and the next full
 * collection (slot -6), and never where the VM reads without the read barrier (slot -7); the
 * free lists hold exactly the free chunks (free_lists.c); the mourn queue's pages are well formed
 * and hold old objects, none twice (slot -8, mourn_queue.c); no object is left marked as listed
 * by the ephemeron marker (slot -9).
 * After a full collection (verifyHeapAfterFullGC) there is no forwarder at all and every class
 * past the table's first page is at its own index. It runs around every collection in the
 * simulator and in the assert flavours (ASSERT(verifyHeap() == 0)); the first failures are
 * reported through the platform.
 * Object starts are noted in a bitmap it lays out in free old space, one bit per 8 bytes of
 * [newSpaceStart, endOfOldObjects). */
#include "internal.h"

sqInt verifyBitmapBase(void) { return endOfOldObjects + 4 * AllocationUnit; }

/* whole words, cleared a word at a time */
sqInt verifyBitmapBytes(void) { return ((endOfOldObjects - newSpaceStart) / AllocationUnit / 8 + BytesPerWord) & ~(BytesPerWord - 1); }

void noteObjectStartsIn(sqInt start, sqInt end)
{
    sqInt a, oop, bit, byte;
    for (a = start; a < end; a += bytesInObject(oop)) {
        oop = objectStartingAt(a);
        bit = (oop - newSpaceStart) / AllocationUnit;
        byte = verifyBitmapBase() + (bit >> 3);
        byteAtPut(byte, byteAt(byte) | (1 << (bit & 7)));
    }
}

/* an object start noted in the verifier's bitmap */
sqInt isNotedObjectStart(sqInt oop)
{
    sqInt bit;
    if (oop < newSpaceStart || oop >= endOfOldObjects || (oop & (AllocationUnit - 1)) != 0) return 0;
    bit = (oop - newSpaceStart) / AllocationUnit;
    return ((byteAt(verifyBitmapBase() + (bit >> 3)) >> (bit & 7)) & 1) != 0;
}

/* references to forwarders are valid between a become and the next full collection's marking
 * (the read barrier follows them lazily) */
sqInt isValidReference(sqInt v)
{
    if (isImmediate(v)) return isValidImmediate(v);
    if (!isNotedObjectStart(v)) return 0;
    if (classIndexOf(v) == ForwardedClassIndex) return forwardersLive && !verifyingAfterFullGC && !isYoungOop(v);
    return classIndexOf(v) != FreeChunkClassIndex;
}

/* where the VM reads without the read barrier there is never a forwarder: the frames' methods
 * and receivers, the special objects and the class table (slot -7) */
void verifyRootsUnforwarded(void)
{
    sqInt i, n, page, fp, v;
    for (i = 0; i < numStackPages; i += 1) {
        page = pageAtIndex(i);
        if (isFreePage(page)) continue;
        for (fp = page == stackPage ? framePointer : pageField(page, PageHeadFP); fp != 0; fp = frameCallerFP(fp)) {
            if (isNonImmediate(frameMethod(fp)) && isForwarded(frameMethod(fp))) verifyFailed(fp + FoxMethod * BytesPerWord, -7, frameMethod(fp));
            v = frameReceiver(fp);
            if (isNonImmediate(v) && isNotedObjectStart(v) && isForwarded(v)) verifyFailed(fp + FoxReceiver * BytesPerWord, -7, v);
        }
    }
    n = numSlotsOf(specialObjectsOop);
    for (i = 0; i < n; i += 1) {
        v = fetchPointer(i, specialObjectsOop);
        if (isNonImmediate(v) && isNotedObjectStart(v) && isForwarded(v)) verifyFailed(specialObjectsOop, -7, v);
    }
    for (i = 0; i < ClassTableRootSlots; i += 1) {
        page = fetchPointer(i, hiddenRootsObj);
        if (page == nilObj) continue;
        n = numSlotsOf(page);
        for (fp = 0; fp < n; fp += 1) {
            v = fetchPointer(fp, page);
            if (isNonImmediate(v) && isNotedObjectStart(v) && isForwarded(v)) verifyFailed(page, -7, v);
        }
    }
}

void verifyFailed(sqInt where, sqInt slot, sqInt value)
{
    if (verifyFailures < 3) platformReportBadReference(where, slot, value);
    verifyFailures += 1;
}

/* answers the number of free chunks met */
sqInt verifyObjectsIn(sqInt start, sqInt end, sqInt checkRemembered)
{
    sqInt a, oop, n, i, v, young, freeChunks = 0;
    for (a = start; a < end; a += bytesInObject(oop)) {
        oop = objectStartingAt(a);
        if (classIndexOf(oop) == FreeChunkClassIndex) freeChunks += 1;
        if (classIndexOf(oop) == SmallIntegerOddClassIndex || classIndexOf(oop) == FreeChunkClassIndex) continue;
        n = numPointerSlotsOf(oop);
        young = 0;
        for (i = 0; i < n; i += 1) {
            v = longAt(oop + BaseHeaderSize + i * BytesPerWord);
            if (!isValidReference(v)) verifyFailed(oop, i, v);
            if (isYoungOop(v)) young = 1;
        }
        if (checkRemembered && young && !isRemembered(oop)) verifyFailed(oop, -1, 0);
        if (isYoungOop(oop) && isPinnedOop(oop)) verifyFailed(oop, -4, 0);
        if (isUnscannedEphemeron(oop)) verifyFailed(oop, -9, 0);
        verifyClassIndexOf(oop);
    }
    return freeChunks;
}

void verifyClassIndexOf(sqInt oop)
{
    sqInt index = classIndexOf(oop), cls;
    if (index == ForwardedClassIndex) {
        if (verifyingAfterFullGC || isYoungOop(oop)) verifyFailed(oop, -6, 0);
        return;
    }
    if (index < FirstValidClassIndex) {
        if (index != ArrayClassIndexPun && index != WordSizeClassIndexPun - 1 && index != WordSizeClassIndexPun) verifyFailed(oop, -5, index);
        return;
    }
    cls = classAtIndex(index);
    if (cls == nilObj || !isValidReference(cls) || !couldBeClass(cls)) verifyFailed(oop, -5, index);
    else if (verifyingAfterFullGC && index >= ClassTablePageSize && rawHashOf(cls) != index) verifyFailed(oop, -5, index);
}

/* pinned objects do not move: a digest of their addresses (in address order, which reclaiming
 * keeps), of the marked ones before reclaiming old space and of all of them after */
sqInt pinnedObjectsDigest(sqInt markedOnly)
{
    sqInt a, oop;
    usqInt digest = 0;
    for (a = oldSpaceStart; a < endOfOldObjects; a += bytesInObject(oop)) {
        oop = objectStartingAt(a);
        if (classIndexOf(oop) != FreeChunkClassIndex && isPinnedOop(oop) && (!markedOnly || isMarkedOop(oop)))
            digest = digest * 31 + (usqInt)oop;
    }
    return (sqInt)digest;
}

sqInt notePinnedObjectsDigest(void)
{
    pinnedDigestBeforeGC = pinnedObjectsDigest(1);
    return 1;
}

/* the number of failures found; 0 when the heap is sound (or there is no room to check it) */
sqInt verifyHeap(void)
{
    sqInt a;
    /* the simulator ran this very collection on a copy of the heap first and verified it there,
     * before and after: on the original it would find the same */
    SIM_ONLY(if (simCollectionVerifiedOnCopy()) return 0);
    if (verifyBitmapBase() + verifyBitmapBytes() > oldSpaceLimit && !ensureOldSpaceUpTo(verifyBitmapBase() + verifyBitmapBytes())) return 0;
    for (a = verifyBitmapBase(); a < verifyBitmapBase() + verifyBitmapBytes(); a += BytesPerWord) longAtPut(a, 0);
    noteObjectStartsIn(oldSpaceStart, endOfOldObjects);
    noteObjectStartsIn(pastSpaceStart, pastSpaceFree);
    noteObjectStartsIn(edenStart, freeStart);
    verifyFailures = 0;
    verifyFreeLists(verifyObjectsIn(oldSpaceStart, endOfOldObjects, !rememberedSetOverflowed));
    verifyObjectsIn(pastSpaceStart, pastSpaceFree, 0);
    verifyObjectsIn(edenStart, freeStart, 0);
    verifyMournQueue();
    scanStackPages(RootVerify);
    verifyRootsUnforwarded();
    return verifyFailures;
}

sqInt verifyHeapAfterFullGC(void)
{
    sqInt failures;
    verifyingAfterFullGC = 1;
    failures = verifyHeap();
    verifyingAfterFullGC = 0;
    return failures;
}
