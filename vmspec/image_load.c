/* Loading a Spur image: header, segments, relocation and the validation pass.
 *
 * The body is read into old space in one piece, segments laid end to end (gaps between the
 * saved segments are closed), then three linear scans: (1) parse every header and note every
 * object start in a bitmap, (2) relocate and check every reference against that bitmap,
 * (3) replace references to forwarders by their targets and check every class index against
 * the class table. A corrupt image is refused with a LoadErr* code before anything runs. */
#include "internal.h"

sqInt imageWordBytesForFormat(sqInt format)
{
    if (format == ImageFormatSpur32) return 4;
    if (format == ImageFormatSpur64) return 8;
    return 0;
}

sqInt vmWordBytes(void) { return BytesPerWord; }
sqInt loadErrorDetailA(void) { return loadErrorA; }
sqInt loadErrorDetailB(void) { return loadErrorB; }
sqInt vmObjectsInImage(void) { return objectsInImage; }

sqInt loadFailed(sqInt code, sqInt a, sqInt b)
{
    loadError = code;
    loadErrorA = a;
    loadErrorB = b;
    return code;
}

/* the image's header word at byte offset off (a word is 4 or 8 bytes per the format) */
sqInt headerWordAt(sqInt header, sqInt off) { return longAt(header + off); }

sqInt fileOffsetOf(sqInt address) { return address - oldSpaceStart + (BytesPerWord == 8 ? ImageHeaderBytes64 : ImageHeaderBytes32); }

/* ---- the object-start bitmap: one bit per allocation unit of old space ---- */
sqInt bitmapBase(void) { return endOfOldObjects + 2 * AllocationUnit; }

void markObjectStart(sqInt oop)
{
    sqInt bit = (oop - oldSpaceStart) / AllocationUnit;
    sqInt a = bitmapBase() + (bit >> 3);
    byteAtPut(a, byteAt(a) | (1 << (bit & 7)));
}

sqInt isObjectStart(sqInt oop)
{
    sqInt bit;
    if (oop < oldSpaceStart || oop >= endOfOldObjects || (oop & (AllocationUnit - 1)) != 0) return 0;
    bit = (oop - oldSpaceStart) / AllocationUnit;
    return (byteAt(bitmapBase() + (bit >> 3)) >> (bit & 7)) & 1;
}

/* ---- segments ---- */
sqInt segmentBridgeOf(sqInt s)
{
    return segmentNewStart[s] + (segmentOldEnd[s] - segmentOldStart[s]) - 2 * AllocationUnit;
}

sqInt readSegments(sqInt dataSize, sqInt firstSegmentSize)
{
    sqInt offset = 0, segSize = firstSegmentSize, oldStart = imageOldBase, bridge, nextSize, gapWord, gapBytes;
    segmentCount = 0;
    for (;;) {
        if (segSize < 2 * AllocationUnit || (segSize & (AllocationUnit - 1)) != 0 || segSize > dataSize - offset)
            return loadFailed(LoadErrBadSegment, segmentCount, segSize);
        if (segmentCount >= MaxSegments)
            return loadFailed(LoadErrTooManySegments, segmentCount, MaxSegments);
        segmentOldStart[segmentCount] = oldStart;
        segmentOldEnd[segmentCount] = oldStart + segSize;
        segmentNewStart[segmentCount] = oldSpaceStart + offset;
        bridge = oldSpaceStart + offset + segSize - 2 * AllocationUnit;
        gapWord = long64At(bridge);
        nextSize = long64At(bridge + AllocationUnit);
        gapBytes = ((gapWord >> NumSlotsShift) & 0xFF) == OverflowSlotsMarker
                     ? (gapWord & 0x00FFFFFF) * BytesPerWord : 0;
        segmentCount += 1;
        offset += segSize;
        /* the segments now touch: rewrite the bridge as a gapless one (a 16-byte pseudo-object) */
        long64AtPut(bridge, MarkedBit | ((sqLong)Format32Bit << FormatShift) | SmallIntegerOddClassIndex);
        if (nextSize == 0) {
            endOfOldObjects = bridge;
            if (offset != dataSize)
                return loadFailed(LoadErrSizeMismatch, offset, dataSize);
            return LoadOK;
        }
        if (nextSize < 0) return loadFailed(LoadErrBadSegment, segmentCount, nextSize);
        oldStart = oldStart + segSize + gapBytes;
        segSize = nextSize;
    }
}

