/* Marking old space: depth first from the roots with an explicit stack in (then empty) eden.
 * When the stack overflows, marking goes on by rescanning the heap for marked objects whose
 * referents are not marked yet, until a pass completes without overflow. The class table is
 * weak: a marked object marks its class (class_table.c), and unmarked classes leave the table
 * once marking is over. A weak object's weak slots are not traced (gc_weak.c settles them once
 * marking is over). An ephemeron whose key is not marked yet is left untraced until marking from
 * the roots is complete, then traced or fired (gc_ephemerons.c). References to forwarders left
 * by become are followed on the way. */
#include "internal.h"

sqInt isMarkedOop(sqInt oop) { INLINE(always); return (long32At(oop + 4) & MarkedHighBit) != 0; }
void setMarkedOop(sqInt oop) { INLINE(always); long32AtPut(oop + 4, long32At(oop + 4) | MarkedHighBit); }
void clearMarkedOop(sqInt oop) { INLINE(always); long32AtPut(oop + 4, long32At(oop + 4) & ~MarkedHighBit); }

void markObject(sqInt oop)
{
    if (!isOldHeapObject(oop) || isMarkedOop(oop)) return;
    setMarkedOop(oop);
    if (markStackPointer < markStackLimit) {
        longAtPut(markStackPointer, oop);
        markStackPointer += BytesPerWord;
    } else {
        markStackOverflowed = 1;
    }
}

void markSlotsOf(sqInt oop)
{
    sqInt n, i;
    markClassOf(oop);
    if (isWeakOop(oop)) {
        n = numStrongSlotsOfWeak(oop);
        noteMarkedWeakling(oop);
    } else if (isEphemeronOop(oop) && deferEphemeron(oop)) {
        return;
    } else {
        n = numPointerSlotsOf(oop);
    }
    for (i = 0; i < n; i += 1) markAndFollowSlot(oop + BaseHeaderSize + i * BytesPerWord);
}

/* the referent of the slot at address, marked; a forwarder left by become is replaced by its
 * target first, so that after marking no reference to a forwarder remains and the forwarders,
 * never marked, are reclaimed */
void markAndFollowSlot(sqInt address)
{
    sqInt v = longAt(address);
    if (isNonImmediate(v) && isForwarded(v)) {
        v = followForwarded(v);
        longAtPut(address, v);
    }
    markObject(v);
}

void markFromStack(void)
{
    while (markStackPointer > markStackStart) {
        markStackPointer -= BytesPerWord;
        markSlotsOf(longAt(markStackPointer));
    }
}

/* until the mark stack is empty and no object is left marked but untraced */
void markUntilDone(void)
{
    sqInt a, oop;
    markFromStack();
    while (markStackOverflowed) {
        markStackOverflowed = 0;
        for (a = oldSpaceStart; a < endOfOldObjects; a += bytesInObject(oop)) {
            oop = objectStartingAt(a);
            if (isMarkedOop(oop) && !isWeakClassTablePart(oop)) {
                markSlotsOf(oop);
                markFromStack();
            }
        }
    }
}

void markPhase(void)
{
    sqInt oop;
    markStackStart = edenStart;
    markStackLimit = VARIANT(mark_stack, tiny) ? markStackStart + 64 * BytesPerWord : edenHardLimit;
    markStackPointer = markStackStart;
    markStackOverflowed = 0;
    initializeWeaklings();
    initializeUnscannedEphemerons();
    for (oop = nilObj; oop < hiddenRootsObj; oop = objectAfter(oop)) markObject(oop);
    /* registers may have picked up a forwarder since the last become (a selector literal) */
    followForwardersInRegisters();
    markHiddenRoots();
    markMournQueue();
    markObject(specialObjectsOop);
    markObject(messageSelector);
    markObject(newMethod);
    markObject(snapshotReceiver);
    scanStackPages(RootMark);
    markUntilDone();
    markAndFireEphemerons();
    expungeUnmarkedClasses();
    nilUnmarkedWeakReferents();
}
