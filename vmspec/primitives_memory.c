/* Primitives about memory and integers beyond SmallInteger: collections on demand, free space,
 * and 64-bit integer arithmetic on Large*Integers (primitives 21-37, the large twins of 1-17). */
#include "internal.h"

sqInt oldSpaceFreeBytes(void) { return oldSpaceReservedLimit - endOfOldObjects - 2 * AllocationUnit + oldSpaceFreeChunkBytes; }

/* Smalltalk garbageCollect (130) and garbageCollectMost (131). A primitive is a safe point for
 * a collection: its caller holds no oop in a C variable across it. */
void primitiveGarbageCollect(sqInt full)
{
    if (full) fullGC();
    else scavenge();
    popThenPush(argumentCount + 1, integerObjectOf(full ? oldSpaceFreeBytes() : edenLimit - freeStart));
}

/* pin oop. A young object is tenured by a scavenge first, which pins its old copy, so that no
 * young object is ever pinned: whoever holds oop finds it again where the scavenge updates
 * references (primitivePin keeps it on the stack). Answers 0 when old space has no room. */
sqInt pinObject(sqInt oop)
{
    if (!isYoungOop(oop)) {
        setPinnedOop(oop, 1);
        return 1;
    }
    if (!ensureOldSpaceUpTo(endOfOldObjects + bytesInObject(oop) + 2 * AllocationUnit)) return 0;
    youngObjectToPin = oop;
    scavenge();
    youngObjectToPin = 0;
    return 1;
}

/* Object>>isPinned (183) */
void primitiveIsPinned(void)
{
    sqInt obj = stackTop();
    if (isImmediate(obj)) { primitiveFailFor(PrimErrBadReceiver); return; }
    popThenPush(argumentCount + 1, booleanObjectOf(isPinnedOop(obj)));
}

/* Object>>setPinned: aBoolean (184): pin or unpin the receiver; answers whether it was pinned.
 * A pinned object is still collected when nothing refers to it. */
void primitivePin(void)
{
    sqInt obj = stackValue(1), flag = stackValue(0), wasPinned;
    if (isImmediate(obj)) { primitiveFailFor(PrimErrBadReceiver); return; }
    if (flag != trueObj && flag != falseObj) { primitiveFailFor(PrimErrBadArgument); return; }
    wasPinned = isPinnedOop(obj);
    if (flag == falseObj) setPinnedOop(obj, 0);
    else if (!wasPinned && pinObject(obj) == 0) { primitiveFailFor(PrimErrNoMemory); return; }
    popThenPush(2, booleanObjectOf(wasPinned));
}

/* Smalltalk primLowSpaceSemaphore: aSemaphore (nil to clear) */
void primitiveLowSpaceSemaphore(void)
{
    sqInt sema = stackTop();
    if (sema != nilObj && (isImmediate(sema) || !isPointersNonImm(sema))) { primitiveFailFor(PrimErrBadArgument); return; }
    storePointer(SpecialTheLowSpaceSemaphore, specialObjectsOop, sema);
    popN(1);
}

void primitiveBytesLeft(void)
{
    popThenPush(argumentCount + 1, integerObjectOf(oldSpaceFreeBytes() + (edenLimit - freeStart)));
}

/* 21-37: the operation of primitive (index - 20) on integers of at most 64 bits */
void primitiveLargeIntegerOp(sqInt index)
{
    sqLong a = signed64BitValueOf(stackValue(1)), b, r;
    sqInt result;
    if (primFailCode != 0) return;
    b = signed64BitValueOf(stackValue(0));
    if (primFailCode != 0) { primitiveFailFor(PrimErrBadArgument); return; }
    r = integerOperation(index - 20, a, b);
    if (index - 20 >= 3 && index - 20 <= 8) { popThenPush(2, booleanObjectOf(r)); return; }
    if (arithmeticFailed) { primitiveFail(); return; }
    result = signed64BitIntegerFor(r);
    if (result == 0) { primitiveFailFor(PrimErrNoMemory); return; }
    popThenPush(2, result);
}
