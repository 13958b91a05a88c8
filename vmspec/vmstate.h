/* All mutable VM state, in one list.
 * X(type, name, initial value) for scalars; A(type, name, element count) for arrays.
 * The simulator walks this list to save, compare and restore the VM's state; the translator
 * emits each as a static of interp.c. Nothing else in the spec may hold state. */
#ifndef TALC_VMSTATE_H
#define TALC_VMSTATE_H

#include "talc.h"
#include "constants.h"

#define VM_STATE(X, A) \
    /* VM memory layout */ \
    X(sqInt, memoryBase, 0) \
    X(sqInt, memoryLimit, 0) \
    X(sqInt, stackZoneStart, 0) \
    X(sqInt, stackZoneEnd, 0) \
    X(sqInt, newSpaceStart, 0) \
    X(sqInt, pastSpaceStart, 0) \
    X(sqInt, pastSpaceFree, 0) \
    X(sqInt, futureSpaceStart, 0) \
    X(sqInt, futureSurvivorFree, 0) \
    X(sqInt, edenStart, 0) \
    X(sqInt, freeStart, 0) \
    X(sqInt, edenLimit, 0) \
    X(sqInt, edenHardLimit, 0) \
    X(sqInt, newSpaceLimit, 0) \
    X(sqInt, needScavenge, 0) \
    X(sqInt, rememberedSetStart, 0) \
    X(sqInt, rememberedSetLimit, 0) \
    X(sqInt, rememberedSetCount, 0) \
    X(sqInt, rememberedSetOverflowed, 0) \
    X(sqInt, tenureAllSurvivors, 0) \
    X(sqInt, needFullGC, 0) \
    X(sqInt, fullGCThreshold, 0) \
    X(sqInt, fullGCCount, 0) \
    X(sqInt, gcPauseDepth, 0) \
    X(sqInt, gcPauseStartUsecs, 0) \
    X(sqInt, gcPauseCount, 0) \
    X(sqInt, gcTotalUsecs, 0) \
    X(sqInt, gcMaxPauseUsecs, 0) \
    X(sqInt, gcPeakHeapBytes, 0) \
    X(sqInt, markStackStart, 0) \
    X(sqInt, markStackLimit, 0) \
    X(sqInt, markStackPointer, 0) \
    X(sqInt, markStackOverflowed, 0) \
    X(sqInt, weaklingsPointer, 0) \
    X(sqInt, weaklingsOverflowed, 0) \
    X(sqInt, scavengeSawWeak, 0) \
    X(sqInt, unscannedEphemeronsStart, 0) \
    X(sqInt, unscannedEphemeronsPointer, 0) \
    X(sqInt, unscannedEphemeronsLimit, 0) \
    X(sqInt, ephemeronsFiredCount, 0) \
    X(sqInt, pendingFinalizationSignals, 0) \
    X(sqInt, youngObjectToPin, 0) \
    X(sqInt, classTableIndex, ClassTablePageSize) \
    X(sqInt, verifyingAfterFullGC, 0) \
    X(sqInt, forwardersLive, 0) \
    X(sqInt, pinnedDigestBeforeGC, 0) \
    X(sqInt, oldSpaceFreeChunkBytes, 0) \
    X(sqInt, freeListsMask, 0) \
    X(sqInt, oldSpaceReservedLimit, 0) \
    X(sqInt, maxOldSpaceBytes, 0) \
    X(sqInt, oldSpacePeakCommitted, 0) \
    X(sqInt, oldSpaceSegmentsAdded, 0) \
    X(sqInt, oldSpaceSegmentsRemoved, 0) \
    X(sqInt, oldSpaceBytesReleasedInChunks, 0) \
    X(sqInt, oldSpaceHoleBytes, 0) \
    X(sqInt, verifyFailures, 0) \
    X(sqInt, scavengeEveryAllocations, 0) \
    X(sqInt, fullGCEveryScavenges, 0) \
    X(sqInt, snapshotReceiver, 0) \
    X(sqInt, oldSpaceStart, 0) \
    X(sqInt, endOfOldObjects, 0) \
    X(sqInt, oldSpaceLimit, 0) \
    /* the image */ \
    X(sqInt, imageFormat, 0) \
    X(sqInt, imageHeaderFlags, 0) \
    X(sqInt, imageOldBase, 0) \
    X(sqInt, imageSavedWindowSize, 0) \
    X(sqInt, segmentCount, 0) \
    A(sqInt, segmentOldStart, MaxSegments) \
    A(sqInt, segmentOldEnd, MaxSegments) \
    A(sqInt, segmentNewStart, MaxSegments) \
    X(sqInt, loadError, 0) \
    X(sqInt, loadErrorA, 0) \
    X(sqInt, loadErrorB, 0) \
    X(sqInt, objectsInImage, 0) \
    X(sqInt, freeBytesInImage, 0) \
    /* well-known objects */ \
    X(sqInt, nilObj, 0) \
    X(sqInt, falseObj, 0) \
    X(sqInt, trueObj, 0) \
    X(sqInt, freeListsObj, 0) \
    X(sqInt, hiddenRootsObj, 0) \
    X(sqInt, specialObjectsOop, 0) \
    X(sqInt, lastHash, 0) \
    X(sqInt, contextClassIndex, 0) \
    X(sqInt, classTableFirstPage, 0) \
    /* interpreter registers */ \
    X(sqInt, instructionPointer, 0) \
    X(sqInt, stackPointer, 0) \
    X(sqInt, framePointer, 0) \
    X(sqInt, method, 0) \
    X(sqInt, currentBytecode, 0) \
    X(sqInt, bytecodeSetOffset, 0) \
    X(sqInt, extA, 0) \
    X(sqInt, extB, 0) \
    X(sqInt, numExtB, 0) \
    /* message sending */ \
    X(sqInt, messageSelector, 0) \
    X(sqInt, argumentCount, 0) \
    X(sqInt, lkupClassTag, 0) \
    X(sqInt, newMethod, 0) \
    X(sqInt, primitiveFunctionIndex, 0) \
    X(sqInt, primFailCode, 0) \
    X(sqInt, arithmeticFailed, 0) \
    A(sqInt, methodCache, MethodCacheSize * MethodCacheEntrySize) \
    /* stack zone */ \
    X(sqInt, stackPage, 0) \
    X(sqInt, stackLimit, 0) \
    X(sqInt, mostRecentlyUsedPage, 0) \
    X(sqInt, numStackPages, 0) \
    X(sqInt, stackPageBytes, 0) \
    X(sqInt, pagesStart, 0) \
    /* processes */ \
    X(sqInt, reenterInterpreter, 0) \
    X(sqInt, quitRequested, 0) \
    X(sqInt, exitCode, 0) \
    X(sqInt, traceMissingPrimitives, 0) \
    X(sqInt, lowSpaceThreshold, 0) \
    X(sqInt, interruptCheckCounter, 0) \
    X(sqInt, nextWakeupUsecs, 0) \
    X(sqInt, pendingSignals, 0) \
    /* debugging: deterministic mode, safe-point events, crash snapshots (safepoints.c) */ \
    X(sqInt, deterministicMode, 0) \
    X(sqInt, resumedSessionId, 0) \
    X(sqInt, resumeReason, 0) \
    X(sqInt, safePointEventsArmed, 0) \
    X(sqInt, timerCheckCounter, 0) \
    X(sqInt, digestEvery, 0) \
    X(sqInt, digestFrom, 0) \
    X(sqInt, nextDigestAt, 0) \
    X(sqInt, digestEdenMark, 0) \
    X(sqInt, digestScavengeMark, 0) \
    X(sqInt, snapshotAtCount, 0) \
    X(sqInt, snapshotOnMethodArmed, 0) \
    X(sqInt, onMethodCheckedMethod, 0) \
    X(sqInt, onMethodCheckedEpoch, 0) \
    X(sqInt, onMethodCheckedMatch, 0) \
    X(sqInt, testAssertionFailsAt, 0) \
    X(sqInt, writingCrashSnapshot, 0) \
    /* counters */ \
    X(sqInt, bytecodeCount, 0) \
    X(sqInt, sendCount, 0) \
    X(sqInt, allocationCount, 0) \
    X(sqInt, scavengeCount, 0) \
    X(sqInt, tenuredBytes, 0) \
    X(sqInt, statStackPageDivorces, 0)

/* The interpreter's registers: R(global, local). The translated interpret() keeps each in a local
 * and writes it back to its global only around calls to functions that use it, directly or
 * through their callees (vmspec/DIALECT.md, "Registers"). The simulator ignores this list. */
#define VM_REGISTERS(R) \
    R(instructionPointer, localIP) \
    R(stackPointer, localSP) \
    R(framePointer, localFP) \
    R(currentBytecode, localBC) \
    R(bytecodeCount, localBytecodeCount)

#define VM_STATE_EXTERN_SCALAR(type, name, init) extern type name;
#define VM_STATE_EXTERN_ARRAY(type, name, count) extern type name[count];
VM_STATE(VM_STATE_EXTERN_SCALAR, VM_STATE_EXTERN_ARRAY)

#endif
