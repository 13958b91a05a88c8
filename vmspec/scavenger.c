/* New space: eden and two survivor spaces, collected by a generational copying scavenger.
 *
 * A scavenge runs only at a safe point (checkForInterrupts): allocation past eden's soft limit
 * merely asks for one and goes on into a reserve, so no primitive ever sees an object move
 * under it. Roots are the stack pages' frames and the remembered set, the old objects a write
 * barrier (storePointer) noted as holding young references. Survivors are copied to the
 * future survivor space; objects that survived before, or that do not fit, are tenured by
 * bump allocation at the end of old space. Weak slots are not roots: gc_weak.c settles them
 * after the copying. Ephemerons are copied as ordinary objects, their keys kept strongly: firing
 * is left to the next full collection (gc_ephemerons.c says why that is sound). */
#include "internal.h"

sqInt isYoungOop(sqInt oop)
{
    INLINE(always);
    return (oop & TagMask) == 0 && oop >= newSpaceStart && oop < newSpaceLimit;
}

sqInt isRemembered(sqInt oop) { INLINE(always); return (long32At(oop) & RememberedBit) != 0; }

/* the write barrier's slow path: an old object now refers to a young one */
void rememberObject(sqInt oop)
{
    long32AtPut(oop, long32At(oop) | RememberedBit);
    if (rememberedSetCount < (rememberedSetLimit - rememberedSetStart) / BytesPerWord) {
        longAtPut(rememberedSetStart + rememberedSetCount * BytesPerWord, oop);
        rememberedSetCount += 1;
    } else {
        /* the next scavenge scans all of old space instead */
        rememberedSetOverflowed = 1;
    }
}

/* lay out new space and the remembered set in [start, start + bytes) */
void initializeNewSpace(sqInt start, sqInt bytes)
{
    sqInt survivorBytes = bytes / 8 & ~(AllocationUnit - 1);
    sqInt rsBytes = RememberedSetSlots * BytesPerWord;
    rememberedSetStart = start;
    rememberedSetLimit = start + rsBytes;
    rememberedSetCount = 0;
    rememberedSetOverflowed = 0;
    newSpaceStart = rememberedSetLimit;
    pastSpaceStart = newSpaceStart;
    pastSpaceFree = pastSpaceStart;
    futureSpaceStart = pastSpaceStart + survivorBytes;
    edenStart = futureSpaceStart + survivorBytes;
    freeStart = edenStart;
    newSpaceLimit = start + bytes;
    edenHardLimit = newSpaceLimit;
    edenLimit = edenHardLimit - EdenReserveBytes;
    needScavenge = 0;
}

sqInt survivorSpaceBytes(void) { return futureSpaceStart - pastSpaceStart > 0 ? futureSpaceStart - pastSpaceStart : pastSpaceStart - futureSpaceStart; }

/* old-space allocation outside a scavenge: a free chunk first, else the end of old space */
sqInt allocateOldBytes(sqInt bytes)
{
    sqInt start = oldSpaceFreeChunkBytes >= bytes ? allocateFromFreeChunks(bytes) : 0;
    if (start == 0 && oldSpaceHoleBytes > 0 && endOfOldObjects + bytes + 2 * AllocationUnit > oldSpaceLimit) {
        /* rather than grow old space at its end, take back the segments given back inside it */
        refillOldSpaceHoles();
        start = allocateFromFreeChunks(bytes);
    }
    if (start == 0) start = allocateOldBytesAtEnd(bytes);
    noteOldSpaceGrowth();
    return start;
}

/* bump allocation at the end of old space, the final bridge moving up; 0 if old space is full.
 * The scavenger tenures only this way: its scan of tenured objects runs from the old end. */
sqInt allocateOldBytesAtEnd(sqInt bytes)
{
    sqInt start = endOfOldObjects;
    if (start + bytes + 2 * AllocationUnit > oldSpaceLimit && !ensureOldSpaceUpTo(start + bytes + 2 * AllocationUnit)) return 0;
    endOfOldObjects = start + bytes;
    writeOldSpaceEndBridge();
    return start;
}

void copyWords(sqInt from, sqInt to, sqInt bytes)
{
    sqInt i;
    for (i = 0; i < bytes; i += AllocationUnit) long64AtPut(to + i, long64At(from + i));
}

/* copy a young object to a survivor space or old space and leave a forwarder behind */
sqInt copyAndForward(sqInt oop)
{
    sqInt bytes = bytesInObject(oop), overflow = rawNumSlotsOf(oop) == OverflowSlotsMarker ? BaseHeaderSize : 0;
    sqInt start = oop - overflow, to, newOop;
    sqInt inPast = oop >= pastSpaceStart && oop < pastSpaceStart + survivorSpaceBytes();
    /* a young object being pinned (pinObject) goes to old space, where it will stay */
    if (!inPast && !tenureAllSurvivors && oop != youngObjectToPin && futureSurvivorFree + bytes <= futureSpaceStart + survivorSpaceBytes()) {
        to = futureSurvivorFree;
        futureSurvivorFree += bytes;
    } else {
        to = allocateOldBytesAtEnd(bytes);
        if (to == 0) vmFatal(FatalOutOfMemory);
        tenuredBytes += bytes;
    }
    copyWords(start, to, bytes);
    newOop = to + overflow;
    long32AtPut(newOop, long32At(newOop) & ~RememberedBit);
    if (oop == youngObjectToPin) setPinnedOop(newOop, 1);
    SIM_ONLY(simNoteObjectStart(newOop, to + bytes));
    SIM_ONLY(simNoteObjectMoved(oop, newOop));
    long32AtPut(oop, (long32At(oop) & ~(ClassIndexMask | (FormatMask << FormatShift))) | ForwardedClassIndex | (FormatForwarded << FormatShift));
    longAtPut(oop + BaseHeaderSize, newOop);
    return newOop;
}