/* the address an oop of the saved image has now, or 0 if it is in no segment */
sqInt relocatedOop(sqInt oldOop)
{
    sqInt s;
    for (s = 0; s < segmentCount; s += 1)
        if (oldOop >= segmentOldStart[s] && oldOop < segmentOldEnd[s])
            return oldOop - segmentOldStart[s] + segmentNewStart[s];
    return 0;
}

sqInt isValidImmediate(sqInt oop)
{
    sqInt tag = oop & TagMask;
    if (BytesPerWord == 4) return tag != 0;
    return tag == SmallIntegerTag || tag == CharacterTag || tag == SmallFloatTag;
}

/* number of leading slots of oop that hold references */
sqInt numPointerSlotsOf(sqInt oop)
{
    sqInt fmt = formatOf(oop), ci = classIndexOf(oop);
    if (ci == FreeChunkClassIndex) return 0;
    if (fmt == FormatForwarded) return 1;
    if (fmt <= FormatEphemeron) return numSlotsOf(oop);
    if (fmt >= FormatCompiledMethod) return 1 + (integerValueOf(fetchPointer(0, oop)) & HeaderNumLiteralsMask);
    return 0;
}

/* pass 1: every header parses, every object lies inside its segment */
sqInt scanHeaders(void)
{
    sqInt s, a, end, oop, n, body, fmt, ci;
    objectsInImage = 0;
    freeBytesInImage = 0;
    for (s = 0; s < segmentCount; s += 1) {
        a = segmentNewStart[s];
        end = segmentBridgeOf(s);
        while (a < end) {
            if (a + 2 * AllocationUnit > end) return loadFailed(LoadErrBadObject, fileOffsetOf(a), 0);
            oop = a;
            n = rawNumSlotsOf(a);
            if (n == OverflowSlotsMarker) {
                n = long64At(a) & 0x00FFFFFFFFFFFFFFLL;
                oop = a + BaseHeaderSize;
                if (rawNumSlotsOf(oop) != OverflowSlotsMarker || n < OverflowSlotsMarker)
                    return loadFailed(LoadErrBadObject, fileOffsetOf(a), 1);
            }
            if (n > (end - oop) / BytesPerWord) return loadFailed(LoadErrBadObject, fileOffsetOf(oop), 2);
            body = (n * BytesPerWord + (AllocationUnit - 1)) & ~(AllocationUnit - 1);
            if (body < AllocationUnit) body = AllocationUnit;
            if (oop + BaseHeaderSize + body > end) return loadFailed(LoadErrBadObject, fileOffsetOf(oop), 2);
            markObjectStart(oop);
            SIM_ONLY(simNoteObjectStart(oop, oop + BaseHeaderSize + body));
            /* the remembered set starts empty, so no object may claim to be in it */
            long32AtPut(oop, long32At(oop) & ~RememberedBit);
            /* nor on the list of unscanned ephemerons (gc_ephemerons.c) */
            long64AtPut(oop, long64At(oop) & ~GreyBit);
            fmt = formatOf(oop);
            ci = classIndexOf(oop);
            if (fmt == 6 || fmt == 8 || (fmt == FormatForwarded) != (ci == ForwardedClassIndex))
                return loadFailed(LoadErrBadObject, fileOffsetOf(oop), 3);
            if (ci < FirstValidClassIndex && ci != FreeChunkClassIndex && ci != ForwardedClassIndex
                && ci != ArrayClassIndexPun && ci != WordSizeClassIndexPun - 1 && ci != WordSizeClassIndexPun)
                return loadFailed(LoadErrBadClassIndex, fileOffsetOf(oop), ci);
            if (fmt >= FormatCompiledMethod
                && (n < 1 || !isIntegerObject(fetchPointer(0, oop))
                    || (integerValueOf(fetchPointer(0, oop)) & HeaderNumLiteralsMask) >= n))
                return loadFailed(LoadErrBadObject, fileOffsetOf(oop), 4);
            if (ci == FreeChunkClassIndex) freeBytesInImage += oop + BaseHeaderSize + body - a;
            objectsInImage += 1;
            a = oop + BaseHeaderSize + body;
        }
        if (a != end) return loadFailed(LoadErrBadObject, fileOffsetOf(a), 5);
    }
    return LoadOK;
}

