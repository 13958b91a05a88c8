/* become, as Spur does it: sources turn into forwarders, and references to them are followed
 * lazily (read_barrier.c), not by a walk of the heap.
 *
 * One-way (elementsForwardIdentityTo:, 72; 248 without and 249 with a copyHash argument): new
 * space is first emptied into old space (so every forwarder and every target is old), each
 * source turns into a forwarder to its target, then the frames (ips kept relative to their
 * methods, as Open-Smalltalk-VM does), the VM's registers and the structures it reads without
 * sends are followed at once. The rest of the heap keeps its references to forwarders until
 * they are used or the next full collection follows them while marking and frees the
 * forwarders.
 *
 * Two-way (elementsExchangeIdentityWith:, 128): two objects of the same slot count exchange
 * their contents in place, nothing else moves; others are copied to old space and each original
 * forwards to the copy of the other, as one-way does. Identity hashes stay with the references,
 * as in Open-Smalltalk-VM (copyHash false): whoever held the first object sees the second's
 * contents under the hash it knew, so hashed collections stay valid. A class that becomes
 * another keeps its class index that way too, and its instances follow the references. */
#include "internal.h"

sqInt isBecomeArray(sqInt oop) { return isNonImmediate(oop) && formatOf(oop) == FormatIndexable; }

/* 0 if become may touch oop, else the failure code (Open-Smalltalk-VM's); married contexts are
 * refused since their frames name them */
sqInt becomeErrorFor(sqInt oop)
{
    if (isImmediate(oop) || oop == nilObj || oop == trueObj || oop == falseObj) return PrimErrInappropriate;
    if (isPinnedOop(oop)) return PrimErrObjectIsPinned;
    if ((long32At(oop) & ImmutableBit) != 0) return PrimErrNoModification;
    if (isContext(oop) && isMarriedContext(oop)) return PrimErrInappropriate;
    return 0;
}

/* the failure code for the pairs of two become arguments: both Arrays of one size, every
 * element of the first (and of the second when twoWay) acceptable */
sqInt becomeArgumentsError(sqInt from, sqInt to, sqInt twoWay)
{
    sqInt n, i, ec;
    if (!isBecomeArray(from)) return PrimErrBadReceiver;
    if (!isBecomeArray(to) || numSlotsOf(from) != numSlotsOf(to)) return PrimErrBadArgument;
    n = numSlotsOf(from);
    for (i = 0; i < n; i += 1) {
        ec = becomeErrorFor(followForwarded(fetchPointer(i, from)));
        if (ec == 0 && twoWay) ec = becomeErrorFor(followForwarded(fetchPointer(i, to)));
        if (ec != 0) return ec;
    }
    return 0;
}

void forwardObjectTo(sqInt oop, sqInt target)
{
    long32AtPut(oop, (long32At(oop) & ~(ClassIndexMask | (FormatMask << FormatShift))) | ForwardedClassIndex | (FormatForwarded << FormatShift));
    longAtPut(oop + BaseHeaderSize, target);
}

void emptyNewSpace(void)
{
    tenureAllSurvivors = 1;
    scavenge();
    tenureAllSurvivors = 0;
}

/* one-way become of the elements of the Arrays below the top of the stack, copying each source's
 * identity hash to its target when copyHash */
void becomeForward(sqInt copyHash)
{
    sqInt from, to, n, i, src, dst, ec;
    from = stackValue(1);
    to = stackValue(0);
    if (!isBecomeArray(from) || !isBecomeArray(to) || numSlotsOf(from) != numSlotsOf(to)) { primitiveFailFor(PrimErrBadArgument); return; }
    ec = becomeArgumentsError(from, to, 0);
    if (ec != 0) { primitiveFailFor(ec); return; }
    n = numSlotsOf(from);
    for (i = 0; i < n; i += 1) {
        dst = followForwarded(fetchPointer(i, to));
        if (copyHash && (isImmediate(dst) || (long32At(dst) & ImmutableBit) != 0)) { primitiveFailFor(PrimErrInappropriate); return; }
    }
    emptyNewSpace();
    from = stackValue(1);
    to = stackValue(0);
    for (i = 0; i < n; i += 1) {
        src = followForwarded(fetchPointer(i, from));
        dst = followForwarded(fetchPointer(i, to));
        if (src == dst) continue;
        /* copyHash: the target answers the source's identity hash from now on */
        if (copyHash) setRawHash(dst, rawHashOf(src));
        forwardObjectTo(src, dst);
    }
    forwardersLive = 1;
    followForwardersInRoots();
}

/* elementsForwardIdentityTo: (72) */
void primitiveArrayBecomeOneWay(void)
{
    becomeForward(1);
    if (primFailCode == 0) popN(1);
}

