/* Processes: the scheduler's run queues, semaphores, process switches and the timer.
 * become follows the scheduler's lists at once (read_barrier.c), not a semaphore's: a process
 * waiting on one may have become another, so links and a process's list and context are read
 * through fetchFollowedField, which writes the target back over the forwarder (a store into a
 * forwarder would overwrite its forwarding pointer). */
#include "internal.h"

sqInt schedulerPointer(void) { return fetchPointer(AssociationValueIndex, splObj(SpecialSchedulerAssociation)); }
sqInt activeProcess(void) { return fetchPointer(SchedulerActiveProcessIndex, schedulerPointer()); }
sqInt priorityOf(sqInt proc) { return fetchInteger(ProcessPriorityIndex, proc); }
sqInt isEmptyList(sqInt list) { return fetchFollowedField(LinkFirstIndex, list) == nilObj; }

void addLastLinkToList(sqInt proc, sqInt list)
{
    if (isEmptyList(list)) storePointer(LinkFirstIndex, list, proc);
    else storePointer(LinkNextIndex, fetchFollowedField(LinkLastIndex, list), proc);
    storePointer(LinkLastIndex, list, proc);
    storePointer(LinkNextIndex, proc, nilObj);
    storePointer(ProcessMyListIndex, proc, list);
}

void addFirstLinkToList(sqInt proc, sqInt list)
{
    if (isEmptyList(list)) storePointer(LinkLastIndex, list, proc);
    storePointer(LinkNextIndex, proc, fetchFollowedField(LinkFirstIndex, list));
    storePointer(LinkFirstIndex, list, proc);
    storePointer(ProcessMyListIndex, proc, list);
}

sqInt removeFirstLinkOfList(sqInt list)
{
    sqInt first = fetchFollowedField(LinkFirstIndex, list), next;
    next = fetchFollowedField(LinkNextIndex, first);
    storePointer(LinkFirstIndex, list, next);
    if (next == nilObj) storePointer(LinkLastIndex, list, nilObj);
    storePointer(LinkNextIndex, first, nilObj);
    storePointer(ProcessMyListIndex, first, nilObj);
    return first;
}

/* remove proc from whatever list holds it; 0 if it was not there */
sqInt removeProcessFromList(sqInt proc, sqInt list)
{
    sqInt prev = nilObj, p = fetchFollowedField(LinkFirstIndex, list), next;
    while (p != nilObj) {
        next = fetchFollowedField(LinkNextIndex, p);
        if (p == proc) {
            if (prev == nilObj) storePointer(LinkFirstIndex, list, next);
            else storePointer(LinkNextIndex, prev, next);
            if (fetchFollowedField(LinkLastIndex, list) == proc) storePointer(LinkLastIndex, list, prev);
            storePointer(LinkNextIndex, proc, nilObj);
            storePointer(ProcessMyListIndex, proc, nilObj);
            return 1;
        }
        prev = p;
        p = next;
    }
    return 0;
}

sqInt processListFor(sqInt priority)
{
    return fetchPointer(priority - 1, fetchPointer(SchedulerProcessListsIndex, schedulerPointer()));
}

void putToSleep(sqInt proc, sqInt atFront)
{
    sqInt list = processListFor(priorityOf(proc));
    if (atFront) addFirstLinkToList(proc, list);
    else addLastLinkToList(proc, list);
}

/* the highest-priority runnable process, removed from its list; 0 if there is none */
sqInt wakeHighestPriority(void)
{
    sqInt lists = fetchPointer(SchedulerProcessListsIndex, schedulerPointer());
    sqInt p, list;
    for (p = numSlotsOf(lists); p > 0; p -= 1) {
        list = fetchPointer(p - 1, lists);
        if (!isEmptyList(list)) return removeFirstLinkOfList(list);
    }
    return 0;
}

/* suspend the running process in its current frame and run newProc */
void transferTo(sqInt newProc)
{
    sqInt sched = schedulerPointer(), old = activeProcess(), ctx;
    ctx = ensureFrameIsMarried(framePointer);
    writeBackActivePage();
    stackPage = 0;
    storePointer(ProcessSuspendedContextIndex, old, ctx);
    storePointer(SchedulerActiveProcessIndex, sched, newProc);
    storePointer(ProcessMyListIndex, newProc, nilObj);
    ctx = fetchFollowedField(ProcessSuspendedContextIndex, newProc);
    if (!isContext(ctx)) vmFatal(FatalBadProcess);
    storePointer(ProcessSuspendedContextIndex, newProc, nilObj);
    resumeContext(ctx);
}

/* make proc runnable; it preempts the running process if its priority is higher */
void resumeProcess(sqInt proc)
{
    sqInt active = activeProcess();
    if (priorityOf(proc) > priorityOf(active)) {
        putToSleep(active, 1);
        transferTo(proc);
    } else {
        putToSleep(proc, 0);
    }
}

