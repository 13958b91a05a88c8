/* The mourn queue: the ephemerons a full collection fired (gc_ephemerons.c), waiting for the
 * image to fetch them with primitive 172.
 *
 * It is kept as Open-Smalltalk-VM keeps it, so that an image carries it from one VM to the other:
 * an object stack in hidden root 4098, that is a chain of pages, each a word array of 4092 slots
 * (class index pun 19 on 64-bit, 18 on 32-bit) whose first four fields are raw words: the number
 * of entries on the page, the root index (4098), a list of free pages (Talc keeps none: 0) and the
 * next page (always full) or 0; the entries follow. The heap sees a page as bits, so the marker,
 * the compactor, the verifier, the loader and the snapshot writer visit the entries through the
 * functions here. Become leaves forwarders in the entries as it does in any old object: the
 * marker and dequeueMourner follow them. */
#include "internal.h"

sqInt objStackAt(sqInt page, sqInt i) { INLINE(always); return longAt(page + BaseHeaderSize + i * BytesPerWord); }
void objStackAtPut(sqInt page, sqInt i, sqInt v) { INLINE(always); longAtPut(page + BaseHeaderSize + i * BytesPerWord, v); }

/* the first page, or nilObj (also when the hidden roots have no slot for the queue) */
sqInt mournQueueRoot(void)
{
    return numSlotsOf(hiddenRootsObj) > MournQueueRootIndex ? fetchPointer(MournQueueRootIndex, hiddenRootsObj) : nilObj;
}

sqInt isObjStackPageFor(sqInt oop, sqInt rootIndex)
{
    return isNonImmediate(oop) && classIndexOf(oop) == ObjStackPageClassIndex && formatOf(oop) == ObjStackPageFormat
        && numSlotsOf(oop) == ObjStackPageSlots && objStackAt(oop, ObjStackMyx) == rootIndex;
}

sqInt isMournQueuePage(sqInt oop) { return isObjStackPageFor(oop, MournQueueRootIndex); }

/* a new, empty first page in front of next (0 for none); 0 when old space has no room */
sqInt newMournQueuePage(sqInt next)
{
    sqInt bytes = 2 * BaseHeaderSize + ((ObjStackPageSlots * BytesPerWord + AllocationUnit - 1) & ~(AllocationUnit - 1));
    sqInt start = oldSpaceFreeChunkBytes >= bytes ? allocateFromFreeChunks(bytes) : 0, page, i;
    if (start == 0) start = allocateOldBytesAtEnd(bytes);
    if (start == 0) return 0;
    page = start + BaseHeaderSize;
    long64AtPut(start, ((sqLong)OverflowSlotsMarker << NumSlotsShift) | ObjStackPageSlots);
    long64AtPut(page, ((sqLong)OverflowSlotsMarker << NumSlotsShift) | ((sqLong)ObjStackPageFormat << FormatShift) | ObjStackPageClassIndex);
    SIM_ONLY(simNoteObjectStart(page, start + bytes));
    for (i = 0; i < ObjStackPageSlots; i += 1) objStackAtPut(page, i, 0);
    objStackAtPut(page, ObjStackMyx, MournQueueRootIndex);
    objStackAtPut(page, ObjStackNextx, next);
    return page;
}

/* during marking: queue oop; 0 when no page can be had (the ephemeron is then not fired) */
sqInt queueMourner(sqInt oop)
{
    sqInt page = mournQueueRoot(), top;
    if (numSlotsOf(hiddenRootsObj) <= MournQueueRootIndex) return 0;
    if (page == nilObj || objStackAt(page, ObjStackTopx) >= ObjStackLimit) {
        page = newMournQueuePage(page == nilObj ? 0 : page);
        if (page == 0) return 0;
        /* made while marking: it lives through this collection */
        setMarkedOop(page);
        longAtPut(hiddenRootsObj + BaseHeaderSize + MournQueueRootIndex * BytesPerWord, page);
    }
    top = objStackAt(page, ObjStackTopx);
    objStackAtPut(page, ObjStackFixedSlots + top, oop);
    objStackAtPut(page, ObjStackTopx, top + 1);
    return 1;
}

