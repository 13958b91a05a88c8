/* Spur object memory: headers, slots, immediates, the class table, allocation. */
#include "internal.h"

/* ---- immediates ---- */
sqInt isImmediate(sqInt oop) { INLINE(always); return (oop & TagMask) != 0; }
sqInt isIntegerObject(sqInt oop) { INLINE(always); return BytesPerWord == 8 ? (oop & TagMask) == SmallIntegerTag : (oop & SmallIntegerTag) != 0; }
sqInt isCharacterObject(sqInt oop) { INLINE(always); return (oop & TagMask) == CharacterTag; }
sqInt isNonImmediate(sqInt oop) { INLINE(always); return (oop & TagMask) == 0; }

sqInt integerValueOf(sqInt oop)
{
    INLINE(always);
    /* 64-bit Spur tags SmallIntegers with 3 bits, 32-bit with 1; a 32-bit oop lives
     * zero-extended in a 64-bit sqInt, so sign-extend it first */
    return BytesPerWord == 8 ? oop >> 3 : ((sqInt)(int32_t)(uint32_t)oop) >> 1;
}

sqInt integerObjectOf(sqInt value)
{
    INLINE(always);
    return BytesPerWord == 8 ? (sqInt)(((usqInt)value << 3) | 1) : (sqInt)(uint32_t)(((usqInt)value << 1) | 1);
}

sqInt isIntegerValue(sqInt value) { INLINE(always); return value >= MinSmallInteger && value <= MaxSmallInteger; }
sqInt characterValueOf(sqInt oop) { INLINE(always); return (sqInt)((usqInt)oop >> NumTagBits); }
sqInt characterObjectOf(sqInt value) { INLINE(always); return (sqInt)(((usqInt)value << NumTagBits) | CharacterTag); }

/* ---- headers ---- */
sqLong headerOf(sqInt oop) { INLINE(always); return long64At(oop); }
sqInt classIndexOf(sqInt oop) { INLINE(always); return long32At(oop) & ClassIndexMask; }
sqInt formatOf(sqInt oop) { INLINE(always); return (long32At(oop) >> FormatShift) & FormatMask; }
sqInt rawNumSlotsOf(sqInt oop) { INLINE(always); return byteAt(oop + 7); }
sqInt rawHashOf(sqInt oop) { INLINE(always); return long32At(oop + 4) & HashMask; }

sqInt numSlotsOf(sqInt oop)
{
    INLINE(hint);
    sqInt n = rawNumSlotsOf(oop);
    if (n == OverflowSlotsMarker)
        return (sqInt)(long64At(oop - BaseHeaderSize) & 0x00FFFFFFFFFFFFFFLL);
    return n;
}

void setRawHash(sqInt oop, sqInt hash)
{
    long32AtPut(oop + 4, (long32At(oop + 4) & ~HashMask) | (hash & HashMask));
}

sqInt isForwarded(sqInt oop) { INLINE(always); return classIndexOf(oop) == ForwardedClassIndex; }

/* a pinned object never moves: old space only (pinning a young object tenures it first) */
sqInt isPinnedOop(sqInt oop) { INLINE(always); return (long32At(oop) & PinnedBit) != 0; }

void setPinnedOop(sqInt oop, sqInt pinned)
{
    long32AtPut(oop, pinned ? long32At(oop) | PinnedBit : long32At(oop) & ~PinnedBit);
}

/* a forwarder's target is in its first word, which even an object of no slots has */
sqInt followForwarded(sqInt oop)
{
    while (isNonImmediate(oop) && isForwarded(oop))
        oop = longAt(oop + BaseHeaderSize);
    return oop;
}

/* bytes an object occupies, overflow header included, from its header address; the marker
 * says whether there is an overflow header (a free chunk may carry one with a smaller count) */
sqInt bytesInObject(sqInt oop)
{
    sqInt n = numSlotsOf(oop);
    sqInt bodyBytes = (n * BytesPerWord + (AllocationUnit - 1)) & ~(AllocationUnit - 1);
    if (bodyBytes < AllocationUnit) bodyBytes = AllocationUnit;
    return (rawNumSlotsOf(oop) == OverflowSlotsMarker ? BaseHeaderSize : 0) + BaseHeaderSize + bodyBytes;
}

