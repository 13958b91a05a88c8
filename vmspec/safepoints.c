/* Debugging events at safe points: digests (talc --digest-every), crash snapshots (--snapshot-at,
 * --snapshot-on-method) and the test-only failing assertion. While one is armed every safe point
 * reaches handleSafePointEvents through the interrupt check's slow path (processes.c), so the
 * fast path costs nothing more when none is. */
#include "internal.h"

/* keep interruptCheckCounter at 1 while an event is armed, the timer's count in timerCheckCounter */
void updateSafePointEvents(void)
{
    sqInt armed = digestEvery > 0 || snapshotAtCount > 0 || snapshotOnMethodArmed || testAssertionFailsAt > 0;
    if (armed && !safePointEventsArmed) {
        timerCheckCounter = interruptCheckCounter;
        interruptCheckCounter = 1;
    }
    if (!armed && safePointEventsArmed) interruptCheckCounter = timerCheckCounter;
    safePointEventsArmed = armed;
}

/* the first digest count above count that is a multiple of digestEvery and not below digestFrom */
sqInt nextDigestCountAfter(sqInt count)
{
    sqInt next = (count / digestEvery + 1) * digestEvery;
    return next < digestFrom ? digestFrom : next;
}

/* a digest at the first safe point at or after every multiple of every bytecodes, from the
 * bytecode count from on (every 1: at every safe point) */
void armDigests(sqInt every, sqInt from)
{
    digestEvery = every;
    digestFrom = from;
    nextDigestAt = nextDigestCountAfter(bytecodeCount);
    digestEdenMark = freeStart;
    digestScavengeMark = scavengeCount;
    updateSafePointEvents();
}

void armSnapshotAt(sqInt count)
{
    snapshotAtCount = count > 0 ? count : 1;
    updateSafePointEvents();
}

void armSnapshotOnMethod(void)
{
    snapshotOnMethodArmed = 1;
    onMethodCheckedMethod = 0;
    updateSafePointEvents();
}

/* test-only (TALC_TEST_ASSERTION_FAILS_AT): an assertion that fails at that bytecode count */
void armTestAssertionFailure(sqInt count)
{
    testAssertionFailsAt = count > 0 ? count : 1;
    updateSafePointEvents();
}

/* the frame was just built for --snapshot-on-method's method: at its first bytecode (after
 * callPrimitive), not in a block; whether a method's name matches is kept for the last method
 * asked until objects may have moved */
sqInt isEnteringSnapshotMethod(void)
{
    sqInt start = firstBytecodeAddress(method) + (methodPrimitiveIndex(method) > 0 ? CallPrimitiveBytes : 0);
    if (instructionPointer != start || frameIsBlock(framePointer)) return 0;
    if (method != onMethodCheckedMethod || onMethodCheckedEpoch != scavengeCount + fullGCCount) {
        onMethodCheckedMethod = method;
        onMethodCheckedEpoch = scavengeCount + fullGCCount;
        onMethodCheckedMatch = methodNameIsSnapshotTarget(method);
    }
    return onMethodCheckedMatch;
}

/* answers 1 when a crash snapshot was written: the VM then goes on as one that loaded it */
sqInt handleSafePointEvents(void)
{
    INLINE(never);
    if (digestEvery > 0 && bytecodeCount >= nextDigestAt) {
        emitDigest();
        nextDigestAt = nextDigestCountAfter(bytecodeCount);
    }
    if (testAssertionFailsAt > 0 && bytecodeCount >= testAssertionFailsAt) {
        ASSERT(bytecodeCount < testAssertionFailsAt);    /* fails, on purpose */
        testAssertionFailsAt = 0;
        updateSafePointEvents();
    }
    if (snapshotAtCount > 0 && bytecodeCount >= snapshotAtCount) {
        snapshotAtCount = 0;
        writeCrashSnapshot(CrashSnapshotAtCount);
        return 1;
    }
    if (snapshotOnMethodArmed && isEnteringSnapshotMethod()) {
        snapshotOnMethodArmed = 0;
        writeCrashSnapshot(CrashSnapshotOnMethod);
        return 1;
    }
    return 0;
}
