/* Primitives about memory and integers beyond SmallInteger: collections on demand, free space,
 * and 64-bit integer arithmetic on Large*Integers (primitives 21-37, the large twins of 1-17). */
#include "internal.h"

sqInt oldSpaceFreeBytes(void) { return oldSpaceLimit - endOfOldObjects - 2 * AllocationUnit + oldSpaceFreeChunkBytes; }

/* Smalltalk garbageCollect (130) and garbageCollectMost (131). A primitive is a safe point for
 * a collection: its caller holds no oop in a C variable across it. */
void primitiveGarbageCollect(sqInt full)
{
    if (full) fullGC();
    else scavenge();
    popThenPush(argumentCount + 1, integerObjectOf(full ? oldSpaceFreeBytes() : edenLimit - freeStart));
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
    sqLong a = signed64BitValueOf(stackValue(1)), b, r, result;
    if (primFailCode != 0) return;
    b = signed64BitValueOf(stackValue(0));
    if (primFailCode != 0) { primitiveFailFor(PrimErrBadArgument); return; }
    switch (index - 20) {
    case 1:
        /* wrapping arithmetic, then the sign rule: overflow iff both operands differ in sign from the result */
        r = (sqLong)((usqLong)a + (usqLong)b);
        if (((a ^ r) & (b ^ r)) < 0) { primitiveFail(); return; }
        break;
    case 2:
        r = (sqLong)((usqLong)a - (usqLong)b);
        if (((a ^ b) & (a ^ r)) < 0) { primitiveFail(); return; }
        break;
    case 3: popThenPush(2, booleanObjectOf(a < b)); return;
    case 4: popThenPush(2, booleanObjectOf(a > b)); return;
    case 5: popThenPush(2, booleanObjectOf(a <= b)); return;
    case 6: popThenPush(2, booleanObjectOf(a >= b)); return;
    case 7: popThenPush(2, booleanObjectOf(a == b)); return;
    case 8: popThenPush(2, booleanObjectOf(a != b)); return;
    case 9:
        r = (sqLong)((usqLong)a * (usqLong)b);
        if (a != 0 && ((a == -1 && b == INT64_MIN) || (b == -1 && a == INT64_MIN) || r / a != b)) { primitiveFail(); return; }
        break;
    case 10:
        if (b == 0 || (a == INT64_MIN && b == -1) || a % b != 0) { primitiveFail(); return; }
        r = a / b;
        break;
    case 11:
        if (b == 0 || (a == INT64_MIN && b == -1)) { primitiveFail(); return; }
        r = a % b;
        if (r != 0 && (r < 0) != (b < 0)) r += b;
        break;
    case 12:
        if (b == 0 || (a == INT64_MIN && b == -1)) { primitiveFail(); return; }
        r = a / b;
        if (a % b != 0 && (a < 0) != (b < 0)) r -= 1;
        break;
    case 13:
        if (b == 0 || (a == INT64_MIN && b == -1)) { primitiveFail(); return; }
        r = a / b;
        break;
    case 14: r = a & b; break;
    case 15: r = a | b; break;
    case 16: r = a ^ b; break;
    case 17:
        if (b >= 0) {
            if (b > 62 || (a != 0 && ((a << b) >> b) != a)) { primitiveFail(); return; }
            r = a << b;
        } else {
            r = a >> (-b > 63 ? 63 : -b);
        }
        break;
    default: primitiveFail(); return;
    }
    result = signed64BitIntegerFor(r);
    if (result == 0) { primitiveFailFor(PrimErrNoMemory); return; }
    popThenPush(2, result);
}
