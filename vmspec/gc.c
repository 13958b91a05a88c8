/* The full collection: new space emptied into old space, old space marked from the roots, then
 * compacted or swept (the flavour's old_space_collector), and the bookkeeping around it.
 * It runs at a safe point, like the scavenger, or from a primitive (garbageCollect, snapshot). */
#include "internal.h"

sqInt isOldHeapObject(sqInt oop) { INLINE(always); return (oop & TagMask) == 0 && oop >= oldSpaceStart && oop < endOfOldObjects; }

/* during compaction a live object's first slot holds its new address */
sqInt forwardedOop(sqInt oop) { return isOldHeapObject(oop) ? longAt(oop + BaseHeaderSize) : oop; }

/* one root slot of a frame, for the scavenger, the marker or the compactor's update */
void processRootSlot(sqInt address, sqInt mode)
{
    if (mode == RootScavenge) { scavengeSlotAt(address); return; }
    if (mode == RootMark) { markAndFollowSlot(address); return; }
    if (mode == RootFollow) {
        if (isNonImmediate(longAt(address)) && isForwarded(longAt(address))) longAtPut(address, followForwarded(longAt(address)));
        return;
    }
    if (mode == RootVerify) {
        if (!isValidReference(longAt(address))) verifyFailed(address, -2, longAt(address));
        return;
    }
    longAtPut(address, forwardedOop(longAt(address)));
}

/* old space's objects: less its free chunks and the holes mark-sweep gave back */
sqInt oldSpaceBytesInUse(void) { return endOfOldObjects - oldSpaceStart - oldSpaceFreeChunkBytes - oldSpaceHoleBytes; }

/* heap bytes in use: old space's objects, and new space's live part */
sqInt heapBytesInUse(void)
{
    return oldSpaceBytesInUse() + (freeStart - edenStart) + (pastSpaceFree - pastSpaceStart);
}

/* pause figures for --gc-stats and make bench; a full GC's own scavenge is part of its pause */
void gcPauseBegin(void)
{
    sqInt inUse;
    gcPauseDepth += 1;
    if (gcPauseDepth > 1) return;
    inUse = heapBytesInUse();
    if (inUse > gcPeakHeapBytes) gcPeakHeapBytes = inUse;
    gcPauseStartUsecs = platformMicroseconds();
}

void gcPauseEnd(void)
{
    sqInt pause;
    gcPauseDepth -= 1;
    if (gcPauseDepth > 0) return;
    pause = platformMicroseconds() - gcPauseStartUsecs;
    gcPauseCount += 1;
    gcTotalUsecs += pause;
    if (pause > gcMaxPauseUsecs) gcMaxPauseUsecs = pause;
}

sqInt vmGCPauseCount(void) { return gcPauseCount; }
sqInt vmGCTotalUsecs(void) { return gcTotalUsecs; }
sqInt vmGCMaxPauseUsecs(void) { return gcMaxPauseUsecs; }
sqInt vmGCPeakHeapBytes(void) { return heapBytesInUse() > gcPeakHeapBytes ? heapBytesInUse() : gcPeakHeapBytes; }

void fullGC(void)
{
    sqInt used;
    SIM_ONLY(simNoteGCStart(1));
    SIM_ONLY(simGCBegin(GCKindFull));
    gcPauseBegin();
    ASSERT(verifyHeap() == 0);
    needFullGC = 0;
    tenureAllSurvivors = 1;
    scavenge();
    tenureAllSurvivors = 0;
    /* compaction moves objects without updating the remembered set: it must be empty */
    ASSERT(rememberedSetCount == 0 || rememberedSetOverflowed);
    relocateFrameIPs(1);
    markPhase();
    /* marking followed every reference to a forwarder: none is referenced any more */
    forwardersLive = 0;
    ASSERT(notePinnedObjectsDigest());
    if (!VARIANT(old_space_collector, mark_compact) || !compactOldSpace()) sweepOldSpace();
    ASSERT(pinnedObjectsDigest(0) == pinnedDigestBeforeGC);
    relocateFrameIPs(0);
    if (stackPage != 0) {
        method = frameMethod(framePointer);
        setBytecodeSetFor(method);
    }
    flushMethodCache();
    fullGCCount += 1;
    ASSERT(verifyHeapAfterFullGC() == 0);
    used = oldSpaceBytesInUse();
    fullGCThreshold = used * 2 > FullGCMinimumBytes ? used * 2 : FullGCMinimumBytes;
    if (fullGCThreshold > (oldSpaceReservedLimit - oldSpaceStart) * 3 / 4) fullGCThreshold = (oldSpaceReservedLimit - oldSpaceStart) * 3 / 4;
    shrinkOldSpace();
    gcPauseEnd();
    SIM_ONLY(simGCEnd(GCKindFull));
    SIM_ONLY(simNoteGCEnd(1));
}

/* after a scavenge: old space has grown past the threshold, or the stress option says so */
void noteScavengeDone(void)
{
    if (fullGCEveryScavenges > 0 && scavengeCount % fullGCEveryScavenges == 0) needFullGC = 1;
    noteOldSpaceGrowth();
    if (needFullGC) forceInterruptCheck();
}

/* after old space grew (tenuring, or a large object allocated there directly, which no scavenge
 * would notice): past the threshold, a full collection at the next safe point */
void noteOldSpaceGrowth(void)
{
    if (fullGCThreshold == 0) fullGCThreshold = FullGCMinimumBytes + (endOfOldObjects - oldSpaceStart);
    if (needFullGC || oldSpaceBytesInUse() <= fullGCThreshold) return;
    needFullGC = 1;
    forceInterruptCheck();
}

void setGCStress(sqInt scavengeEvery, sqInt fullEvery)
{
    scavengeEveryAllocations = scavengeEvery;
    fullGCEveryScavenges = fullEvery;
}

sqInt vmScavengeCount(void) { return scavengeCount; }
sqInt vmFullGCCount(void) { return fullGCCount; }