/* the last mourner queued, taken off the queue (a page emptied in front of a full one is dropped),
 * or 0 when there is none */
sqInt dequeueMourner(void)
{
    sqInt page = mournQueueRoot(), top, oop, next;
    if (page == nilObj) return 0;
    top = objStackAt(page, ObjStackTopx);
    if (top == 0) return 0;
    top -= 1;
    oop = objStackAt(page, ObjStackFixedSlots + top);
    objStackAtPut(page, ObjStackFixedSlots + top, 0);
    objStackAtPut(page, ObjStackTopx, top);
    next = objStackAt(page, ObjStackNextx);
    if (top == 0 && next != 0) storePointer(MournQueueRootIndex, hiddenRootsObj, next);
    if (isNonImmediate(oop) && isForwarded(oop)) oop = followForwarded(oop);
    return oop;
}

/* primitiveFetchMourner (172): the next mourner; fails with PrimErrNotFound when there is none,
 * as Open-Smalltalk-VM's does */
void primitiveFetchMourner(void)
{
    sqInt oop = dequeueMourner();
    if (oop == 0) { primitiveFailFor(PrimErrNotFound); return; }
    popThenPush(argumentCount + 1, oop);
}

/* ---- the collectors, become, the verifier, snapshots, loading ---- */

/* marking's roots: the pages and what they hold, forwarders left by become followed */
void markMournQueue(void)
{
    sqInt page = mournQueueRoot(), n, i, v;
    while (page != nilObj && page != 0) {
        markObject(page);
        n = objStackAt(page, ObjStackTopx);
        for (i = ObjStackFixedSlots; i < ObjStackFixedSlots + n; i += 1) {
            v = objStackAt(page, i);
            if (isNonImmediate(v) && isForwarded(v)) {
                v = followForwarded(v);
                objStackAtPut(page, i, v);
            }
            markObject(v);
        }
        page = objStackAt(page, ObjStackNextx);
    }
}

/* compaction's update pass, on a marked page whose first field (its number of entries) is saved
 * aside: the next page and the entries take the new addresses of what they name */
void updateMournQueuePage(sqInt page, sqInt count)
{
    sqInt i, v;
    for (i = ObjStackNextx; i < ObjStackFixedSlots + count; i += 1) {
        v = objStackAt(page, i);
        if (isOldHeapObject(v)) objStackAtPut(page, i, longAt(v + BaseHeaderSize));
    }
}

/* the snapshot writer: the page's references as at another base address */
void relocateMournQueuePageBy(sqInt page, sqInt delta)
{
    sqInt i, v;
    for (i = ObjStackNextx; i < ObjStackFixedSlots + objStackAt(page, ObjStackTopx); i += 1) {
        v = objStackAt(page, i);
        if (v != 0 && isNonImmediate(v)) objStackAtPut(page, i, v + delta);
    }
}

/* the most pages old space could hold: a longer chain loops */
sqInt maxMournQueuePages(void) { return (endOfOldObjects - oldSpaceStart) / (ObjStackPageSlots * BytesPerWord) + 1; }

/* the verifier (slot -8): well-formed pages (the first may be partly filled, and empty only when
 * alone; the others are full); entries that are objects, old, none twice (each is marked while
 * the queue is walked, then unmarked), and no forwarder after a full collection */
sqInt isBadMourner(sqInt v)
{
    if (isImmediate(v)) return !isValidImmediate(v);
    return !isNotedObjectStart(v) || isYoungOop(v) || classIndexOf(v) == FreeChunkClassIndex
        || (isForwarded(v) && verifyingAfterFullGC) || isMarkedOop(v);
}

