/* Ephemerons (format 5) in a full collection, in the order of Spur's marker (Open-Smalltalk-VM's
 * markWeaklingsAndMarkAndFireEphemerons).
 *
 * An ephemeron's first slot is its key. The marker traces an ephemeron like any pointer object
 * when its key is marked already (or immediate); otherwise the ephemeron stays marked but
 * untraced, on the list of unscanned ephemerons (laid out in the future survivor space, empty
 * during a full collection; the header's grey bit says an ephemeron is on it). Each time the
 * mark stack runs empty:
 *  1. the listed ephemerons whose keys have been marked since leave the list and are traced;
 *     marking goes on, which may list more ephemerons and mark more keys;
 *  2. when no listed ephemeron has a marked key, all of them are fired together: each is queued
 *     as a mourner (mourn_queue.c) and becomes an ordinary object (format 1), so that it never
 *     fires again, and the finalization semaphore is signalled; then each is traced, its key
 *     included, so that the key lives through this collection.
 * Firing them all at once means that when ephemeron A's value holds B's key and both keys are
 * otherwise dead, A and B are fired in the same round, and tracing A does not save B. An
 * ephemeron reached only through ones just fired is decided in a later round of the same
 * collection (its key may by then be held by them, in which case it is not fired).
 * When the list is full, a further ephemeron is traced as an ordinary object and fires at a later
 * collection; when the mourn queue can get no page, an ephemeron is traced without firing.
 * Two departures from Open-Smalltalk-VM 9efde1b (2023), both fixed since in pharo-vm: there, an
 * ephemeron found with its key marked in step 1 is handed to markAndTrace, which returns at once
 * since the ephemeron is marked, so what only it holds is freed; and after a step 1 that found
 * any, all the listed ephemerons are traced, so those with dead keys escape firing.
 *
 * The scavenger treats ephemerons as ordinary objects: their keys are strong in new space. That is
 * sound: it only keeps a dead key (and what hangs from it) until the next full collection, which
 * decides. Firing from the scavenger, as Spur's can, would take ephemerons on the remembered set
 * and a second pass like this one over the young ones; a young ephemeron whose key dies young
 * would then be mourned sooner. */
#include "internal.h"

sqInt isEphemeronOop(sqInt oop) { INLINE(always); return formatOf(oop) == FormatEphemeron; }

sqInt isUnscannedEphemeron(sqInt oop) { INLINE(always); return (long64At(oop) & GreyBit) != 0; }

void setUnscannedEphemeron(sqInt oop, sqInt listed)
{
    long64AtPut(oop, listed ? long64At(oop) | GreyBit : long64At(oop) & ~GreyBit);
}

/* the key; a forwarder left there by become is replaced by its target */
sqInt ephemeronKey(sqInt oop)
{
    sqInt key = longAt(oop + BaseHeaderSize);
    if (isNonImmediate(key) && isForwarded(key)) {
        key = followForwarded(key);
        longAtPut(oop + BaseHeaderSize, key);
    }
    return key;
}

/* whether the key will survive this collection as things stand (new space is empty) */
sqInt isLiveKey(sqInt key) { INLINE(hint); return !isOldHeapObject(key) || isMarkedOop(key); }

void initializeUnscannedEphemerons(void)
{
    unscannedEphemeronsStart = futureSpaceStart;
    unscannedEphemeronsPointer = futureSpaceStart;
    unscannedEphemeronsLimit = futureSpaceStart + survivorSpaceBytes();
}

sqInt hasUnscannedEphemerons(void) { return unscannedEphemeronsPointer > unscannedEphemeronsStart; }

/* for markSlotsOf, on a marked ephemeron: whether its slots are left untraced for now (it is, or
 * now goes, on the list) */
sqInt deferEphemeron(sqInt oop)
{
    if (isUnscannedEphemeron(oop)) return 1;
    if (numSlotsOf(oop) == 0 || isLiveKey(ephemeronKey(oop))) return 0;
    if (unscannedEphemeronsPointer >= unscannedEphemeronsLimit) return 0;
    longAtPut(unscannedEphemeronsPointer, oop);
    unscannedEphemeronsPointer += BytesPerWord;
    setUnscannedEphemeron(oop, 1);
    return 1;
}

/* step 1: the listed ephemerons whose keys are marked now leave the list and are traced; answer
 * whether there was any */
sqInt markInactiveEphemerons(void)
{
    sqInt p = unscannedEphemeronsStart, oop, found = 0;
    while (p < unscannedEphemeronsPointer) {
        oop = longAt(p);
        if (isLiveKey(ephemeronKey(oop))) {
            unscannedEphemeronsPointer -= BytesPerWord;
            longAtPut(p, longAt(unscannedEphemeronsPointer));
            setUnscannedEphemeron(oop, 0);
            markSlotsOf(oop);
            found = 1;
        } else {
            p += BytesPerWord;
        }
    }
    return found;
}

/* step 2: every listed ephemeron is fired, then all are traced and the list emptied */
void fireUnscannedEphemerons(void)
{
    sqInt p, oop;
    for (p = unscannedEphemeronsStart; p < unscannedEphemeronsPointer; p += BytesPerWord) {
        oop = longAt(p);
        if (!queueMourner(oop)) continue;
        /* test-only: each mourner queued twice, for the verifier to find (tests/gc/gc_copy.sh) */
        if (VARIANT(test_fault, mourn_twice)) queueMourner(oop);
        long32AtPut(oop, (long32At(oop) & ~(FormatMask << FormatShift)) | (FormatNonIndexable << FormatShift));
        ephemeronsFiredCount += 1;
        noteFinalization();
    }
    for (p = unscannedEphemeronsStart; p < unscannedEphemeronsPointer; p += BytesPerWord) {
        oop = longAt(p);
        setUnscannedEphemeron(oop, 0);
        /* the key first: one left unfired (no room to queue it) is then traced, not listed again */
        markObject(ephemeronKey(oop));
        markSlotsOf(oop);
    }
    unscannedEphemeronsPointer = unscannedEphemeronsStart;
}

/* once marking from the roots is complete: steps 1 and 2 until no ephemeron is left listed */
void markAndFireEphemerons(void)
{
    while (hasUnscannedEphemerons()) {
        if (!markInactiveEphemerons()) fireUnscannedEphemerons();
        markUntilDone();
    }
}

sqInt vmEphemeronsFiredCount(void) { return ephemeronsFiredCount; }