/* the running process stops; the next one runs, waiting for the timer if none can */
void transferToHighestPriority(void)
{
    sqInt proc = wakeHighestPriority();
    while (proc == 0) {
        if (nextWakeupUsecs == 0) vmFatal(FatalNoRunnableProcess);
        sleepUntilMicroseconds(nextWakeupUsecs);
        if (clockMicroseconds() >= nextWakeupUsecs) {
            /* nothing runs, so nothing is preempted: the waiter just becomes runnable */
            nextWakeupUsecs = 0;
            signalSemaphoreWithoutSwitch(splObj(SpecialTheTimerSemaphore));
        }
        proc = wakeHighestPriority();
    }
    transferTo(proc);
}

void signalSemaphoreWithoutSwitch(sqInt sema)
{
    sqInt excess;
    if (isImmediate(sema) || numSlotsOf(sema) <= SemaphoreExcessSignalsIndex) return;
    if (isEmptyList(sema)) {
        excess = fetchPointer(SemaphoreExcessSignalsIndex, sema);
        storePointer(SemaphoreExcessSignalsIndex, sema,
                     integerObjectOf((isIntegerObject(excess) ? integerValueOf(excess) : 0) + 1));
    } else {
        putToSleep(removeFirstLinkOfList(sema), 0);
    }
}

void synchronousSignal(sqInt sema)
{
    if (isImmediate(sema) || numSlotsOf(sema) <= SemaphoreExcessSignalsIndex) return;
    if (isEmptyList(sema)) signalSemaphoreWithoutSwitch(sema);
    else resumeProcess(removeFirstLinkOfList(sema));
}

void waitOnSemaphore(sqInt sema)
{
    sqInt excess = fetchInteger(SemaphoreExcessSignalsIndex, sema);
    if (excess > 0) {
        storeInteger(SemaphoreExcessSignalsIndex, sema, excess - 1);
        return;
    }
    addLastLinkToList(activeProcess(), sema);
    transferToHighestPriority();
}

void yieldProcess(void)
{
    sqInt active = activeProcess(), list = processListFor(priorityOf(active));
    if (isEmptyList(list)) return;
    putToSleep(active, 0);
    transferTo(removeFirstLinkOfList(list));
}

void collectIfAsked(void)
{
    INLINE(always);
    if (needScavenge) scavenge();
    if (needFullGC) fullGC();
}

/* a safe point where the process may not change (a block entered by valueNoContextSwitch, as
 * ensure: does): collections and the debugging events, not the timer or finalization, and no
 * count towards them, so that the timer comes at the same points whether events are armed */
void checkForInterruptsNoSwitch(void)
{
    INLINE(always);
    collectIfAsked();
    if (safePointEventsArmed) handleSafePointEvents();
}

/* at a clean point (a frame just built, a backward jump): one count down. The slow path runs
 * every InterruptCheckInterval checks, or at the next one when a collection, a signal or a
 * debugging event asks for it (forceInterruptCheck: the counter at 1), so the fast path is a
 * decrement and a test */
void checkForInterrupts(void)
{
    INLINE(always);
    interruptCheckCounter -= 1;
    if (interruptCheckCounter <= 0) serviceInterrupts();
}

/* the collections asked for, then the timer and the finalization semaphore (interruptCheckDue);
 * a collection asked for meanwhile keeps the next check due */
void serviceInterrupts(void)
{
    INLINE(never);
    collectIfAsked();
    interruptCheckDue();
    if (needScavenge || needFullGC) forceInterruptCheck();
}

/* the next safe point checks the timer (after a collection, a wait) */
void forceInterruptCheck(void)
{
    INLINE(always);
    interruptCheckCounter = 1;
    timerCheckCounter = 1;
}

/* The slow path. While a debugging event is armed (safepoints.c) every safe point comes here and
 * timerCheckCounter counts for the timer what interruptCheckCounter counts otherwise, so that
 * the image sees its timer at the same points either way. */
void interruptCheckDue(void)
{
    sqInt timerDue = 1;
    if (safePointEventsArmed) {
        interruptCheckCounter = 1;
        timerCheckCounter -= 1;
        timerDue = timerCheckCounter <= 0;
        if (timerDue) timerCheckCounter = InterruptCheckInterval;
        /* after a crash snapshot the VM goes on as one that loaded it: no timer check here */
        if (handleSafePointEvents()) return;
    } else {
        interruptCheckCounter = InterruptCheckInterval;
    }
    if (!timerDue) return;
    if (pendingFinalizationSignals > 0) signalFinalizationSemaphore();
    if (nextWakeupUsecs != 0 && clockMicroseconds() >= nextWakeupUsecs) {
        nextWakeupUsecs = 0;
        synchronousSignal(splObj(SpecialTheTimerSemaphore));
    }
}