/* pass 2: relocate every reference and check it names an object start or a valid immediate */
sqInt relocateReferences(void)
{
    sqInt s, a, end, oop, i, n, v, nv, slotAddr;
    for (s = 0; s < segmentCount; s += 1) {
        end = segmentBridgeOf(s);
        for (a = segmentNewStart[s]; a < end; a += bytesInObject(oop)) {
            oop = objectStartingAt(a);
            if (classIndexOf(oop) == FreeChunkClassIndex) {
                /* free-list links of the saved heap: the allocator rebuilds its own */
                for (i = 0; i < numSlotsOf(oop); i += 1) storePointer(i, oop, 0);
                continue;
            }
            n = numPointerSlotsOf(oop);
            for (i = 0; i < n; i += 1) {
                slotAddr = oop + BaseHeaderSize + i * BytesPerWord;
                v = longAt(slotAddr);
                if (isImmediate(v)) {
                    if (!isValidImmediate(v)) return loadFailed(LoadErrBadReference, fileOffsetOf(oop), i);
                    continue;
                }
                nv = relocatedOop(v);
                if (nv == 0 || !isObjectStart(nv) || classIndexOf(nv) == FreeChunkClassIndex)
                    return loadFailed(LoadErrBadReference, fileOffsetOf(oop), i);
                longAtPut(slotAddr, nv);
            }
        }
    }
    return LoadOK;
}

sqInt checkClassTable(void)
{
    sqInt i, page, n = numSlotsOf(hiddenRootsObj);
    if (classIndexOf(hiddenRootsObj) != ArrayClassIndexPun || n < ClassTableRootSlots)
        return loadFailed(LoadErrBadRoots, fileOffsetOf(hiddenRootsObj), 1);
    for (i = 0; i < ClassTableRootSlots; i += 1) {
        page = fetchPointer(i, hiddenRootsObj);
        if (page == nilObj) continue;
        if (isImmediate(page) || classIndexOf(page) != ArrayClassIndexPun || numSlotsOf(page) != ClassTablePageSize)
            return loadFailed(LoadErrBadRoots, fileOffsetOf(page), 2);
    }
    if (fetchPointer(0, hiddenRootsObj) == nilObj) return loadFailed(LoadErrBadRoots, fileOffsetOf(hiddenRootsObj), 3);
    return LoadOK;
}

/* The object a chain of forwarders from oop ends at, or 0 if it ends in an immediate or loops.
 * The forwarding pointer is read from the body (a forwarder may have no slots: every object has
 * room for one), and every forwarder on the chain is pointed at its end, so that no chain is
 * walked twice. oop is an object start whose forwarding pointers pass 2 has relocated. */
sqInt followLoadedForwarders(sqInt oop)
{
    sqInt last = oop, hops = 0, next;
    while (isForwarded(last)) {
        last = longAt(last + BaseHeaderSize);
        hops += 1;
        if (isImmediate(last) || hops > objectsInImage) return 0;
    }
    while (oop != last) {
        next = longAt(oop + BaseHeaderSize);
        longAtPut(oop + BaseHeaderSize, last);
        oop = next;
    }
    return last;
}

