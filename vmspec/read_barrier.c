/* Following forwarders lazily, as Spur does. become (become.c) leaves forwarders in old space and
 * follows them at once only where the VM itself reads without a check: the frames, its
 * registers, the special objects, the class table and the scheduler. Every other reference to a
 * forwarder stays until it is used or the next full collection follows it while marking:
 *  - a send to a forwarder misses the method cache (no class has the forwarder's index), and the
 *    miss follows the receiver, the rest of the sending frame and the fields of its receiver,
 *    where the forwarder most likely came from;
 *  - a primitive that fails while forwarders live is retried once when its receiver or its
 *    arguments (or, for those that read them, their fields) named a forwarder (they are followed
 *    first), so primitives check their operands as usual and need not know about forwarders;
 *  - the few operations that would answer wrongly instead of failing (==, ~~, class, method
 *    lookup, literal variables, closure and context activation) follow on the spot.
 * forwardersLive says whether any forwarder may be referenced: set by become, cleared by the
 * full collection; while it is clear the checks cost one test of a global. */
#include "internal.h"

sqInt followMaybeForwarded(sqInt oop)
{
    INLINE(hint);
    return isNonImmediate(oop) && isForwarded(oop) ? followForwarded(oop) : oop;
}

/* slot i of oop, its forwarder replaced by the target in the slot itself (a target is old) */
sqInt followField(sqInt i, sqInt oop)
{
    sqInt v = fetchPointer(i, oop);
    if (isNonImmediate(v) && isForwarded(v)) {
        v = followForwarded(v);
        longAtPut(oop + BaseHeaderSize + i * BytesPerWord, v);
    }
    return v;
}

/* followField when forwarders may live, fetchPointer otherwise */
sqInt fetchFollowedField(sqInt i, sqInt oop)
{
    INLINE(hint);
    return forwardersLive ? followField(i, oop) : fetchPointer(i, oop);
}

/* a pointer object's slots, a context's only when it has no frame (a married context's slots
 * past its receiver are stale copies); answers whether one was a forwarder */
sqInt followFieldsOf(sqInt oop)
{
    sqInt n, i, found = 0, v;
    if (isImmediate(oop) || !isPointersNonImm(oop) || isForwarded(oop)) return 0;
    if (classIndexOf(oop) == contextClassIndex && isMarriedContext(oop)) return 0;
    n = numSlotsOf(oop);
    for (i = 0; i < n; i += 1) {
        v = longAt(oop + BaseHeaderSize + i * BytesPerWord);
        if (isNonImmediate(v) && isForwarded(v)) {
            longAtPut(oop + BaseHeaderSize + i * BytesPerWord, followForwarded(v));
            found = 1;
        }
    }
    return found;
}

/* stack slots [low, high] that name forwarders name their targets */
void followStackRange(sqInt low, sqInt high)
{
    sqInt a;
    for (a = low; a <= high; a += BytesPerWord) processRootSlot(a, RootFollow);
}

/* a send found its receiver forwarded: the receiver, the sending frame's other slots and its
 * receiver's fields are followed; answers the receiver's class tag */
sqInt followForwardedSendReceiver(sqInt numArgs)
{
    sqInt rcvr = followForwarded(stackValue(numArgs));
    stackValuePut(numArgs, rcvr);
    followStackRange(stackPointer, framePointer + FoxReceiver * BytesPerWord);
    followFieldsOf(frameReceiver(framePointer));
    return classTagOf(rcvr);
}

/* how deep a primitive reads into its receiver and arguments (Spur's accessor depth): 1 for
 * those that act on their operands' fields (perform, the scheduler's, closure activation,
 * named primitives), 0 for the others, which only look at the operands themselves */
sqInt primitiveAccessorDepth(sqInt index)
{
    if (index == 83 || index == 84 || index == 100 || index == 117 || index == 167) return 1;
    if (index >= 85 && index <= 88) return 1;
    if (index >= 200 && index <= 222) return 1;
    return 0;
}

/* after a primitive failed: the receiver and arguments are followed, and their fields when the
 * primitive reads them; answers whether a forwarder was met (the primitive is worth retrying) */
sqInt followForwardedPrimitiveState(void)
{
    sqInt i, v, found = 0, depth = primitiveAccessorDepth(primitiveFunctionIndex);
    for (i = 0; i <= argumentCount; i += 1) {
        v = stackValue(i);
        if (isNonImmediate(v) && isForwarded(v)) {
            v = followForwarded(v);
            stackValuePut(i, v);
            found = 1;
        }
        if (depth > 0 && followFieldsOf(v)) found = 1;
    }
    return found;
}

/* the structures the scheduler walks without sends: the association, the scheduler, its
 * process lists and the processes on them */
void followForwardersInScheduler(void)
{
    sqInt assoc = followField(SpecialSchedulerAssociation, specialObjectsOop), sched, lists, list, proc, i, n, guard;
    if (isImmediate(assoc) || !isPointersNonImm(assoc)) return;
    followFieldsOf(assoc);
    sched = fetchPointer(AssociationValueIndex, assoc);
    followFieldsOf(sched);
    if (isImmediate(sched) || !isPointersNonImm(sched) || numSlotsOf(sched) <= SchedulerActiveProcessIndex) return;
    followFieldsOf(fetchPointer(SchedulerActiveProcessIndex, sched));
    lists = fetchPointer(SchedulerProcessListsIndex, sched);
    if (isImmediate(lists) || !isPointersNonImm(lists)) return;
    followFieldsOf(lists);
    n = numSlotsOf(lists);
    for (i = 0; i < n; i += 1) {
        list = fetchPointer(i, lists);
        followFieldsOf(list);
        if (isImmediate(list) || !isPointersNonImm(list) || numSlotsOf(list) <= LinkLastIndex) continue;
        proc = fetchPointer(LinkFirstIndex, list);
        for (guard = 0; proc != nilObj && isNonImmediate(proc) && isPointersNonImm(proc) && guard < 1000000; guard += 1) {
            followFieldsOf(proc);
            proc = numSlotsOf(proc) > LinkNextIndex ? fetchPointer(LinkNextIndex, proc) : nilObj;
        }
    }
}

/* the class table's pages: a class that became another is found under its target */
void followForwardersInClassTable(void)
{
    sqInt i, page;
    for (i = 0; i < ClassTableRootSlots; i += 1) {
        page = fetchPointer(i, hiddenRootsObj);
        if (page != nilObj) followFieldsOf(page);
    }
}

/* the VM's registers that may hold an object (0 before the first send) */
void followForwardersInRegisters(void)
{
    if (isOldHeapObject(messageSelector)) messageSelector = followForwarded(messageSelector);
    if (isOldHeapObject(newMethod)) newMethod = followForwarded(newMethod);
    if (isOldHeapObject(snapshotReceiver)) snapshotReceiver = followForwarded(snapshotReceiver);
}

/* after become: where the VM reads without checking, no forwarder is left */
void followForwardersInRoots(void)
{
    relocateFrameIPs(1);
    scanStackPages(RootFollow);
    relocateFrameIPs(0);
    if (stackPage != 0) {
        method = frameMethod(framePointer);
        setBytecodeSetFor(method);
    }
    specialObjectsOop = followForwarded(specialObjectsOop);
    followFieldsOf(specialObjectsOop);
    followFieldsOf(splObj(SpecialExternalObjectsArray));
    followForwardersInClassTable();
    followForwardersInScheduler();
    followForwardersInRegisters();
    flushMethodCache();
}