/* elementsForwardIdentityNoCopyHashTo: (248) */
void primitiveArrayBecomeOneWayNoCopyHash(void)
{
    becomeForward(0);
    if (primFailCode == 0) popN(1);
}

/* elementsForwardIdentityTo: anArray copyHash: aBoolean (249) */
void primitiveArrayBecomeOneWayCopyHashArg(void)
{
    sqInt flag = stackTop();
    if (flag != trueObj && flag != falseObj) { primitiveFailFor(PrimErrBadArgument); return; }
    popN(1);
    becomeForward(flag == trueObj);
    if (primFailCode == 0) popN(1);
    else push(flag);
}

/* an old object that now refers to new space joins the remembered set */
void rememberIfYoungReferents(sqInt oop)
{
    sqInt n, i;
    if (isYoungOop(oop) || isRemembered(oop)) return;
    n = numPointerSlotsOf(oop);
    for (i = 0; i < n; i += 1)
        if (isYoungOop(longAt(oop + BaseHeaderSize + i * BytesPerWord))) { rememberObject(oop); return; }
}

/* two objects of one slot count exchange headers and bodies; each address keeps its identity
 * hash, its remembered and pinned bits */
void exchangeContents(sqInt a, sqInt b)
{
    sqLong keep = (sqLong)(RememberedBit | PinnedBit) | ((sqLong)HashMask << HashShift);
    sqLong ha = long64At(a), hb = long64At(b);
    sqInt n = numSlotsOf(a), i, v;
    long64AtPut(a, (hb & ~keep) | (ha & keep));
    long64AtPut(b, (ha & ~keep) | (hb & keep));
    for (i = 0; i < n; i += 1) {
        v = longAt(a + BaseHeaderSize + i * BytesPerWord);
        longAtPut(a + BaseHeaderSize + i * BytesPerWord, longAt(b + BaseHeaderSize + i * BytesPerWord));
        longAtPut(b + BaseHeaderSize + i * BytesPerWord, v);
    }
    rememberIfYoungReferents(a);
    rememberIfYoungReferents(b);
}

/* a copy of oop at the end of old space answering hash (room was made beforehand, unless the
 * arrays name an object twice and exhaust the reservation) */
sqInt copyInOldSpace(sqInt oop, sqInt hash)
{
    sqInt bytes = bytesInObject(oop), overflow = rawNumSlotsOf(oop) == OverflowSlotsMarker ? BaseHeaderSize : 0;
    sqInt start = allocateOldBytesAtEnd(bytes), copy;
    if (start == 0) vmFatal(FatalOutOfMemory);
    copyWords(oop - overflow, start, bytes);
    copy = start + overflow;
    long32AtPut(copy, long32At(copy) & ~RememberedBit);
    setRawHash(copy, hash);
    SIM_ONLY(simNoteObjectStart(copy, start + bytes));
    return copy;
}

/* elementsExchangeIdentityWith: (128) */
void primitiveArrayBecome(void)
{
    sqInt from = stackValue(1), to = stackValue(0), n, i, a, b, ec, copyBytes = 0, copyA, copyB;
    ec = becomeArgumentsError(from, to, 1);
    if (ec != 0) { primitiveFailFor(ec); return; }
    n = numSlotsOf(from);
    for (i = 0; i < n; i += 1) {
        a = followForwarded(fetchPointer(i, from));
        b = followForwarded(fetchPointer(i, to));
        if (a != b && numSlotsOf(a) != numSlotsOf(b)) copyBytes += bytesInObject(a) + bytesInObject(b);
    }
    if (copyBytes > 0) {
        /* copies and forwarders: new space emptied first, as one-way become does */
        emptyNewSpace();
        if (!ensureOldSpaceUpTo(endOfOldObjects + copyBytes + 2 * AllocationUnit)) { primitiveFailFor(PrimErrNoMemory); return; }
        from = stackValue(1);
        to = stackValue(0);
    }
    for (i = 0; i < n; i += 1) {
        a = followForwarded(fetchPointer(i, from));
        b = followForwarded(fetchPointer(i, to));
        if (a == b) continue;
        if (numSlotsOf(a) == numSlotsOf(b)) {
            exchangeContents(a, b);
        } else {
            copyA = copyInOldSpace(a, rawHashOf(b));
            copyB = copyInOldSpace(b, rawHashOf(a));
            forwardObjectTo(a, copyB);
            forwardObjectTo(b, copyA);
        }
    }
    if (copyBytes > 0) {
        forwardersLive = 1;
        followForwardersInRoots();
    }
    else flushMethodCache();
    popN(1);
}