/* pass 3: no reference to a forwarder survives; every object's class is in the class table */
sqInt resolveForwardersAndClasses(void)
{
    sqInt s, a, end, oop, i, n, v, ci, cls;
    for (s = 0; s < segmentCount; s += 1) {
        end = segmentBridgeOf(s);
        for (a = segmentNewStart[s]; a < end; a += bytesInObject(oop)) {
            oop = objectStartingAt(a);
            ci = classIndexOf(oop);
            if (ci == FreeChunkClassIndex || ci == ForwardedClassIndex) continue;
            if (ci >= FirstValidClassIndex) {
                cls = classAtIndex(ci);
                if (cls == nilObj || isImmediate(cls) || formatOf(cls) > FormatEphemeron || numSlotsOf(cls) <= ClassFormatIndex)
                    return loadFailed(LoadErrBadClassIndex, fileOffsetOf(oop), ci);
            }
            n = numPointerSlotsOf(oop);
            for (i = 0; i < n; i += 1) {
                v = fetchPointer(i, oop);
                if (isImmediate(v) || !isForwarded(v)) continue;
                v = followLoadedForwarders(v);
                if (v == 0) return loadFailed(LoadErrBadReference, fileOffsetOf(oop), i);
                storePointer(i, oop, v);
            }
        }
    }
    return LoadOK;
}

/* an image whose header flags say its floats are in big-endian word order: each BoxedFloat64
 * (class index 34 with a body of at least 8 bytes) gets its two 32-bit halves swapped, as
 * Open-Smalltalk-VM does at load; from then on the heap, and the snapshots of it, are in
 * platform order */
void convertFloatsToPlatformOrder(void)
{
    sqInt s, a, end, oop, body, low;
    for (s = 0; s < segmentCount; s += 1) {
        end = segmentBridgeOf(s);
        for (a = segmentNewStart[s]; a < end; a += bytesInObject(oop)) {
            oop = objectStartingAt(a);
            if (classIndexOf(oop) != BoxedFloatClassIndex || formatOf(oop) < Format64Bit
                || formatOf(oop) >= FormatCompiledMethod) continue;
            body = oop + BaseHeaderSize;
            if (numSlotsOf(oop) * BytesPerWord < 8) continue;
            low = long32At(body);
            long32AtPut(body, long32At(body + 4));
            long32AtPut(body + 4, low);
        }
    }
    imageHeaderFlags = imageHeaderFlags | ImageFlagFloatsInPlatformOrder;
}

/* the memory manager's own objects come first: nil, false, true, the free lists, the hidden roots */
sqInt locateHiddenObjects(void)
{
    nilObj = objectStartingAt(oldSpaceStart);
    falseObj = objectAfter(nilObj);
    trueObj = objectAfter(falseObj);
    freeListsObj = objectAfter(trueObj);
    hiddenRootsObj = objectAfter(freeListsObj);
    if (hiddenRootsObj >= endOfOldObjects) return loadFailed(LoadErrBadRoots, 0, 0);
    return LoadOK;
}

/* oop is an object with pointer slots (not a forwarder, not free) and index is one of them: what
 * it holds has been checked by passes 2 and 3 */
sqInt hasPointerSlot(sqInt oop, sqInt index)
{
    sqInt ci;
    if (isImmediate(oop)) return 0;
    ci = classIndexOf(oop);
    return ci != FreeChunkClassIndex && ci != ForwardedClassIndex && formatOf(oop) <= FormatEphemeron && index < numSlotsOf(oop);
}

