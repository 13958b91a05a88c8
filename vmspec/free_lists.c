/* Old space's free chunks, as Spur keeps them: slot i of the free-lists object (0 < i <
 * freeListCount()) heads a list of chunks of exactly i allocation units, linked through their
 * first slot; slot 0 heads the list of larger chunks, searched for the best fit. Bit i of
 * freeListsMask is set while list i is not empty, so that a small allocation goes straight to
 * the smallest list that can serve it. Mark-sweep fills the lists, mark-compact empties them. */
#include "internal.h"

/* list indices must fit freeListsMask's bits (a 64-bit word, sign bit unused) */
sqInt freeListCount(void) { return numSlotsOf(freeListsObj) < 63 ? numSlotsOf(freeListsObj) : 63; }

sqInt freeListHead(sqInt i) { INLINE(always); return freeListsObj + BaseHeaderSize + i * BytesPerWord; }

sqInt freeListIndexFor(sqInt bytes)
{
    return bytes / AllocationUnit < freeListCount() ? bytes / AllocationUnit : 0;
}

sqInt freeChunkStart(sqInt chunk) { return chunk - (rawNumSlotsOf(chunk) == OverflowSlotsMarker ? BaseHeaderSize : 0); }

void resetFreeLists(void)
{
    sqInt i;
    for (i = 0; i < numSlotsOf(freeListsObj); i += 1) longAtPut(freeListHead(i), 0);
    freeListsMask = 0;
    oldSpaceFreeChunkBytes = 0;
}

/* a free chunk of exactly bytes at address, walkable as an object of class index 0, on its list */
void makeFreeChunk(sqInt address, sqInt bytes)
{
    sqInt slots = (bytes - BaseHeaderSize) / BytesPerWord, oop = address, i;
    if (slots >= OverflowSlotsMarker) {
        slots = (bytes - 2 * BaseHeaderSize) / BytesPerWord;
        long64AtPut(address, ((sqLong)0xFF << NumSlotsShift) | slots);
        oop = address + BaseHeaderSize;
        slots = OverflowSlotsMarker;
    }
    long64AtPut(oop, ((sqLong)slots << NumSlotsShift) | FreeChunkClassIndex);
    i = freeListIndexFor(bytes);
    /* test-only: small chunks misfiled on the large list, for the verifier to find */
    if (VARIANT(test_fault, misfile_free_chunks)) i = 0;
    longAtPut(oop + BaseHeaderSize, longAt(freeListHead(i)));
    longAtPut(freeListHead(i), oop);
    if (i != 0) freeListsMask = freeListsMask | ((sqInt)1 << i);
    oldSpaceFreeChunkBytes += bytes;
}

/* unlinks chunk (found after the link at prevLink on list i) and answers its first byte; what is
 * left beyond bytes goes back on the lists as a smaller chunk */
sqInt takeFreeChunk(sqInt i, sqInt prevLink, sqInt chunk, sqInt bytes)
{
    sqInt start = freeChunkStart(chunk), size = bytesInObject(chunk);
    longAtPut(prevLink, longAt(chunk + BaseHeaderSize));
    if (i != 0 && longAt(freeListHead(i)) == 0) freeListsMask = freeListsMask & ~((sqInt)1 << i);
    oldSpaceFreeChunkBytes -= size;
    if (size > bytes) makeFreeChunk(start + bytes, size - bytes);
    return start;
}

/* exact fit from the small lists, else the smallest small chunk that leaves a valid remainder
 * (two units), else the best fit among the large ones; 0 if nothing fits */
sqInt allocateFromFreeChunks(sqInt bytes)
{
    sqInt units = bytes / AllocationUnit, n = freeListCount(), i, link, chunk, size, best = 0, bestLink = 0, bestSize = 0;
    if (units < n && ((freeListsMask >> units) & 1) != 0) return takeFreeChunk(units, freeListHead(units), longAt(freeListHead(units)), bytes);
    for (i = units + 2; i < n; i += 1)
        if (((freeListsMask >> i) & 1) != 0) return takeFreeChunk(i, freeListHead(i), longAt(freeListHead(i)), bytes);
    link = freeListHead(0);
    chunk = longAt(link);
    while (chunk != 0) {
        size = bytesInObject(chunk);
        if ((size == bytes || size >= bytes + 2 * AllocationUnit) && (best == 0 || size < bestSize)) {
            best = chunk;
            bestLink = link;
            bestSize = size;
            if (size == bytes) break;
        }
        link = chunk + BaseHeaderSize;
        chunk = longAt(link);
    }
    return best == 0 ? 0 : takeFreeChunk(0, bestLink, best, bytes);
}

/* free chunks hold only their header and link: a snapshot of the sweeper's heap then writes
 * the same bytes as the one written again from it after loading */
void clearFreeChunkBodies(void)
{
    sqInt a, oop, bytes, w;
    for (a = oldSpaceStart; a < endOfOldObjects; a += bytes) {
        oop = objectStartingAt(a);
        bytes = bytesInObject(oop);
        if (classIndexOf(oop) != FreeChunkClassIndex) continue;
        if (BytesPerWord == 4) long32AtPut(oop + BaseHeaderSize + 4, 0);
        for (w = oop + BaseHeaderSize + AllocationUnit; w < a + bytes; w += AllocationUnit) long64AtPut(w, 0);
    }
}

/* after loading: the saved lists are not trusted; the image's free chunks go on fresh ones */
void rebuildFreeLists(void)
{
    sqInt a, oop, bytes;
    resetFreeLists();
    for (a = oldSpaceStart; a < endOfOldObjects; a += bytes) {
        oop = objectStartingAt(a);
        bytes = bytesInObject(oop);
        if (classIndexOf(oop) == FreeChunkClassIndex) makeFreeChunk(a, bytes);
    }
}

/* for the verifier: every list holds only free chunks of its size at object starts, the mask
 * says which lists are empty, and the lists hold every free chunk of the heap and its bytes;
 * each failure goes to verifyFailed with slot -3 */
void verifyFreeLists(sqInt freeChunksInHeap)
{
    sqInt i, chunk, n = freeListCount(), count = 0, bytes = 0, size, limit = (endOfOldObjects - oldSpaceStart) / (2 * AllocationUnit) + 1;
    for (i = 0; i < n; i += 1) {
        chunk = longAt(freeListHead(i));
        if (i != 0 && (chunk != 0) != (((freeListsMask >> i) & 1) != 0)) verifyFailed(freeListsObj, -3, i);
        while (chunk != 0 && count <= limit) {
            if (chunk < oldSpaceStart || chunk >= endOfOldObjects || !isNotedObjectStart(chunk) || classIndexOf(chunk) != FreeChunkClassIndex) {
                verifyFailed(freeListsObj, -3, chunk);
                break;
            }
            size = bytesInObject(chunk);
            if (freeListIndexFor(size) != i) verifyFailed(chunk, -3, size);
            bytes += size;
            count += 1;
            chunk = longAt(chunk + BaseHeaderSize);
        }
    }
    if (count != freeChunksInHeap || bytes != oldSpaceFreeChunkBytes) verifyFailed(freeListsObj, -3, count);
}
