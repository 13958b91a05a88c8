/* Old space grows and shrinks by segments. At load the VM reserves address space for the
 * largest old space allowed (--maxoldspace) but commits only [oldSpaceStart, oldSpaceLimit):
 * the image and a segment of room. When allocation at the end, the compactor's side buffer or
 * the verifier's bitmap finds no room, whole segments are committed above; after a full GC,
 * empty segments beyond one spare above the last object are given back to the system.
 * Talc's segments are adjacent, so the one bridge at the end of old space is the only one an
 * image needs (images saved as several segments are joined at load). */
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

void setMaxOldSpaceBytes(sqInt bytes) { maxOldSpaceBytes = bytes; }
sqInt vmOldSpaceCommittedBytes(void) { return oldSpaceLimit - oldSpaceStart; }
sqInt vmOldSpacePeakCommittedBytes(void) { return oldSpacePeakCommitted; }
sqInt vmOldSpaceSegmentsAdded(void) { return oldSpaceSegmentsAdded; }
sqInt vmOldSpaceSegmentsRemoved(void) { return oldSpaceSegmentsRemoved; }
sqInt vmOldSpaceBytesReleasedInChunks(void) { return oldSpaceBytesReleasedInChunks; }