sqInt checkSpecialObjects(sqInt specialsOldOop)
{
    sqInt sched, proc, ctx;
    specialObjectsOop = relocatedOop(specialsOldOop);
    if (specialObjectsOop != 0 && isObjectStart(specialObjectsOop)) specialObjectsOop = followLoadedForwarders(specialObjectsOop);
    else specialObjectsOop = 0;
    if (specialObjectsOop == 0 || !hasPointerSlot(specialObjectsOop, SpecialClassFullBlockClosure)
        || formatOf(specialObjectsOop) != FormatIndexable)
        return loadFailed(LoadErrBadRoots, fileOffsetOf(specialObjectsOop ? specialObjectsOop : oldSpaceStart), 4);
    if (splObj(SpecialNil) != nilObj || splObj(SpecialFalse) != falseObj || splObj(SpecialTrue) != trueObj)
        return loadFailed(LoadErrBadRoots, fileOffsetOf(specialObjectsOop), 5);
    /* the free lists of the saved heap are not trusted: the allocator rebuilds its own (zeroing
     * is safe only in an object whose slots are not references) */
    if (numPointerSlotsOf(freeListsObj) != 0) return loadFailed(LoadErrBadRoots, fileOffsetOf(freeListsObj), 6);
    {
        sqInt i;
        for (i = 0; i < numSlotsOf(freeListsObj); i += 1) longAtPut(freeListsObj + BaseHeaderSize + i * BytesPerWord, 0);
    }
    /* the way to the active process; isContext and the interpreter take the context class's
     * index from its hash */
    if (!hasPointerSlot(splObj(SpecialSchedulerAssociation), AssociationValueIndex))
        return loadFailed(LoadErrNoActiveProcess, 0, 0);
    sched = fetchPointer(AssociationValueIndex, splObj(SpecialSchedulerAssociation));
    if (!hasPointerSlot(sched, SchedulerActiveProcessIndex))
        return loadFailed(LoadErrNoActiveProcess, 0, 0);
    proc = fetchPointer(SchedulerActiveProcessIndex, sched);
    if (!hasPointerSlot(proc, ProcessMyListIndex))
        return loadFailed(LoadErrNoActiveProcess, 0, 1);
    if (!hasPointerSlot(splObj(SpecialClassMethodContext), ClassFormatIndex))
        return loadFailed(LoadErrBadRoots, fileOffsetOf(specialObjectsOop), 7);
    ctx = fetchPointer(ProcessSuspendedContextIndex, proc);
    if (!isContext(ctx) || !hasPointerSlot(ctx, ContextTempFrameStart - 1) || !isCompiledMethod(fetchPointer(ContextMethodIndex, ctx)))
        return loadFailed(LoadErrNoActiveProcess, 0, 2);
    return LoadOK;
}