void verifyMournQueue(void)
{
    sqInt root = mournQueueRoot(), page = root, n, i, v, pages = 0, goodPages;
    while (page != nilObj && page != 0) {
        if (!isValidReference(page) || isImmediate(page) || !isMournQueuePage(page) || pages >= maxMournQueuePages()) {
            verifyFailed(page, -8, 0);
            break;
        }
        n = objStackAt(page, ObjStackTopx);
        if (objStackAt(page, ObjStackFreex) != 0 || n < 0 || n > ObjStackLimit || (page != root && n != ObjStackLimit)
            || (page == root && n == 0 && objStackAt(page, ObjStackNextx) != 0)) {
            verifyFailed(page, -8, n);
            break;
        }
        for (i = ObjStackFixedSlots; i < ObjStackFixedSlots + n; i += 1) {
            v = objStackAt(page, i);
            if (isBadMourner(v)) verifyFailed(page, -8, v);
            else if (isNonImmediate(v)) setMarkedOop(v);
        }
        pages += 1;
        page = objStackAt(page, ObjStackNextx);
    }
    goodPages = pages;
    page = root;
    for (pages = 0; pages < goodPages; pages += 1) {
        n = objStackAt(page, ObjStackTopx);
        for (i = ObjStackFixedSlots; i < ObjStackFixedSlots + n; i += 1) {
            v = objStackAt(page, i);
            if (isNonImmediate(v) && isNotedObjectStart(v)) clearMarkedOop(v);
        }
        page = objStackAt(page, ObjStackNextx);
    }
}

/* after the loader's passes 2 and 3, the object stacks still hold the saved heap's raw addresses.
 * The mark and weakling stacks are empty between collections (Open-Smalltalk-VM's loader
 * asserts it): each becomes one empty page. The mourn queue's chain is checked first, then its
 * links and entries relocated (entries checked, forwarders followed); free-page lists are
 * dropped. */
sqInt loadObjStacks(void)
{
    sqInt index, page, n, i, v, pages = 0;
    if (numSlotsOf(hiddenRootsObj) <= MournQueueRootIndex) return LoadOK;
    for (index = MarkStackRootIndex; index < MournQueueRootIndex; index += 1) {
        page = fetchPointer(index, hiddenRootsObj);
        if (!isObjStackPageFor(page, index)) continue;
        objStackAtPut(page, ObjStackTopx, 0);
        objStackAtPut(page, ObjStackFreex, 0);
        objStackAtPut(page, ObjStackNextx, 0);
    }
    page = fetchPointer(MournQueueRootIndex, hiddenRootsObj);
    while (page != nilObj) {
        if (!isMournQueuePage(page) || pages >= maxMournQueuePages()) return loadFailed(LoadErrBadRoots, fileOffsetOf(isNonImmediate(page) ? page : hiddenRootsObj), 8);
        n = objStackAt(page, ObjStackTopx);
        if (n < 0 || n > ObjStackLimit) return loadFailed(LoadErrBadRoots, fileOffsetOf(page), 8);
        if (objStackAt(page, ObjStackNextx) == 0) break;
        page = relocatedOop(objStackAt(page, ObjStackNextx));
        if (page == 0 || !isObjectStart(page)) return loadFailed(LoadErrBadRoots, fileOffsetOf(hiddenRootsObj), 8);
        pages += 1;
    }
    page = fetchPointer(MournQueueRootIndex, hiddenRootsObj);
    while (page != nilObj && page != 0) {
        objStackAtPut(page, ObjStackFreex, 0);
        n = objStackAt(page, ObjStackTopx);
        for (i = ObjStackFixedSlots; i < ObjStackFixedSlots + n; i += 1) {
            v = objStackAt(page, i);
            if (isImmediate(v)) {
                if (!isValidImmediate(v)) return loadFailed(LoadErrBadRoots, fileOffsetOf(page), 9);
                continue;
            }
            v = relocatedOop(v);
            if (v == 0 || !isObjectStart(v) || classIndexOf(v) == FreeChunkClassIndex) return loadFailed(LoadErrBadRoots, fileOffsetOf(page), 9);
            if (isForwarded(v)) v = followLoadedForwarders(v);
            if (v == 0) return loadFailed(LoadErrBadRoots, fileOffsetOf(page), 9);
            objStackAtPut(page, i, v);
        }
        v = objStackAt(page, ObjStackNextx);
        if (v != 0) v = relocatedOop(v);
        objStackAtPut(page, ObjStackNextx, v);
        page = v;
    }
    return LoadOK;
}