/* address of the object that follows oop in memory (skipping an overflow header) */
sqInt objectAfter(sqInt oop)
{
    sqInt n = numSlotsOf(oop);
    sqInt bodyBytes = (n * BytesPerWord + (AllocationUnit - 1)) & ~(AllocationUnit - 1);
    if (bodyBytes < AllocationUnit) bodyBytes = AllocationUnit;
    sqInt next = oop + BaseHeaderSize + bodyBytes;
    return objectStartingAt(next);
}

/* an object's header address given the address where its memory starts */
sqInt objectStartingAt(sqInt address)
{
    if (byteAt(address + 7) == OverflowSlotsMarker)
        return address + BaseHeaderSize;
    return address;
}

/* ---- slots ---- */
sqInt fetchPointer(sqInt index, sqInt oop)
{
    INLINE(always);
    SIM_ONLY(simCheckSlot(oop, index, 0, __FILE__, __LINE__));
    return longAt(oop + BaseHeaderSize + index * BytesPerWord);
}

void storePointer(sqInt index, sqInt oop, sqInt value)
{
    INLINE(always);
    SIM_ONLY(simCheckSlot(oop, index, 0, __FILE__, __LINE__));
    longAtPut(oop + BaseHeaderSize + index * BytesPerWord, value);
    /* the write barrier: an old object that comes to refer to a young one is remembered */
    if (oop >= oldSpaceStart && isYoungOop(value) && !isRemembered(oop)) rememberObject(oop);
}

sqInt fetchInteger(sqInt index, sqInt oop) { return integerValueOf(fetchPointer(index, oop)); }
void storeInteger(sqInt index, sqInt oop, sqInt value) { storePointer(index, oop, integerObjectOf(value)); }

sqInt fetchByte(sqInt index, sqInt oop)
{
    INLINE(always);
    SIM_ONLY(simCheckSlot(oop, index, 1, __FILE__, __LINE__));
    return byteAt(oop + BaseHeaderSize + index);
}

void storeByte(sqInt index, sqInt oop, sqInt value)
{
    INLINE(always);
    SIM_ONLY(simCheckSlot(oop, index, 1, __FILE__, __LINE__));
    byteAtPut(oop + BaseHeaderSize + index, value);
}

sqInt fetchShort16(sqInt index, sqInt oop) { return shortAt(oop + BaseHeaderSize + index * 2); }
void storeShort16(sqInt index, sqInt oop, sqInt value) { shortAtPut(oop + BaseHeaderSize + index * 2, value); }
sqInt fetchLong32(sqInt index, sqInt oop) { return long32At(oop + BaseHeaderSize + index * 4); }
void storeLong32(sqInt index, sqInt oop, sqInt value) { long32AtPut(oop + BaseHeaderSize + index * 4, value); }
sqLong fetchLong64(sqInt index, sqInt oop) { return long64At(oop + BaseHeaderSize + index * 8); }
void storeLong64(sqInt index, sqInt oop, sqLong value) { long64AtPut(oop + BaseHeaderSize + index * 8, value); }
sqInt firstFieldAddress(sqInt oop) { INLINE(always); return oop + BaseHeaderSize; }

/* ---- formats ---- */
sqInt isPointersFormat(sqInt fmt) { INLINE(always); return fmt <= FormatEphemeron; }
sqInt isPointersNonImm(sqInt oop) { return formatOf(oop) <= FormatEphemeron; }
sqInt isBytesFormat(sqInt fmt) { INLINE(always); return fmt >= Format8Bit; }
sqInt isCompiledMethodFormat(sqInt fmt) { INLINE(always); return fmt >= FormatCompiledMethod; }
sqInt isCompiledMethod(sqInt oop) { return isNonImmediate(oop) && formatOf(oop) >= FormatCompiledMethod; }
sqInt isWordsFormat(sqInt fmt) { return fmt >= Format32Bit && fmt < Format16Bit; }

