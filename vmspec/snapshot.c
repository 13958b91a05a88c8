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

/* add delta to every reference in old space (free-list links and the mourn queue included), to
 * the special objects oop and to the free list heads: the heap as it would be at another base
 * address */
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
        if (n == 0 && isMournQueuePage(oop)) relocateMournQueuePageBy(oop, delta);
    }
    for (i = 0; i < numSlotsOf(freeListsObj); i += 1)
        if (longAt(freeListHead(i)) != 0) longAtPut(freeListHead(i), longAt(freeListHead(i)) + delta);
}

/* write old space as an image to the image file (target SnapshotOfImage) or to the file of a
 * crash snapshot (target its reason, CrashSnapshot*), with a resume trailer when trailerReason
 * is not 0; 0 on success. Oops are written as if old space started at
 * the loaded image's base address, so that the bytes written do not depend on where the heap was
 * mapped: an image loaded and written again is the same file. */
sqInt writeSnapshot(sqInt target, sqInt trailerReason)
{
    sqInt headerBytes = BytesPerWord == 8 ? ImageHeaderBytes64 : ImageHeaderBytes32;
    sqInt bodyBytes = endOfOldObjects + 2 * AllocationUnit - oldSpaceStart;
    sqInt header = endOfOldObjects + 2 * AllocationUnit, a, rc;
    sqInt w = BytesPerWord, delta = imageOldBase - oldSpaceStart;
    sqInt trailer = header + headerBytes, trailerBytes = trailerReason != 0 ? ResumeTrailerBytes : 0;
    if (trailer + trailerBytes > oldSpaceLimit && !ensureOldSpaceUpTo(trailer + trailerBytes)) return -1;
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
    if (trailerBytes > 0) writeResumeTrailer(trailer, trailerReason);
    relocateOldSpaceBy(delta);
    rc = platformWriteImageFile(target, header, headerBytes, oldSpaceStart, bodyBytes, trailer, trailerBytes);
    relocateOldSpaceBy(-delta);
    return rc;
}

/* the image as loaded, written again without running it (talc --save-as): 0 on success; a crash
 * snapshot keeps its trailer */
sqInt saveImageAsLoaded(void) { return writeSnapshot(SnapshotOfImage, resumeReason); }

/* ---- crash snapshots ----
 * A crash snapshot (talc --snapshot-at, --snapshot-on-method, a failed assertion) is the running
 * system written at a safe point as an ordinary image whose active process simply continues at
 * its pc, followed by a trailer that other VMs ignore: the counters (the bytecode count is the
 * deterministic clock), the timer's wakeup and the session id, so that a VM that loads it goes on
 * exactly as this one does. This one then carries on as such a VM would: fresh stack pages, new
 * space and method cache, a fresh interrupt count. */
void writeResumeTrailer(sqInt trailer, sqInt reason)
{
    long64AtPut(trailer, ResumeTrailerMagic);
    long64AtPut(trailer + 8, ResumeTrailerBytes);
    long64AtPut(trailer + 16, reason);
    long64AtPut(trailer + 24, bytecodeCount);
    long64AtPut(trailer + 32, sendCount);
    long64AtPut(trailer + 40, allocationCount);
    long64AtPut(trailer + 48, scavengeCount);
    long64AtPut(trailer + 56, fullGCCount);
    long64AtPut(trailer + 64, nextWakeupUsecs);
    long64AtPut(trailer + 72, currentSessionId());
    long64AtPut(trailer + 80, pendingFinalizationSignals);
}

/* after loadImage has read the body: the trailer at fileOffset, if there is one */
void readResumeTrailer(sqInt fileOffset)
{
    sqInt t = stackZoneStart;
    if (platformReadImageBytes(fileOffset, t, ResumeTrailerBytes) != ResumeTrailerBytes) return;
    if (long64At(t) != ResumeTrailerMagic || long64At(t + 8) != ResumeTrailerBytes || long64At(t + 16) <= 0) return;
    resumeReason = long64At(t + 16);
    bytecodeCount = long64At(t + 24);
    sendCount = long64At(t + 32);
    allocationCount = long64At(t + 40);
    scavengeCount = long64At(t + 48);
    fullGCCount = long64At(t + 56);
    nextWakeupUsecs = long64At(t + 64);
    resumedSessionId = long64At(t + 72);
    pendingFinalizationSignals = long64At(t + 80);
}

sqInt vmResumeReason(void) { return resumeReason; }

/* the state a VM that has just loaded an image starts from, where it does not come from the image */
void resetAsLoaded(void)
{
    initializeStackPages();
    initializeNewSpace(stackZoneEnd, NewSpaceBytesDefault);
    flushMethodCache();
    rebuildFreeLists();
    fullGCThreshold = 0;
    interruptCheckCounter = InterruptCheckInterval;
    safePointEventsArmed = 0;
    updateSafePointEvents();
}

/* at a safe point, or on a failed assertion: 0 written, -1 not written, CrashSnapshotNotPossible
 * inside a collection (its pause is open) or with no active frame */
sqInt writeCrashSnapshot(sqInt reason)
{
    sqInt ctx, proc, rc;
    if (gcPauseDepth > 0 || writingCrashSnapshot != 0 || stackPage == 0) return CrashSnapshotNotPossible;
    writingCrashSnapshot = reason;
    ctx = divorceActivePage();
    divorceAllPages();
    proc = activeProcess();
    storePointer(ProcessSuspendedContextIndex, proc, ctx);
    fullGC();
    refillOldSpaceHoles();   /* old space is written as one segment */
    clearFreeChunkBodies();
    rc = writeSnapshot(reason, reason);
    proc = activeProcess();
    ctx = fetchPointer(ProcessSuspendedContextIndex, proc);
    storePointer(ProcessSuspendedContextIndex, proc, nilObj);
    resetAsLoaded();
    executeContextInNewPage(ctx);
    writingCrashSnapshot = 0;
    platformCrashSnapshotWritten(reason, rc, bytecodeCount);
    return rc;
}

sqInt writeAssertionSnapshot(void) { return writeCrashSnapshot(CrashSnapshotAssertion); }

/* ASSERT is kept in the simulator and in the flavours built with assertions, and only there
 * does this assignment happen */
sqInt vmAssertionsBuilt(void)
{
    sqInt built = 0;
    ASSERT((built = 1) == 1);
    return built;
}

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
    refillOldSpaceHoles();   /* old space is written as one segment */
    clearFreeChunkBodies();
    rc = writeSnapshot(SnapshotOfImage, 0);
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