sqInt loadImage(sqInt fileSize)
{
    sqInt header, format, headerSize, dataSize, firstSeg, specials, stackBytes, total, rc, wordBytes, maxOld, committed;
    loadError = LoadOK;
    if (fileSize < 8) return loadFailed(LoadErrTooSmall, fileSize, ImageHeaderBytes32);

    /* lay out VM memory: stack zone, eden, old space (image, the load bitmap, a segment of room),
     * all committed, and the rest of the largest old space allowed, reserved (segments.c) */
    numStackPages = NumStackPagesDefault;
    stackPageBytes = StackPageBytesDefault;
    stackBytes = numStackPages * (stackPageBytes + PageDescriptorWords * BytesPerWord);
    committed = stackBytes + NewSpaceBytesDefault + fileSize + fileSize / 32 + OldSpaceSegmentBytes;
    maxOld = maxOldSpaceBytes > 0 ? maxOldSpaceBytes : MaxOldSpaceBytesDefault;
    total = stackBytes + NewSpaceBytesDefault + maxOld;
    if (total < committed) total = committed;
    memoryBase = platformReserveMemory(total, BytesPerWord == 4);
    /* less address space than asked for (a 32-bit heap below 4 GiB under a sanitizer, say):
     * settle for a smaller largest old space */
    while (memoryBase == 0 && total / 2 >= committed) {
        total = total / 2;
        memoryBase = platformReserveMemory(total, BytesPerWord == 4);
    }
    if (memoryBase == 0) return loadFailed(LoadErrNoMemory, total, 0);
    if (!platformCommitMemory(memoryBase, committed)) return loadFailed(LoadErrNoMemory, committed, 0);
    memoryLimit = memoryBase + total;
    stackZoneStart = memoryBase;
    stackZoneEnd = memoryBase + stackBytes;
    initializeNewSpace(stackZoneEnd, NewSpaceBytesDefault);
    oldSpaceStart = newSpaceLimit;
    oldSpaceLimit = memoryBase + committed;
    oldSpaceReservedLimit = memoryLimit;
    oldSpacePeakCommitted = oldSpaceLimit - oldSpaceStart;

    /* the header, read into the (still unused) stack zone */
    header = stackZoneStart;
    if (platformReadImageBytes(0, header, fileSize < ImageHeaderMaxBytes ? fileSize : ImageHeaderMaxBytes) < 0)
        return loadFailed(LoadErrReadFailed, 0, 0);
    format = long32At(header);
    wordBytes = imageWordBytesForFormat(format);
    if (wordBytes == 0) return loadFailed(LoadErrUnknownFormat, format, 0);
    if (wordBytes != BytesPerWord) return loadFailed(LoadErrWordSize, format, wordBytes);
    headerSize = long32At(header + 4);
    if (headerSize != (BytesPerWord == 8 ? ImageHeaderBytes64 : ImageHeaderBytes32))
        return loadFailed(LoadErrBadHeaderSize, headerSize, 0);
    if (fileSize < headerSize) return loadFailed(LoadErrTooSmall, fileSize, headerSize);
    dataSize = headerWordAt(header, 2 * 4);
    imageOldBase = headerWordAt(header, 2 * 4 + BytesPerWord);
    specials = headerWordAt(header, 2 * 4 + 2 * BytesPerWord);
    lastHash = long32At(header + 2 * 4 + 3 * BytesPerWord);
    imageSavedWindowSize = headerWordAt(header, 2 * 4 + 4 * BytesPerWord);
    imageHeaderFlags = headerWordAt(header, 2 * 4 + 5 * BytesPerWord);
    firstSeg = headerWordAt(header, 2 * 4 + 6 * BytesPerWord + 16);
    imageFormat = format;
    if (dataSize <= 0 || headerSize + dataSize > fileSize)
        return loadFailed(LoadErrSizeMismatch, headerSize + dataSize, fileSize);
    if (firstSeg <= 0 || firstSeg > dataSize)
        return loadFailed(LoadErrBadSegment, 0, firstSeg);
    if (lastHash == 0) lastHash = 1;

    if (platformReadImageBytes(headerSize, oldSpaceStart, dataSize) != dataSize)
        return loadFailed(LoadErrReadFailed, headerSize, dataSize);
    if (fileSize >= headerSize + dataSize + ResumeTrailerBytes) readResumeTrailer(headerSize + dataSize);
    rc = readSegments(dataSize, firstSeg);
    if (rc != LoadOK) return rc;
    rc = scanHeaders();
    if (rc != LoadOK) return rc;
    rc = relocateReferences();
    if (rc != LoadOK) return rc;
    rc = locateHiddenObjects();
    if (rc != LoadOK) return rc;
    rc = checkClassTable();
    if (rc != LoadOK) return rc;
    rc = resolveForwardersAndClasses();
    if (rc != LoadOK) return rc;
    rc = loadObjStacks();
    if (rc != LoadOK) return rc;
    /* mourners saved with the image are fetched when the finalization semaphore is signalled: at
     * the first interrupt check (a crash snapshot's trailer brings its own pending signals) */
    if (resumeReason == 0 && mournQueueRoot() != nilObj && objStackAt(mournQueueRoot(), ObjStackTopx) > 0) pendingFinalizationSignals = 1;
    rc = checkSpecialObjects(specials);
    if (rc != LoadOK) return rc;
    if ((imageHeaderFlags & ImageFlagFloatsInPlatformOrder) == 0) convertFloatsToPlatformOrder();
    {   /* the bitmap has served; old space above the last bridge is free */
        sqInt a;
        for (a = bitmapBase(); a < bitmapBase() + (endOfOldObjects - oldSpaceStart) / AllocationUnit / 8 + 1; a += 1)
            byteAtPut(a, 0);
    }
    rebuildFreeLists();
    initializeInterpreter();
    return LoadOK;
}
