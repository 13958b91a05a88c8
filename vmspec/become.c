/* become: one-way (elementsForwardIdentityTo:, primitive 72), done eagerly: new space is first
 * emptied into old space, each source object turns into a forwarder to its target, then every
 * reference in old space, in the frames and in the VM's registers is made to skip forwarders.
 * The forwarders are garbage afterwards; the next full collection reclaims them. */
#include "internal.h"

sqInt isBecomeArray(sqInt oop) { return isNonImmediate(oop) && formatOf(oop) == FormatIndexable; }

void followForwardersInSlots(sqInt oop)
{
    sqInt n = numPointerSlotsOf(oop), i, v;
    for (i = 0; i < n; i += 1) {
        v = longAt(oop + BaseHeaderSize + i * BytesPerWord);
        if (isNonImmediate(v) && isForwarded(v)) longAtPut(oop + BaseHeaderSize + i * BytesPerWord, followForwarded(v));
    }
}

void primitiveArrayBecomeOneWay(void)
{
    sqInt from, to, n, i, a, oop, src, dst;
    from = stackValue(1);
    to = stackValue(0);
    if (!isBecomeArray(from) || !isBecomeArray(to) || numSlotsOf(from) != numSlotsOf(to)) { primitiveFailFor(PrimErrBadArgument); return; }
    n = numSlotsOf(from);
    for (i = 0; i < n; i += 1) {
        src = fetchPointer(i, from);
        if (isImmediate(src) || src == nilObj || src == trueObj || src == falseObj) { primitiveFailFor(PrimErrInappropriate); return; }
    }
    tenureAllSurvivors = 1;
    scavenge();
    tenureAllSurvivors = 0;
    from = stackValue(1);
    to = stackValue(0);
    for (i = 0; i < n; i += 1) {
        src = fetchPointer(i, from);
        dst = fetchPointer(i, to);
        if (src == dst) continue;
        /* copyHash: the target answers the source's identity hash from now on */
        if (isNonImmediate(dst)) setRawHash(dst, rawHashOf(src));
        long32AtPut(src, (long32At(src) & ~(ClassIndexMask | (FormatMask << FormatShift))) | ForwardedClassIndex | (FormatForwarded << FormatShift));
        longAtPut(src + BaseHeaderSize, dst);
    }
    for (a = oldSpaceStart; a < endOfOldObjects; a += bytesInObject(oop)) {
        oop = objectStartingAt(a);
        if (!isForwarded(oop)) followForwardersInSlots(oop);
    }
    scanStackPages(RootFollow);
    specialObjectsOop = followForwarded(specialObjectsOop);
    if (isNonImmediate(messageSelector)) messageSelector = followForwarded(messageSelector);
    if (isNonImmediate(newMethod)) newMethod = followForwarded(newMethod);
    flushMethodCache();
    popN(1);
}
