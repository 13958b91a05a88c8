/* Weak slots (format 4) for both collectors, and the finalization signal.
 *
 * A weak object holds its named inst vars strongly and its indexable slots weakly: a referent
 * reachable only through weak slots is collected and those slots become nil.
 * - The marker traces a weak object's strong slots only and notes the object on a list laid
 *   out in the (then empty) past survivor space; when marking is over, weak slots whose
 *   referents are unmarked are nilled. If the list fills, a heap scan finds the marked weak
 *   objects instead.
 * - The scavenger copies through strong slots only, then visits every weak object it met
 *   (remembered, copied or tenured): a young referent that was copied is followed to its copy,
 *   one that was not becomes nil.
 * When a slot was nilled, the finalization semaphore (special object 41) is signalled at the
 * next interrupt check, as Open-Smalltalk-VM does. */
#include "internal.h"

sqInt isWeakOop(sqInt oop) { INLINE(always); return formatOf(oop) == FormatWeak; }

/* a weak object's strongly held slots: its named inst vars. During a scavenge its class may be a
 * young object already copied, so the class is followed. */
sqInt numStrongSlotsOfWeak(sqInt oop)
{
    sqInt cls = classAtIndex(classIndexOf(oop));
    if (isForwarded(cls)) cls = followForwarded(cls);
    return fixedFieldsOfClass(cls);
}

void noteFinalization(void)
{
    pendingFinalizationSignals += 1;
    forceInterruptCheck();
}

/* at an interrupt check, once however many weak objects lost referents */
void signalFinalizationSemaphore(void)
{
    sqInt sema = splObj(SpecialTheFinalizationSemaphore);
    pendingFinalizationSignals = 0;
    if (isNonImmediate(sema) && fetchClassOf(sema) == splObj(SpecialClassSemaphore)) synchronousSignal(sema);
}

/* ---- the marker ---- */

void initializeWeaklings(void)
{
    weaklingsPointer = pastSpaceStart;
    weaklingsOverflowed = 0;
}

void noteMarkedWeakling(sqInt oop)
{
    if (weaklingsPointer < pastSpaceStart + survivorSpaceBytes()) {
        longAtPut(weaklingsPointer, oop);
        weaklingsPointer += BytesPerWord;
    } else {
        weaklingsOverflowed = 1;
    }
}

void nilUnmarkedReferentsOf(sqInt weak)
{
    sqInt n = numSlotsOf(weak), i, v, nilled = 0;
    for (i = numStrongSlotsOfWeak(weak); i < n; i += 1) {
        v = fetchPointer(i, weak);
        if (isNonImmediate(v) && isForwarded(v)) {
            /* a forwarder left by become: the slot names its target, weakly like any other */
            v = followForwarded(v);
            longAtPut(weak + BaseHeaderSize + i * BytesPerWord, v);
        }
        if (isOldHeapObject(v) && !isMarkedOop(v)) {
            longAtPut(weak + BaseHeaderSize + i * BytesPerWord, nilObj);
            nilled = 1;
        }
    }
    if (nilled) noteFinalization();
}

/* after marking: every marked weak object loses its unmarked referents */
void nilUnmarkedWeakReferents(void)
{
    sqInt a, oop;
    if (!weaklingsOverflowed) {
        for (a = pastSpaceStart; a < weaklingsPointer; a += BytesPerWord) nilUnmarkedReferentsOf(longAt(a));
        return;
    }
    for (a = oldSpaceStart; a < endOfOldObjects; a += bytesInObject(oop)) {
        oop = objectStartingAt(a);
        if (isMarkedOop(oop) && isWeakOop(oop)) nilUnmarkedReferentsOf(oop);
    }
}

/* ---- the scavenger ---- */

/* scavenge a weak object's strong slots; answer whether any slot, weak ones included, refers to
 * new space (a remembered weak object stays remembered until its weak slots are settled) */
sqInt scavengeWeakObjectSlots(sqInt oop)
{
    sqInt strong = numStrongSlotsOfWeak(oop), n = numSlotsOf(oop), i, young = 0;
    scavengeSawWeak = 1;
    for (i = 0; i < strong; i += 1)
        if (scavengeSlotAt(oop + BaseHeaderSize + i * BytesPerWord)) young = 1;
    for (i = strong; i < n; i += 1)
        if (isYoungOop(longAt(oop + BaseHeaderSize + i * BytesPerWord))) young = 1;
    return young;
}

sqInt isInFutureSpace(sqInt oop) { INLINE(always); return oop >= futureSpaceStart && oop < futureSpaceStart + survivorSpaceBytes(); }

/* after copying: weak slots that refer to eden or the past survivor space follow the copy, or
 * become nil when there is none; answer whether the object still refers to new space. Visiting
 * an object twice changes nothing. */
sqInt settleWeakSlotsAfterScavenge(sqInt weak)
{
    sqInt n = numSlotsOf(weak), i, v, addr, young = 0, nilled = 0;
    for (i = 0; i < n; i += 1) {
        addr = weak + BaseHeaderSize + i * BytesPerWord;
        v = longAt(addr);
        if (!isYoungOop(v)) continue;
        if (!isInFutureSpace(v)) {
            if (!isForwarded(v)) {
                longAtPut(addr, nilObj);
                nilled = 1;
                continue;
            }
            v = longAt(v + BaseHeaderSize);
            longAtPut(addr, v);
        }
        if (isYoungOop(v)) young = 1;
    }
    if (nilled) noteFinalization();
    return young;
}

void settleWeakObjectsIn(sqInt start, sqInt end, sqInt remember)
{
    sqInt a, oop;
    for (a = start; a < end; a += bytesInObject(oop)) {
        oop = objectStartingAt(a);
        if (isWeakOop(oop) && settleWeakSlotsAfterScavenge(oop) && remember && !isRemembered(oop)) rememberObject(oop);
    }
}

/* the weak objects a scavenge met: remembered old ones (those left with no young referent
 * leave the remembered set, which must be empty after a scavenge that tenures everything),
 * tenured ones, copied survivors */
void settleWeakObjectsAfterScavenge(sqInt tenureStart)
{
    sqInt i, j = 0, oop;
    if (rememberedSetOverflowed) {
        settleWeakObjectsIn(oldSpaceStart, endOfOldObjects, 1);
    } else {
        settleWeakObjectsIn(tenureStart, endOfOldObjects, 1);
        for (i = 0; i < rememberedSetCount; i += 1) {
            oop = longAt(rememberedSetStart + i * BytesPerWord);
            if (isWeakOop(oop) && !settleWeakSlotsAfterScavenge(oop)) {
                long32AtPut(oop, long32At(oop) & ~RememberedBit);
            } else {
                longAtPut(rememberedSetStart + j * BytesPerWord, oop);
                j += 1;
            }
        }
        rememberedSetCount = j;
    }
    settleWeakObjectsIn(futureSpaceStart, futureSurvivorFree, 0);
}