sqInt remapYoung(sqInt oop)
{
    if ((long32At(oop) & ClassIndexMask) == ForwardedClassIndex) return longAt(oop + BaseHeaderSize);
    return copyAndForward(oop);
}

/* scavenge the word at address; answer whether it still refers to new space */
sqInt scavengeSlotAt(sqInt address)
{
    sqInt v = longAt(address);
    if (!isYoungOop(v)) return 0;
    v = remapYoung(v);
    longAtPut(address, v);
    return isYoungOop(v);
}

sqInt scavengeObjectSlots(sqInt oop)
{
    sqInt n, i, young = 0;
    if (isWeakOop(oop)) return scavengeWeakObjectSlots(oop);
    n = numPointerSlotsOf(oop);
    for (i = 0; i < n; i += 1)
        if (scavengeSlotAt(oop + BaseHeaderSize + i * BytesPerWord)) young = 1;
    return young;
}

/* the remembered objects, keeping only those that still refer to new space */
void scavengeRememberedSet(void)
{
    sqInt i, j = 0, n = rememberedSetCount, oop, a;
    /* test-only: a broken scavenger that forgets its old roots (talc-sim --variant
     * test_fault=forget_remembered_set; tests/gc/gc_copy.sh) */
    if (VARIANT(test_fault, forget_remembered_set)) return;
    if (rememberedSetOverflowed) {
        rememberedSetOverflowed = 0;
        rememberedSetCount = 0;
        for (a = oldSpaceStart; a < endOfOldObjects; a += bytesInObject(oop)) {
            oop = objectStartingAt(a);
            long32AtPut(oop, long32At(oop) & ~RememberedBit);
            if (classIndexOf(oop) == SmallIntegerOddClassIndex) continue;
            if (scavengeObjectSlots(oop)) rememberObject(oop);
        }
        return;
    }
    for (i = 0; i < n; i += 1) {
        oop = longAt(rememberedSetStart + i * BytesPerWord);
        if (scavengeObjectSlots(oop)) {
            longAtPut(rememberedSetStart + j * BytesPerWord, oop);
            j += 1;
        } else {
            long32AtPut(oop, long32At(oop) & ~RememberedBit);
        }
    }
    /* objects remembered while this ran (tenured ones) were appended after n */
    for (i = n; i < rememberedSetCount; i += 1) {
        longAtPut(rememberedSetStart + j * BytesPerWord, longAt(rememberedSetStart + i * BytesPerWord));
        j += 1;
    }
    rememberedSetCount = j;
}

void scavenge(void)
{
    sqInt scanFuture, scanOld, oop, tenureStart, swap;
    SIM_ONLY(simNoteGCStart(0));
    SIM_ONLY(simGCBegin(GCKindScavenge));
    gcPauseBegin();
    tenureStart = endOfOldObjects;
    ASSERT(verifyHeap() == 0);
    needScavenge = 0;
    scavengeSawWeak = 0;
    futureSurvivorFree = futureSpaceStart;
    /* a young method may be running (a loader or a compiler just made it): the frames'
     * instruction pointers move with their methods, as in a full collection */
    relocateFrameIPs(1);
    scanStackPages(RootScavenge);
    scavengeRememberedSet();
    if (isYoungOop(messageSelector)) messageSelector = remapYoung(messageSelector);
    if (isYoungOop(newMethod)) newMethod = remapYoung(newMethod);
    if (isYoungOop(snapshotReceiver)) snapshotReceiver = remapYoung(snapshotReceiver);
    /* Cheney: scan what was copied until nothing new is copied */
    scanFuture = futureSpaceStart;
    scanOld = tenureStart;
    while (scanFuture < futureSurvivorFree || scanOld < endOfOldObjects) {
        while (scanFuture < futureSurvivorFree) {
            oop = objectStartingAt(scanFuture);
            scavengeObjectSlots(oop);
            scanFuture = oop + bytesInObject(oop) - (rawNumSlotsOf(oop) == OverflowSlotsMarker ? BaseHeaderSize : 0);
        }
        while (scanOld < endOfOldObjects) {
            oop = objectStartingAt(scanOld);
            if (scavengeObjectSlots(oop) && !isRemembered(oop)) rememberObject(oop);
            scanOld = oop + bytesInObject(oop) - (rawNumSlotsOf(oop) == OverflowSlotsMarker ? BaseHeaderSize : 0);
        }
    }
    relocateFrameIPs(0);
    if (stackPage != 0) method = frameMethod(framePointer);
    if (scavengeSawWeak) settleWeakObjectsAfterScavenge(tenureStart);
    SIM_ONLY(simForgetObjectStarts(edenStart, edenHardLimit));
    SIM_ONLY(simForgetObjectStarts(pastSpaceStart, pastSpaceStart + survivorSpaceBytes()));
    swap = pastSpaceStart;
    pastSpaceStart = futureSpaceStart;
    futureSpaceStart = swap;
    pastSpaceFree = futureSurvivorFree;
    freeStart = edenStart;
    flushMethodCache();
    scavengeCount += 1;
    ASSERT(verifyHeap() == 0);
    noteScavengeDone();
    gcPauseEnd();
    SIM_ONLY(simGCEnd(GCKindScavenge));
    SIM_ONLY(simNoteGCEnd(0));
}
