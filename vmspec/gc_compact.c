/* The two ways to reclaim old space after marking.
 *
 * Compaction slides live objects down in three passes, as Spur's planning compactor does:
 * plan (each live object's first slot is saved in a side buffer above old space and replaced
 * by its new address), update (every reference, roots included, follows those addresses),
 * move (first slots restored, objects copied down). A pinned object stays where it is: objects
 * after it slide down to its end, and the gap left before it becomes a free chunk (it is 0 or
 * the size of the dead objects there, so never too small for one). If the buffer does not fit,
 * this collection sweeps instead.
 *
 * Sweeping turns each run of dead objects into one free chunk on the free lists, which
 * old-space allocation searches first (free_lists.c). */
#include "internal.h"

sqInt savedFirstFieldAddress(sqInt k) { INLINE(always); return endOfOldObjects + 2 * AllocationUnit + k * BytesPerWord; }

sqInt pointerSlotsGivenFirstField(sqInt oop, sqInt first)
{
    if (formatOf(oop) >= FormatCompiledMethod) return 1 + (integerValueOf(first) & HeaderNumLiteralsMask);
    return numPointerSlotsOf(oop);
}

sqInt compactOldSpace(void)
{
    sqInt a, oop, bytes, live = 0, k, free, i, n, addr, v, next, overflow, gaps, lastGap;
    for (a = oldSpaceStart; a < endOfOldObjects; a += bytesInObject(oop)) {
        oop = objectStartingAt(a);
        if (isMarkedOop(oop)) live += 1;
    }
    if (savedFirstFieldAddress(live) > oldSpaceLimit && !ensureOldSpaceUpTo(savedFirstFieldAddress(live))) return 0;
    /* plan */
    free = oldSpaceStart;
    k = 0;
    for (a = oldSpaceStart; a < endOfOldObjects; a += bytes) {
        oop = objectStartingAt(a);
        bytes = bytesInObject(oop);
        if (!isMarkedOop(oop)) continue;
        longAtPut(savedFirstFieldAddress(k), longAt(oop + BaseHeaderSize));
        if (isPinnedOop(oop)) free = a;
        longAtPut(oop + BaseHeaderSize, free + (oop - a));
        free += bytes;
        k += 1;
    }
    /* update: every reference, then the roots */
    k = 0;
    for (a = oldSpaceStart; a < endOfOldObjects; a += bytesInObject(oop)) {
        oop = objectStartingAt(a);
        if (!isMarkedOop(oop)) continue;
        n = pointerSlotsGivenFirstField(oop, longAt(savedFirstFieldAddress(k)));
        for (i = 0; i < n; i += 1) {
            addr = i == 0 ? savedFirstFieldAddress(k) : oop + BaseHeaderSize + i * BytesPerWord;
            v = longAt(addr);
            if (isOldHeapObject(v)) longAtPut(addr, longAt(v + BaseHeaderSize));
        }
        if (n == 0 && isMournQueuePage(oop)) updateMournQueuePage(oop, longAt(savedFirstFieldAddress(k)));
        k += 1;
    }
    scanStackPages(RootUpdate);
    specialObjectsOop = forwardedOop(specialObjectsOop);
    messageSelector = forwardedOop(messageSelector);
    newMethod = forwardedOop(newMethod);
    snapshotReceiver = forwardedOop(snapshotReceiver);
    /* move; the gaps before pinned objects are chained in address order through their first two
     * words (size, next) until the free lists can take them, in the order a load rebuilds them */
    SIM_ONLY(simForgetObjectStarts(oldSpaceStart, endOfOldObjects));
    k = 0;
    free = oldSpaceStart;
    gaps = 0;
    lastGap = 0;
    for (a = oldSpaceStart; a < endOfOldObjects; a = next) {
        oop = objectStartingAt(a);
        bytes = bytesInObject(oop);
        next = a + bytes;
        if (!isMarkedOop(oop)) continue;
        overflow = oop - a;
        v = longAt(oop + BaseHeaderSize);
        longAtPut(oop + BaseHeaderSize, longAt(savedFirstFieldAddress(k)));
        clearMarkedOop(oop);
        if (v - overflow > free) {
            long64AtPut(free, v - overflow - free);
            long64AtPut(free + AllocationUnit, 0);
            if (lastGap == 0) gaps = free;
            else long64AtPut(lastGap + AllocationUnit, free);
            lastGap = free;
        }
        if (v != oop) copyWords(a, v - overflow, bytes);
        SIM_ONLY(simNoteObjectStart(v, v - overflow + bytes));
        SIM_ONLY(simNoteObjectMoved(oop, v));
        free = v - overflow + bytes;
        k += 1;
    }
    endOfOldObjects = free;
    writeOldSpaceEndBridge();
    resetFreeLists();
    /* zeroed, as a loaded image's free chunks are, so that a snapshot reads back the same */
    while (gaps != 0) {
        next = long64At(gaps + AllocationUnit);
        bytes = long64At(gaps);
        for (a = gaps; a < gaps + bytes; a += AllocationUnit) long64AtPut(a, 0);
        makeFreeChunk(gaps, bytes);
        gaps = next;
    }
    return 1;
}

/* a run of dead objects as one free chunk; the pages inside a chunk of a segment or more go back
 * to the system (a non-moving collector cannot empty whole segments, but it can do this) */
void makeSweptChunk(sqInt start, sqInt bytes)
{
    makeFreeChunk(start, bytes);
    if (bytes >= OldSpaceSegmentBytes) {
        platformReleasePages(start + 4 * AllocationUnit, bytes - 4 * AllocationUnit);
        oldSpaceBytesReleasedInChunks += bytes;
    }
}

/* Dead objects, free chunks and the bridges of earlier holes make runs; each run becomes free
 * chunks, and a hole where it covers whole segments (layOutDeadRun). */
void sweepOldSpace(void)
{
    sqInt a, oop, bytes, runStart = 0, holesBefore = oldSpaceHoleBytes, runHasHole = 0;
    resetFreeLists();
    oldSpaceBytesReleasedInChunks = 0;
    oldSpaceHoleBytes = 0;
    SIM_ONLY(simForgetObjectStarts(oldSpaceStart, endOfOldObjects));
    for (a = oldSpaceStart; a < endOfOldObjects; a += bytes) {
        oop = objectStartingAt(a);
        bytes = bytesInObject(oop);
        if (isMarkedOop(oop) && !isSegmentBridge(oop)) {
            clearMarkedOop(oop);
            SIM_ONLY(simNoteObjectStart(oop, a + bytes));
            if (runStart != 0) { oldSpaceHoleBytes += layOutDeadRun(runStart, a); runStart = 0; runHasHole = 0; }
        } else {
            if (runStart == 0) runStart = a;
            if (isSegmentBridge(oop)) runHasHole = 1;
        }
    }
    /* a dead run at the end is not a chunk: old space ends before it (and may shrink); what
     * lies beyond the end up to oldSpaceLimit must be committed, holes in the run included */
    if (runStart != 0) {
        endOfOldObjects = runStart;
        if (runHasHole && !platformCommitMemory(runStart, oldSpaceLimit - runStart)) vmFatal(FatalOutOfMemory);
        writeOldSpaceEndBridge();
    }
    if (oldSpaceHoleBytes > holesBefore) oldSpaceSegmentsRemoved += (oldSpaceHoleBytes - holesBefore) / OldSpaceSegmentBytes;
    else oldSpaceSegmentsAdded += (holesBefore - oldSpaceHoleBytes) / OldSpaceSegmentBytes;
}