/* number of bytes in a non-pointer object's indexable part */
sqInt numBytesOf(sqInt oop)
{
    sqInt fmt = formatOf(oop);
    sqInt bytes = numSlotsOf(oop) * BytesPerWord;
    if (fmt >= Format8Bit) return bytes - (fmt & 7);
    if (fmt >= Format16Bit) return bytes - (fmt & 3) * 2;
    if (fmt >= Format32Bit) return bytes - (fmt & 1) * 4;
    return bytes;
}

/* indexable size in elements of the object's kind, excluding fixed fields */
sqInt lengthOf(sqInt oop)
{
    sqInt fmt = formatOf(oop);
    if (fmt <= FormatEphemeron) return numSlotsOf(oop);
    if (fmt >= Format8Bit) return numBytesOf(oop);
    if (fmt >= Format16Bit) return numBytesOf(oop) / 2;
    if (fmt >= Format32Bit) return numBytesOf(oop) / 4;
    if (fmt == Format64Bit) return numBytesOf(oop) / 8;
    return 0;
}

/* ---- classes ---- */
sqInt classAtIndex(sqInt classIndex)
{
    sqInt page;
    if (classIndex < 0 || classIndex > ClassIndexMask) return nilObj;
    page = fetchPointer(classIndex >> ClassTablePageShift, hiddenRootsObj);
    if (page == nilObj) return nilObj;
    return fetchPointer(classIndex & (ClassTablePageSize - 1), page);
}

void setClassAtIndex(sqInt classIndex, sqInt classOop)
{
    sqInt page = fetchPointer(classIndex >> ClassTablePageShift, hiddenRootsObj);
    storePointer(classIndex & (ClassTablePageSize - 1), page, classOop);
}

/* the class index of any oop, immediates included */
sqInt classTagOf(sqInt oop)
{
    INLINE(always);
    if (isImmediate(oop)) {
        if (BytesPerWord == 8) return oop & TagMask;
        return (oop & SmallIntegerTag) ? SmallIntegerClassIndex : CharacterClassIndex;
    }
    return classIndexOf(oop);
}

sqInt fetchClassOf(sqInt oop) { return classAtIndex(classTagOf(oop)); }

sqInt splObj(sqInt index) { INLINE(always); return fetchPointer(index, specialObjectsOop); }

sqInt instSpecOfClass(sqInt classOop) { return fetchInteger(ClassFormatIndex, classOop) >> 16 & FormatMask; }
sqInt fixedFieldsOfClass(sqInt classOop) { return fetchInteger(ClassFormatIndex, classOop) & 0xFFFF; }

/* a class's index in the class table is its identity hash; 0 when it is not yet entered */
sqInt classIndexOfClass(sqInt classOop) { return rawHashOf(classOop); }

sqInt isInstanceOfClassIndex(sqInt oop, sqInt classIndex)
{
    return isNonImmediate(oop) && classIndexOf(oop) == classIndex;
}

sqInt isContext(sqInt oop)
{
    return isNonImmediate(oop) && classIndexOf(oop) == classIndexOfClass(splObj(SpecialClassMethodContext));
}

/* ---- identity hash, assigned lazily as Spur does ---- */
sqInt newHash(void)
{
    /* a 32-bit linear congruential generator (Park-Miller constants), never 0 */
    sqInt h;
    do {
        lastHash = (lastHash * 16807) % 2147483647;
        if (lastHash <= 0) lastHash = 1;
        h = lastHash & HashMask;
    } while (h == 0);
    return h;
}

sqInt identityHashOf(sqInt oop)
{
    sqInt h = rawHashOf(oop);
    if (h == 0) {
        h = newHash();
        setRawHash(oop, h);
    }
    return h;
}

