/* Primitives of processes, semaphores and clocks. Each leaves the stack final before it may
 * switch process, since a switch saves the current frame as it stands. */
#include "internal.h"

sqInt isSemaphoreLike(sqInt oop) { return isNonImmediate(oop) && isPointersNonImm(oop) && numSlotsOf(oop) > SemaphoreExcessSignalsIndex; }
sqInt isProcessLike(sqInt oop) { return isNonImmediate(oop) && isPointersNonImm(oop) && numSlotsOf(oop) > ProcessMyListIndex; }

void primitiveSignal(void)
{
    sqInt sema = stackTop();
    if (!isSemaphoreLike(sema)) { primitiveFail(); return; }
    synchronousSignal(sema);
}

void primitiveWait(void)
{
    sqInt sema = stackTop();
    if (!isSemaphoreLike(sema) || !isIntegerObject(fetchPointer(SemaphoreExcessSignalsIndex, sema))) { primitiveFail(); return; }
    waitOnSemaphore(sema);
}

void primitiveResume(void)
{
    sqInt proc = stackTop();
    if (!isProcessLike(proc) || !isContext(fetchPointer(ProcessSuspendedContextIndex, proc))
        || !isIntegerObject(fetchPointer(ProcessPriorityIndex, proc))) { primitiveFail(); return; }
    resumeProcess(proc);
}

void primitiveSuspend(void)
{
    sqInt proc = stackTop(), list;
    if (!isProcessLike(proc)) { primitiveFail(); return; }
    if (proc == activeProcess()) {
        popThenPush(1, nilObj);
        transferToHighestPriority();
        return;
    }
    list = fetchFollowedField(ProcessMyListIndex, proc);
    if (isImmediate(list) || list == nilObj || !removeProcessFromList(proc, list)) { primitiveFailFor(PrimErrBadReceiver); return; }
    popThenPush(1, list);
}

void primitiveYield(void) { yieldProcess(); }

void primitiveRelinquishProcessor(void)
{
    sqInt usecs = stackTop(), until;
    if (!isIntegerObject(usecs)) { primitiveFail(); return; }
    popN(1);
    until = clockMicroseconds() + integerValueOf(usecs);
    if (nextWakeupUsecs != 0 && nextWakeupUsecs < until) until = nextWakeupUsecs;
    sleepUntilMicroseconds(until);
    forceInterruptCheck();
    checkForInterrupts();
}

void primitiveMillisecondClock(void)
{
    popThenPush(1, integerObjectOf((clockMicroseconds() / 1000) & 0x1FFFFFFF));
}

void pushClockValue(sqLong usecs)
{
    sqInt result = signed64BitIntegerFor(usecs);
    if (result == 0) { primitiveFailFor(PrimErrNoMemory); return; }
    popThenPush(1, result);
}

void primitiveUTCMicrosecondClock(void) { pushClockValue(clockUTCMicroseconds()); }
void primitiveLocalMicrosecondClock(void) { pushClockValue(clockUTCMicroseconds() + clockLocalOffsetMicroseconds()); }

void setTimerSemaphore(sqInt sema, sqInt wakeup)
{
    storePointer(SpecialTheTimerSemaphore, specialObjectsOop, sema);
    nextWakeupUsecs = sema == nilObj ? 0 : (wakeup > 0 ? wakeup : 1);
}

void primitiveSignalAtMilliseconds(void)
{
    sqInt sema = stackValue(1), ms = stackValue(0), now, delta;
    if ((sema != nilObj && !isSemaphoreLike(sema)) || !isIntegerObject(ms)) { primitiveFail(); return; }
    now = clockMicroseconds();
    /* the millisecond clock wraps at 2^29: the target is taken as the nearest such value */
    delta = integerValueOf(ms) - ((now / 1000) & 0x1FFFFFFF);
    if (delta >= 0x10000000) delta -= 0x20000000;
    if (delta < -0x10000000) delta += 0x20000000;
    setTimerSemaphore(sema, now + delta * 1000);
    popN(2);
}

void primitiveSignalAtUTCMicroseconds(void)
{
    sqInt sema = stackValue(1);
    sqLong target = signed64BitValueOf(stackValue(0));
    if (primFailCode != 0 || (sema != nilObj && !isSemaphoreLike(sema))) { primitiveFail(); return; }
    setTimerSemaphore(sema, clockMicroseconds() + (target - clockUTCMicroseconds()));
    popN(2);
}
