/* Old space grows and shrinks by segments. At load the VM reserves address space for the
 * largest old space allowed (--maxoldspace) but commits only [oldSpaceStart, oldSpaceLimit):
 * the image and a segment of room. When allocation at the end, the compactor's side buffer or
 * the verifier's bitmap finds no room, whole segments are committed above; after a full GC,
 * empty segments beyond one spare above the last object are given back to the system.
 * Mark-sweep cannot move objects out of a segment, so an empty segment may lie between live
 * ones: the sweeper gives it back too, leaving a hole spanned by a bridge, as Spur does (a
 * marked pseudo-object of class index 3 whose size reaches the next segment, so every heap walk
 * steps over the hole without reading it). Holes are committed again (as free chunks) when old
 * space would otherwise grow at its end, and before a snapshot, which writes old space as one
 * segment (images saved as several segments are joined at load). */
#include "internal.h"

sqInt roundUpToSegment(sqInt bytes) { return (bytes + OldSpaceSegmentBytes - 1) / OldSpaceSegmentBytes * OldSpaceSegmentBytes; }

/* commits segments until oldSpaceLimit reaches address; 0 if the reservation or the system
 * says no */
sqInt ensureOldSpaceUpTo(sqInt address)
{
    sqInt bytes;
    if (address <= oldSpaceLimit) return 1;
    if (address > oldSpaceReservedLimit) return 0;
    bytes = roundUpToSegment(address - oldSpaceLimit);
    if (oldSpaceLimit + bytes > oldSpaceReservedLimit) bytes = oldSpaceReservedLimit - oldSpaceLimit;
    if (!platformCommitMemory(oldSpaceLimit, bytes)) return 0;
    oldSpaceLimit += bytes;
    oldSpaceSegmentsAdded += (bytes + OldSpaceSegmentBytes - 1) / OldSpaceSegmentBytes;
    if (oldSpaceLimit - oldSpaceStart > oldSpacePeakCommitted) oldSpacePeakCommitted = oldSpaceLimit - oldSpaceStart;
    return 1;
}

/* after a full GC: keep the objects and one spare segment; give back the rest when it is two
 * segments or more (so that a heap at the boundary does not commit and release by turns) */
void shrinkOldSpace(void)
{
    sqInt keep = oldSpaceStart + roundUpToSegment(endOfOldObjects - oldSpaceStart + 2 * AllocationUnit) + OldSpaceSegmentBytes;
    sqInt excess = oldSpaceLimit - keep;
    if (excess < 2 * OldSpaceSegmentBytes) return;
    platformDecommitMemory(keep, excess);
    oldSpaceLimit = keep;
    oldSpaceSegmentsRemoved += excess / OldSpaceSegmentBytes;
}

/* the end of old space: a marked, empty-looking object of two units that walks stop at */
void writeOldSpaceEndBridge(void)
{
    long64AtPut(endOfOldObjects, MarkedBit | ((sqLong)Format32Bit << FormatShift) | SmallIntegerOddClassIndex);
    long64AtPut(endOfOldObjects + AllocationUnit, 0);
}

/* ---- holes in old space (mark-sweep) ---- */

sqInt isSegmentBridge(sqInt oop) { INLINE(always); return classIndexOf(oop) == SmallIntegerOddClassIndex; }

/* the first segment boundary (counted from oldSpaceStart) at or above address */
sqInt segmentBoundaryAbove(sqInt address) { return oldSpaceStart + roundUpToSegment(address - oldSpaceStart); }

/* a bridge from address (two words: an overflow count, then the header) over [address + two
 * words, end): the hole it spans is given back to the system */
void writeSegmentBridge(sqInt address, sqInt end)
{
    sqInt slots = (end - address - 2 * BaseHeaderSize) / BytesPerWord;
    long64AtPut(address, ((sqLong)OverflowSlotsMarker << NumSlotsShift) | slots);
    long64AtPut(address + BaseHeaderSize, ((sqLong)OverflowSlotsMarker << NumSlotsShift) | MarkedBit | ((sqLong)Format32Bit << FormatShift) | SmallIntegerOddClassIndex);
}

/* a dead run [start, end) after marking, bridges of earlier holes included: free chunks, and
 * with mark-sweep a hole over the whole segments inside it. The pieces either side are empty or
 * hold a free chunk (two units at least); a hole of an earlier sweep always fits again, so no
 * given-back memory is written. Answers the hole's bytes (0 if none). */
sqInt layOutDeadRun(sqInt start, sqInt end)
{
    if (VARIANT(old_space_collector, mark_compact)) { makeSweptChunk(start, end - start); return 0; }
    return layOutHoleIn(start, end);
}

sqInt layOutHoleIn(sqInt start, sqInt end)
{
    sqInt holeStart = segmentBoundaryAbove(start + 2 * BaseHeaderSize), holeEnd;
    if (holeStart - 2 * BaseHeaderSize - start == AllocationUnit) holeStart += OldSpaceSegmentBytes;
    holeEnd = oldSpaceStart + (end - oldSpaceStart) / OldSpaceSegmentBytes * OldSpaceSegmentBytes;
    if (end - holeEnd == AllocationUnit) holeEnd -= OldSpaceSegmentBytes;
    if (holeEnd <= holeStart) { makeSweptChunk(start, end - start); return 0; }
    if (holeStart - 2 * BaseHeaderSize > start) makeFreeChunk(start, holeStart - 2 * BaseHeaderSize - start);
    writeSegmentBridge(holeStart - 2 * BaseHeaderSize, holeEnd);
    platformDecommitMemory(holeStart, holeEnd - holeStart);
    if (end > holeEnd) makeFreeChunk(holeEnd, end - holeEnd);
    return holeEnd - holeStart;
}

/* every hole committed again and turned into a free chunk with its bridge; when old space would
 * grow at its end, and before a snapshot */
void refillOldSpaceHoles(void)
{
    sqInt a, oop, bytes;
    if (oldSpaceHoleBytes == 0) return;
    for (a = oldSpaceStart; a < endOfOldObjects; a += bytes) {
        oop = objectStartingAt(a);
        bytes = bytesInObject(oop);
        if (!isSegmentBridge(oop)) continue;
        if (!platformCommitMemory(a + 2 * BaseHeaderSize, bytes - 2 * BaseHeaderSize)) vmFatal(FatalOutOfMemory);
        oldSpaceSegmentsAdded += (bytes - 2 * BaseHeaderSize) / OldSpaceSegmentBytes;
        makeFreeChunk(a, bytes);
        SIM_ONLY(simNoteObjectStart(objectStartingAt(a), a + bytes));
    }
    oldSpaceHoleBytes = 0;
    /* the lists in address order, as a loaded image's: a snapshot written now reads back the same */
    rebuildFreeLists();
}

void setMaxOldSpaceBytes(sqInt bytes) { maxOldSpaceBytes = bytes; }
sqInt vmOldSpaceCommittedBytes(void) { return oldSpaceLimit - oldSpaceStart - oldSpaceHoleBytes; }
sqInt vmOldSpacePeakCommittedBytes(void) { return oldSpacePeakCommitted; }
sqInt vmOldSpaceSegmentsAdded(void) { return oldSpaceSegmentsAdded; }
sqInt vmOldSpaceSegmentsRemoved(void) { return oldSpaceSegmentsRemoved; }
sqInt vmOldSpaceBytesReleasedInChunks(void) { return oldSpaceBytesReleasedInChunks; }