/* ---- allocation: eden by bump pointer, large objects straight into old space ---- */
sqInt allocateSlots(sqInt numSlots, sqInt format, sqInt classIndex)
{
    sqInt bodyBytes = (numSlots * BytesPerWord + (AllocationUnit - 1)) & ~(AllocationUnit - 1);
    sqInt overflow = numSlots >= OverflowSlotsMarker ? BaseHeaderSize : 0;
    sqInt start, bytes, oop, a, fill, end;
    if (numSlots < 0 || numSlots > (sqInt)0xFFFFFFFFFFFFLL) return 0;
    if (bodyBytes < AllocationUnit) bodyBytes = AllocationUnit;
    bytes = overflow + BaseHeaderSize + bodyBytes;
    if (bytes >= LargeObjectBytes) {
        start = allocateOldBytes(bytes);
        if (start == 0) return 0;
    } else {
        if (scavengeEveryAllocations > 0 && allocationCount % scavengeEveryAllocations == 0 && !needScavenge) {
            needScavenge = 1;
            forceInterruptCheck();
        }
        if (freeStart + bytes > edenLimit && !needScavenge) {
            /* collect at the next safe point; until then the reserve serves */
            needScavenge = 1;
            forceInterruptCheck();
        }
        if (freeStart + bytes > edenHardLimit) return 0;
        start = freeStart;
        freeStart += bytes;
    }
    end = start + bytes;
    oop = start + overflow;
    if (overflow)
        long64AtPut(start, ((sqLong)0xFF << NumSlotsShift) | numSlots);
    long64AtPut(oop, ((sqLong)(numSlots >= OverflowSlotsMarker ? OverflowSlotsMarker : numSlots) << NumSlotsShift)
                     | ((sqLong)format << FormatShift) | classIndex);
    fill = isPointersFormat(format) ? nilObj : 0;
    for (a = oop + BaseHeaderSize; a < end; a += BytesPerWord)
        longAtPut(a, fill);
    SIM_ONLY(simNoteObjectStart(oop, end));
    allocationCount += 1;
    return oop;
}

/* instantiate a class with n indexable elements (0 for fixed-size classes); 0 when memory (or
 * the class table, which the class enters on its first instance) is out */
sqInt instantiateClass(sqInt classOop, sqInt n)
{
    sqInt spec = instSpecOfClass(classOop), fixed = fixedFieldsOfClass(classOop);
    sqInt ci = ensureClassIndex(classOop), slots, fmt = spec, oop;
    if (ci == 0) return 0;
    if (spec <= FormatEphemeron) {
        slots = fixed + n;
        if (spec == FormatZeroSized) slots = 0;
    } else if (spec >= Format8Bit) {
        slots = (n + BytesPerWord - 1) / BytesPerWord;
        fmt = Format8Bit + ((slots * BytesPerWord - n) & (BytesPerWord - 1));
        if (spec >= FormatCompiledMethod) fmt += FormatCompiledMethod - Format8Bit;
    } else if (spec >= Format16Bit) {
        slots = (n * 2 + BytesPerWord - 1) / BytesPerWord;
        fmt = Format16Bit + ((slots * BytesPerWord - n * 2) / 2 & (BytesPerWord / 2 - 1));
    } else if (spec >= Format32Bit) {
        slots = (n * 4 + BytesPerWord - 1) / BytesPerWord;
        fmt = Format32Bit + ((slots * BytesPerWord - n * 4) / 4 & (BytesPerWord / 4 - 1));
    } else if (spec == Format64Bit) {
        slots = n * (8 / BytesPerWord);
    } else {
        return 0;
    }
    oop = allocateSlots(slots, fmt, ci);
    return oop;
}

sqInt isIndexableFormat(sqInt fmt) { return fmt == FormatIndexable || fmt == FormatIndexableWithInstVars || fmt == FormatWeak || fmt >= Format64Bit; }

/* fixed fields of an object (inst vars), from its class */
sqInt fixedFieldsOf(sqInt oop)
{
    sqInt fmt = formatOf(oop);
    if (fmt == FormatIndexable || fmt > FormatEphemeron) return 0;
    if (fmt == FormatNonIndexable || fmt == FormatZeroSized) return numSlotsOf(oop);
    return fixedFieldsOfClass(fetchClassOf(oop));
}

/* shallow copy; 0 when memory is out */
sqInt cloneObject(sqInt oop)
{
    sqInt n = numSlotsOf(oop), copy, i;
    copy = allocateSlots(n, formatOf(oop), classIndexOf(oop));
    if (copy == 0) return 0;
    for (i = 0; i < n; i += 1)
        longAtPut(copy + BaseHeaderSize + i * BytesPerWord, longAt(oop + BaseHeaderSize + i * BytesPerWord));
    return copy;
}
