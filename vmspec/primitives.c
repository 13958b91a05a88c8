/* Numbered primitives: dispatch and the object, arithmetic and control primitives.
 * A primitive finds its receiver and arguments on the stack; on success it replaces them with
 * its result (or has activated a method); on failure it leaves the stack alone and sets
 * primFailCode, and the method's own Smalltalk code runs. */
#include "internal.h"

void primitiveFailFor(sqInt code) { INLINE(always); primFailCode = code; }
void primitiveFail(void) { INLINE(always); primFailCode = PrimErrGenericFailure; }

/* ---- integers beyond SmallInteger: LargePositiveInteger / LargeNegativeInteger bytes ---- */
sqInt signed64BitIntegerFor(sqLong value)
{
    sqInt large, i, n = 0;
    usqLong magnitude = value < 0 ? (usqLong)0 - (usqLong)value : (usqLong)value, m;
    if (isIntegerValue(value)) return integerObjectOf(value);
    for (m = magnitude; m != 0; m >>= 8) n += 1;
    large = instantiateClass(splObj(value < 0 ? SpecialClassLargeNegativeInteger : SpecialClassLargePositiveInteger), n);
    if (large == 0) return 0;
    for (i = 0; i < n; i += 1) storeByte(i, large, (sqInt)((magnitude >> (i * 8)) & 0xFF));
    return large;
}

/* the value of a SmallInteger or a Large*Integer of at most 8 bytes; sets primFailCode if not */
sqLong signed64BitValueOf(sqInt oop)
{
    sqInt n, i, ci;
    usqLong magnitude = 0;
    if (isIntegerObject(oop)) return integerValueOf(oop);
    if (isImmediate(oop)) { primitiveFail(); return 0; }
    ci = classIndexOf(oop);
    if ((ci != classIndexOfClass(splObj(SpecialClassLargePositiveInteger))
         && ci != classIndexOfClass(splObj(SpecialClassLargeNegativeInteger))) || numBytesOf(oop) > 8) {
        primitiveFail();
        return 0;
    }
    n = numBytesOf(oop);
    for (i = 0; i < n; i += 1) magnitude |= (usqLong)fetchByte(i, oop) << (i * 8);
    if (magnitude >> 63) { primitiveFail(); return 0; }
    return ci == classIndexOfClass(splObj(SpecialClassLargePositiveInteger)) ? (sqLong)magnitude : -(sqLong)magnitude;
}

/* ---- indexed access, shared by at:, at:put:, size and the stream primitives ---- */
sqInt indexableSizeOf(sqInt oop)
{
    sqInt fmt = formatOf(oop);
    if (fmt <= FormatEphemeron) return numSlotsOf(oop) - fixedFieldsOf(oop);
    if (fmt >= FormatCompiledMethod) return numBytesOf(oop);
    return lengthOf(oop);
}

/* element index (1-based) of oop, or 0 after setting primFailCode */
sqInt fetchElement(sqInt oop, sqInt index)
{
    sqInt fmt = formatOf(oop);
    if (index < 1 || index > indexableSizeOf(oop)) { primitiveFailFor(PrimErrBadIndex); return 0; }
    if (fmt <= FormatEphemeron) return fetchPointer(fixedFieldsOf(oop) + index - 1, oop);
    if (fmt >= FormatCompiledMethod) {
        if (index <= (1 + methodNumLiterals(oop)) * BytesPerWord) { primitiveFailFor(PrimErrBadIndex); return 0; }
        return integerObjectOf(fetchByte(index - 1, oop));
    }
    if (fmt >= Format8Bit) return integerObjectOf(fetchByte(index - 1, oop));
    if (fmt >= Format16Bit) return integerObjectOf(fetchShort16(index - 1, oop));
    if (fmt >= Format32Bit) return signed64BitIntegerFor(fetchLong32(index - 1, oop));
    if (fmt == Format64Bit) return signed64BitIntegerFor(fetchLong64(index - 1, oop));
    primitiveFail();
    return 0;
}

void storeElement(sqInt oop, sqInt index, sqInt value)
{
    sqInt fmt = formatOf(oop);
    sqLong v;
    if (index < 1 || index > indexableSizeOf(oop)) { primitiveFailFor(PrimErrBadIndex); return; }
    if (fmt <= FormatEphemeron) { storePointer(fixedFieldsOf(oop) + index - 1, oop, value); return; }
    if (fmt >= FormatCompiledMethod && index <= (1 + methodNumLiterals(oop)) * BytesPerWord) { primitiveFailFor(PrimErrBadIndex); return; }
    v = signed64BitValueOf(value);
    if (primFailCode != 0) { primitiveFailFor(PrimErrBadArgument); return; }
    if (fmt >= Format8Bit) {
        if (v < 0 || v > 255) { primitiveFailFor(PrimErrBadArgument); return; }
        storeByte(index - 1, oop, v);
    } else if (fmt >= Format16Bit) {
        if (v < 0 || v > 0xFFFF) { primitiveFailFor(PrimErrBadArgument); return; }
        storeShort16(index - 1, oop, v);
    } else if (fmt >= Format32Bit) {
        if (v < 0 || v > 0xFFFFFFFFLL) { primitiveFailFor(PrimErrBadArgument); return; }
        storeLong32(index - 1, oop, v);
    } else if (fmt == Format64Bit) {
        storeLong64(index - 1, oop, v);
    } else {
        primitiveFail();
    }
}

sqInt isIndexableNonContext(sqInt oop)
{
    return isNonImmediate(oop) && classIndexOf(oop) != contextClassIndex && isIndexableFormat(formatOf(oop));
}

void primitiveAt(void)
{
    sqInt rcvr = stackValue(1), index = stackValue(0), result;
    if (!isIndexableNonContext(rcvr) || !isIntegerObject(index)) { primitiveFail(); return; }
    result = fetchElement(rcvr, integerValueOf(index));
    if (primFailCode == 0) popThenPush(2, result);
}

void primitiveAtPut(void)
{
    sqInt rcvr = stackValue(2), index = stackValue(1), value = stackValue(0);
    if (!isIndexableNonContext(rcvr) || !isIntegerObject(index)) { primitiveFail(); return; }
    storeElement(rcvr, integerValueOf(index), value);
    if (primFailCode == 0) popThenPush(3, value);
}

void primitiveSize(void)
{
    sqInt rcvr = stackTop();
    if (isImmediate(rcvr) || classIndexOf(rcvr) == contextClassIndex) { primitiveFail(); return; }
    popThenPush(1, integerObjectOf(isIndexableFormat(formatOf(rcvr)) ? indexableSizeOf(rcvr) : 0));
}

sqInt isByteObject(sqInt oop) { return isNonImmediate(oop) && formatOf(oop) >= Format8Bit && formatOf(oop) < FormatCompiledMethod; }

void primitiveStringAt(void)
{
    sqInt rcvr = stackValue(1), index = stackValue(0), i;
    if (!isByteObject(rcvr) || !isIntegerObject(index)) { primitiveFail(); return; }
    i = integerValueOf(index);
    if (i < 1 || i > numBytesOf(rcvr)) { primitiveFailFor(PrimErrBadIndex); return; }
    popThenPush(2, characterObjectOf(fetchByte(i - 1, rcvr)));
}

void primitiveStringAtPut(void)
{
    sqInt rcvr = stackValue(2), index = stackValue(1), ch = stackValue(0), i;
    if (!isByteObject(rcvr) || !isIntegerObject(index) || !isCharacterObject(ch)) { primitiveFail(); return; }
    i = integerValueOf(index);
    if (i < 1 || i > numBytesOf(rcvr)) { primitiveFailFor(PrimErrBadIndex); return; }
    if (characterValueOf(ch) > 255) { primitiveFailFor(PrimErrBadArgument); return; }
    storeByte(i - 1, rcvr, characterValueOf(ch));
    popThenPush(3, ch);
}

/* ---- streams: collection, position, readLimit, writeLimit ---- */
void primitiveNextPut(void)
{
    sqInt stream = stackValue(1), value = stackValue(0), coll, pos, limit;
    if (isImmediate(stream) || !isPointersNonImm(stream) || numSlotsOf(stream) < 4) { primitiveFail(); return; }
    coll = fetchPointer(0, stream);
    pos = fetchPointer(1, stream);
    limit = fetchPointer(3, stream);
    if (!isIntegerObject(pos) || !isIntegerObject(limit) || integerValueOf(pos) >= integerValueOf(limit)
        || !isIndexableNonContext(coll)) { primitiveFail(); return; }
    if (isByteObject(coll)) {
        if (!isCharacterObject(value) || characterValueOf(value) > 255
            || integerValueOf(pos) + 1 > numBytesOf(coll)) { primitiveFail(); return; }
        storeByte(integerValueOf(pos), coll, characterValueOf(value));
    } else if (formatOf(coll) == FormatIndexable) {
        storeElement(coll, integerValueOf(pos) + 1, value);
        if (primFailCode != 0) return;
    } else {
        primitiveFail();
        return;
    }
    storePointer(1, stream, integerObjectOf(integerValueOf(pos) + 1));
    popThenPush(2, value);
}

void primitiveNext(void)
{
    sqInt stream = stackTop(), coll, pos, limit, result;
    if (isImmediate(stream) || !isPointersNonImm(stream) || numSlotsOf(stream) < 3) { primitiveFail(); return; }
    coll = fetchPointer(0, stream);
    pos = fetchPointer(1, stream);
    limit = fetchPointer(2, stream);
    if (!isIntegerObject(pos) || !isIntegerObject(limit) || integerValueOf(pos) >= integerValueOf(limit)
        || !isIndexableNonContext(coll)) { primitiveFail(); return; }
    if (isByteObject(coll)) {
        if (integerValueOf(pos) + 1 > numBytesOf(coll)) { primitiveFail(); return; }
        result = characterObjectOf(fetchByte(integerValueOf(pos), coll));
    } else if (formatOf(coll) == FormatIndexable) {
        result = fetchElement(coll, integerValueOf(pos) + 1);
        if (primFailCode != 0) return;
    } else {
        primitiveFail();
        return;
    }
    storePointer(1, stream, integerObjectOf(integerValueOf(pos) + 1));
    popThenPush(1, result);
}

void primitiveAtEnd(void)
{
    sqInt stream = stackTop(), pos, limit;
    if (isImmediate(stream) || !isPointersNonImm(stream) || numSlotsOf(stream) < 3) { primitiveFail(); return; }
    pos = fetchPointer(1, stream);
    limit = fetchPointer(2, stream);
    if (!isIntegerObject(pos) || !isIntegerObject(limit)) { primitiveFail(); return; }
    popThenPush(1, booleanObjectOf(integerValueOf(pos) >= integerValueOf(limit)));
}

/* ---- objects ---- */
void primitiveObjectAt(void)
{
    sqInt m = stackValue(1), index = stackValue(0), i;
    if (!isCompiledMethod(m) || !isIntegerObject(index)) { primitiveFail(); return; }
    i = integerValueOf(index);
    if (i < 1 || i > 1 + methodNumLiterals(m)) { primitiveFailFor(PrimErrBadIndex); return; }
    popThenPush(2, fetchPointer(i - 1, m));
}

void primitiveObjectAtPut(void)
{
    sqInt m = stackValue(2), index = stackValue(1), value = stackValue(0), i;
    if (!isCompiledMethod(m) || !isIntegerObject(index)) { primitiveFail(); return; }
    i = integerValueOf(index);
    if (i < 1 || i > 1 + methodNumLiterals(m) || (i == 1 && !isIntegerObject(value))) { primitiveFailFor(PrimErrBadIndex); return; }
    storePointer(i - 1, m, value);
    popThenPush(3, value);
}

void primitiveNew(void)
{
    sqInt cls = stackTop(), obj;
    if (isImmediate(cls) || numSlotsOf(cls) <= ClassFormatIndex || !isIntegerObject(fetchPointer(ClassFormatIndex, cls))
        || isIndexableFormat(instSpecOfClass(cls))) { primitiveFail(); return; }
    obj = instantiateClass(cls, 0);
    if (obj == 0) { primitiveFailFor(PrimErrNoMemory); return; }
    popThenPush(1, obj);
}

void primitiveNewWithArg(void)
{
    sqInt cls = stackValue(1), size = stackValue(0), obj;
    if (isImmediate(cls) || numSlotsOf(cls) <= ClassFormatIndex || !isIntegerObject(fetchPointer(ClassFormatIndex, cls))
        || !isIndexableFormat(instSpecOfClass(cls))) { primitiveFail(); return; }
    if (!isIntegerObject(size) || integerValueOf(size) < 0) { primitiveFailFor(PrimErrBadArgument); return; }
    obj = instantiateClass(cls, integerValueOf(size));
    if (obj == 0) { primitiveFailFor(PrimErrNoMemory); return; }
    popThenPush(2, obj);
}

/* CompiledMethod class>>newMethod: numberOfBytes header: headerWord */
void primitiveNewMethod(void)
{
    sqInt cls = stackValue(2), size = stackValue(1), header = stackValue(0), numLits, m, i;
    if (!isIntegerObject(size) || !isIntegerObject(header) || integerValueOf(size) < 0
        || isImmediate(cls) || instSpecOfClass(cls) < FormatCompiledMethod) { primitiveFailFor(PrimErrBadArgument); return; }
    numLits = integerValueOf(header) & HeaderNumLiteralsMask;
    m = instantiateClass(cls, (1 + numLits) * BytesPerWord + integerValueOf(size));
    if (m == 0) { primitiveFailFor(PrimErrNoMemory); return; }
    storePointer(0, m, header);
    for (i = 1; i <= numLits; i += 1) storePointer(i, m, nilObj);
    popThenPush(3, m);
}

void primitiveInstVarAt(void)
{
    sqInt rcvr = stackValue(1), index = stackValue(0), i;
    if (isImmediate(rcvr) || !isIntegerObject(index)) { primitiveFail(); return; }
    i = integerValueOf(index);
    if (isPointersNonImm(rcvr)) {
        if (i < 1 || i > numSlotsOf(rcvr)) { primitiveFailFor(PrimErrBadIndex); return; }
        popThenPush(2, classIndexOf(rcvr) == contextClassIndex ? fetchContextSlot(i - 1, rcvr) : fetchPointer(i - 1, rcvr));
        return;
    }
    primitiveAt();
}

void primitiveInstVarAtPut(void)
{
    sqInt rcvr = stackValue(2), index = stackValue(1), value = stackValue(0), i;
    if (isImmediate(rcvr) || !isIntegerObject(index)) { primitiveFail(); return; }
    i = integerValueOf(index);
    if (isPointersNonImm(rcvr)) {
        if (i < 1 || i > numSlotsOf(rcvr)) { primitiveFailFor(PrimErrBadIndex); return; }
        popThenPush(3, value);
        if (classIndexOf(rcvr) == contextClassIndex) storeContextSlot(i - 1, rcvr, value);
        else storePointer(i - 1, rcvr, value);
        return;
    }
    primitiveAtPut();
}

/* replaceFrom: start to: stop with: replacement startingAt: repStart, for like formats */
void primitiveReplaceFromToWithStartingAt(void)
{
    sqInt rcvr = stackValue(4), start = stackValue(3), stop = stackValue(2), rep = stackValue(1), repStart = stackValue(0);
    sqInt s, e, rs, i, fmt, rfmt, rcvrFixed, repFixed;
    if (isImmediate(rcvr) || isImmediate(rep) || !isIntegerObject(start) || !isIntegerObject(stop) || !isIntegerObject(repStart)) { primitiveFail(); return; }
    s = integerValueOf(start);
    e = integerValueOf(stop);
    rs = integerValueOf(repStart);
    if (e < s - 1 || s < 1 || rs < 1 || e > indexableSizeOf(rcvr) || rs + (e - s) > indexableSizeOf(rep)) { primitiveFailFor(PrimErrBadIndex); return; }
    fmt = formatOf(rcvr);
    rfmt = formatOf(rep);
    if (classIndexOf(rcvr) == contextClassIndex || classIndexOf(rep) == contextClassIndex) { primitiveFail(); return; }
    if (fmt <= FormatEphemeron && rfmt <= FormatEphemeron) {
        rcvrFixed = fixedFieldsOf(rcvr);
        repFixed = fixedFieldsOf(rep);
        if (rcvr == rep && rs < s) {
            for (i = e - s; i >= 0; i -= 1) storePointer(rcvrFixed + s - 1 + i, rcvr, fetchPointer(repFixed + rs - 1 + i, rep));
        } else {
            for (i = 0; i <= e - s; i += 1) storePointer(rcvrFixed + s - 1 + i, rcvr, fetchPointer(repFixed + rs - 1 + i, rep));
        }
    } else if (isBytesFormat(fmt) && isBytesFormat(rfmt)) {
        if (fmt >= FormatCompiledMethod || rfmt >= FormatCompiledMethod) { primitiveFail(); return; }
        if (rcvr == rep && rs < s) {
            for (i = e - s; i >= 0; i -= 1) storeByte(s - 1 + i, rcvr, fetchByte(rs - 1 + i, rep));
        } else {
            for (i = 0; i <= e - s; i += 1) storeByte(s - 1 + i, rcvr, fetchByte(rs - 1 + i, rep));
        }
    } else if (isWordsFormat(fmt) && isWordsFormat(rfmt)) {
        if (rcvr == rep && rs < s) {
            for (i = e - s; i >= 0; i -= 1) storeLong32(s - 1 + i, rcvr, fetchLong32(rs - 1 + i, rep));
        } else {
            for (i = 0; i <= e - s; i += 1) storeLong32(s - 1 + i, rcvr, fetchLong32(rs - 1 + i, rep));
        }
    } else {
        primitiveFail();
        return;
    }
    popN(4);
}

/* constantFill: value, over the indexable part of a bytes, 16, 32 or 64-bit object */
void primitiveConstantFill(void)
{
    sqInt rcvr = stackValue(1), value = stackValue(0), n, i, fmt;
    sqLong v = signed64BitValueOf(value);
    if (primFailCode != 0 || isImmediate(rcvr)) { primitiveFailFor(PrimErrBadArgument); return; }
    fmt = formatOf(rcvr);
    if (fmt < Format64Bit || fmt >= FormatCompiledMethod) { primitiveFailFor(PrimErrBadReceiver); return; }
    n = lengthOf(rcvr);
    if ((fmt >= Format8Bit && (v < 0 || v > 255)) || (fmt >= Format16Bit && fmt < Format8Bit && (v < 0 || v > 0xFFFF))
        || (fmt >= Format32Bit && fmt < Format16Bit && (v < 0 || v > 0xFFFFFFFFLL))) { primitiveFailFor(PrimErrBadArgument); return; }
    for (i = 0; i < n; i += 1) {
        if (fmt >= Format8Bit) storeByte(i, rcvr, v);
        else if (fmt >= Format16Bit) storeShort16(i, rcvr, v);
        else if (fmt >= Format32Bit) storeLong32(i, rcvr, v);
        else storeLong64(i, rcvr, v);
    }
    popN(1);
}

void primitiveShallowCopy(void)
{
    sqInt rcvr = stackTop(), copy, i;
    if (isImmediate(rcvr)) return;
    if (classIndexOf(rcvr) == contextClassIndex) {
        copy = cloneObject(rcvr);
        if (copy == 0) { primitiveFailFor(PrimErrNoMemory); return; }
        for (i = 0; i < numSlotsOf(rcvr); i += 1) storePointer(i, copy, fetchContextSlot(i, rcvr));
    } else {
        copy = cloneObject(rcvr);
    }
    if (copy == 0) { primitiveFailFor(PrimErrNoMemory); return; }
    popThenPush(1, copy);
}

/* ---- Context: at:, at:put:, size see the frame of a married context ---- */
sqInt contextIndexableSize(sqInt ctx)
{
    sqInt sp = fetchContextSlot(ContextSPIndex, ctx);
    return isIntegerObject(sp) ? integerValueOf(sp) : 0;
}

void primitiveContextAt(void)
{
    sqInt ctx = stackValue(1), index = stackValue(0), i;
    if (classIndexOf(ctx) != contextClassIndex || !isIntegerObject(index)) { primitiveFail(); return; }
    i = integerValueOf(index);
    if (i < 1 || i > contextIndexableSize(ctx)) { primitiveFailFor(PrimErrBadIndex); return; }
    popThenPush(2, fetchContextSlot(ContextTempFrameStart + i - 1, ctx));
}

void primitiveContextAtPut(void)
{
    sqInt ctx = stackValue(2), index = stackValue(1), value = stackValue(0), i;
    if (classIndexOf(ctx) != contextClassIndex || !isIntegerObject(index)) { primitiveFail(); return; }
    i = integerValueOf(index);
    if (i < 1 || i > contextIndexableSize(ctx)) { primitiveFailFor(PrimErrBadIndex); return; }
    popThenPush(3, value);
    storeContextSlot(ContextTempFrameStart + i - 1, ctx, value);
}

/* Context>>stackp: n — the cells that become visible are nilled, atomically */
void primitiveStoreStackp(void)
{
    sqInt ctx = stackValue(1), newStackp = stackValue(0), old, i;
    if (isImmediate(ctx) || classIndexOf(ctx) != contextClassIndex) { primitiveFailFor(PrimErrBadReceiver); return; }
    if (!isIntegerObject(newStackp) || integerValueOf(newStackp) < 0
        || integerValueOf(newStackp) > numSlotsOf(ctx) - ContextTempFrameStart) { primitiveFailFor(PrimErrBadArgument); return; }
    popN(1);
    /* a married context is divorced first: its frame cannot change size under it */
    storeContextSlot(ContextSPIndex, ctx, fetchContextSlot(ContextSPIndex, ctx));
    old = fetchPointer(ContextSPIndex, ctx);
    old = isIntegerObject(old) ? integerValueOf(old) : 0;
    for (i = old; i < integerValueOf(newStackp); i += 1) storePointer(ContextTempFrameStart + i, ctx, nilObj);
    storePointer(ContextSPIndex, ctx, newStackp);
}

void primitiveContextSize(void)
{
    sqInt ctx = stackTop();
    if (classIndexOf(ctx) != contextClassIndex) { primitiveFail(); return; }
    popThenPush(1, integerObjectOf(contextIndexableSize(ctx)));
}

/* ---- control ---- */
void primitivePerform(void)
{
    sqInt selector = followMaybeForwarded(stackValue(argumentCount - 1)), rcvr = stackValue(argumentCount), n = argumentCount - 1, m, i;
    m = lookupMethodInClass(selector, fetchClassOf(rcvr));
    if (m != 0 && isCompiledMethod(m) && methodNumArgs(m) != n) { primitiveFailFor(PrimErrBadNumArgs); return; }
    for (i = n; i >= 1; i -= 1) stackValuePut(i, stackValue(i - 1));
    popN(1);
    sendSelector(selector, n);
}

void primitivePerformWithArgs(sqInt superLookup)
{
    sqInt base = superLookup ? 1 : 0;
    sqInt args = stackValue(base), selector = followMaybeForwarded(stackValue(base + 1)), rcvr = stackValue(base + 2), n, m, i, cls;
    cls = superLookup ? followMaybeForwarded(stackValue(0)) : fetchClassOf(rcvr);
    if (isImmediate(args) || classIndexOf(args) != classIndexOfClass(splObj(SpecialClassArray))) { primitiveFailFor(PrimErrBadArgument); return; }
    n = numSlotsOf(args);
    m = lookupMethodInClass(selector, cls);
    if (m != 0 && isCompiledMethod(m) && methodNumArgs(m) != n) { primitiveFailFor(PrimErrBadNumArgs); return; }
    if (stackPointer - (n + 2) * BytesPerWord < stackLimit) { primitiveFailFor(PrimErrLimitExceeded); return; }
    popN(base + 2);
    for (i = 0; i < n; i += 1) push(fetchPointer(i, args));
    messageSelector = selector;
    argumentCount = n;
    if (superLookup) {
        sendCount += 1;
        SIM_ONLY(simNoteSend(selector, n, 1));
        findNewMethodInClass(cls);
        executeNewMethod();
    } else {
        sendSelector(selector, n);
    }
}

/* The closure primitives, as Open-Smalltalk-VM numbers them: 201-205 value..., 206
 * valueWithArguments:, 221 and 222 valueNoContextSwitch(:) run a BlockClosure of the old layout
 * (its code in the outer context's method from startpc); 207 value with any arity, 208
 * valueWithArguments:, 209 valueNoContextSwitch run a FullBlockClosure (its CompiledBlock where
 * startpc was). Each fails on the other layout instead of running wild. */
sqInt isClosureOfArity(sqInt closure, sqInt n)
{
    return isNonImmediate(closure) && isPointersNonImm(closure) && numSlotsOf(closure) >= ClosureFirstCopiedValueIndex
        && isIntegerObject(fetchPointer(ClosureNumArgsIndex, closure)) && closureNumArgs(closure) == n;
}

sqInt isRunnableClosure(sqInt closure, sqInt full)
{
    sqInt outer;
    if (full) return numSlotsOf(closure) >= FullClosureFirstCopiedValueIndex
                     && isCompiledMethod(fetchPointer(FullClosureCompiledBlockIndex, closure));
    outer = fetchPointer(ClosureOuterContextIndex, closure);
    return isContext(outer) && isCompiledMethod(fetchPointer(ContextMethodIndex, outer))
        && isIntegerObject(fetchPointer(ClosureStartPCIndex, closure));
}

void primitiveClosureValue(sqInt full, sqInt mayContextSwitch)
{
    sqInt closure = stackValue(argumentCount);
    if (!isClosureOfArity(closure, argumentCount) || !isRunnableClosure(closure, full)) { primitiveFail(); return; }
    activateClosure(closure, argumentCount, full, mayContextSwitch);
}

void primitiveClosureValueWithArgs(sqInt full)
{
    sqInt closure = stackValue(1), args = stackValue(0), n, i;
    if (isImmediate(args) || formatOf(args) != FormatIndexable) { primitiveFail(); return; }
    n = numSlotsOf(args);
    if (stackPointer - (n + 1) * BytesPerWord < stackLimit) { primitiveFail(); return; }
    if (!isClosureOfArity(closure, n) || !isRunnableClosure(closure, full)) { primitiveFail(); return; }
    popN(1);
    for (i = 0; i < n; i += 1) push(fetchPointer(i, args));
    activateClosure(closure, n, full, 1);
}

void primitiveQuit(void)
{
    quitRequested = 1;
    exitCode = argumentCount >= 1 && isIntegerObject(stackTop()) ? integerValueOf(stackTop()) : 0;
}

/* quick methods: ^self, ^true, ^false, ^nil, ^-1..2, ^instVar */
void quickPrimitive(sqInt index)
{
    sqInt rcvr = stackTop();
    if (index == 256) return;
    if (index == 257) { popThenPush(1, trueObj); return; }
    if (index == 258) { popThenPush(1, falseObj); return; }
    if (index == 259) { popThenPush(1, nilObj); return; }
    if (index < 264) { popThenPush(1, integerObjectOf(index - 261)); return; }
    if (isImmediate(rcvr) || index - 264 >= numSlotsOf(rcvr)) { primitiveFail(); return; }
    popThenPush(1, classIndexOf(rcvr) == contextClassIndex ? fetchContextSlot(index - 264, rcvr) : fetchPointer(index - 264, rcvr));
}

void primitiveMakePoint(void)
{
    sqInt point = instantiateClass(splObj(SpecialClassPoint), 0);
    if (point == 0) { primitiveFailFor(PrimErrNoMemory); return; }
    storePointer(PointXIndex, point, stackValue(1));
    storePointer(PointYIndex, point, stackValue(0));
    popThenPush(2, point);
}

/* hashMultiply: the receiver times 1664525, its low 28 bits (in two's complement, as Smalltalk's
 * bitAnd: sees a negative receiver), which only its low 28 bits decide: a SmallInteger's, or the
 * first bytes of a LargePositiveInteger's magnitude (as Open-Smalltalk-VM takes them). Unsigned,
 * so the product wraps instead of overflowing. */
void primitiveHashMultiply(void)
{
    sqInt rcvr = stackTop(), i, n;
    usqInt value = 0;
    if (isIntegerObject(rcvr)) {
        value = (usqInt)integerValueOf(rcvr);
    } else if (isNonImmediate(rcvr) && classIndexOf(rcvr) == classIndexOfClass(splObj(SpecialClassLargePositiveInteger))) {
        n = numBytesOf(rcvr) < 4 ? numBytesOf(rcvr) : 4;
        for (i = 0; i < n; i += 1) value |= (usqInt)fetchByte(i, rcvr) << (i * 8);
    } else {
        primitiveFailFor(PrimErrBadReceiver);
        return;
    }
    popThenPush(1, integerObjectOf((sqInt)((value * HashMultiplyConstant) & HashMultiplyMask)));
}

void primitiveSmallIntegerOp(sqInt index)
{
    sqInt result = smallIntegerOp(index, stackValue(1), stackValue(0));
    if (result == 0) { primitiveFail(); return; }
    popThenPush(2, result);
}

/* SmallInteger>>asCharacter, or Character class>>value: n (the value is the last on the stack) */
void primitiveAsCharacter(void)
{
    sqInt v = stackTop();
    if (!isIntegerObject(v) || integerValueOf(v) < 0 || integerValueOf(v) > 0x3FFFFFFF) { primitiveFail(); return; }
    popThenPush(argumentCount + 1, characterObjectOf(integerValueOf(v)));
}

void primitiveImmediateAsInteger(void)
{
    sqInt v = stackTop();
    if (isCharacterObject(v)) { popThenPush(argumentCount + 1, integerObjectOf(characterValueOf(v))); return; }
    if (isIntegerObject(v)) { popThenPush(argumentCount + 1, v); return; }
    primitiveFail();
}

void primitiveIdentityHash(void)
{
    sqInt rcvr = stackTop();
    if (isImmediate(rcvr)) { primitiveFail(); return; }
    popThenPush(1, integerObjectOf(identityHashOf(rcvr)));
}

void dispatchPrimitive(sqInt index)
{
    if (index >= 256 && index <= 519) { quickPrimitive(index); return; }
    if (index >= 1 && index <= 17) { primitiveSmallIntegerOp(index); return; }
    if (index >= 21 && index <= 37) { primitiveLargeIntegerOp(index); return; }
    if (index >= 40 && index <= 59) { primitiveFloat(index); return; }
    if (index >= 541 && index <= 559) { primitiveFloat(index - 500); return; }
    switch (index) {
    case 18: primitiveMakePoint(); break;
    case 159: primitiveHashMultiply(); break;
    case 38: primitiveFloatAt(); break;
    case 39: primitiveFloatAtPut(); break;
    case 60: primitiveAt(); break;
    case 61: primitiveAtPut(); break;
    case 62: primitiveSize(); break;
    case 63: primitiveStringAt(); break;
    case 64: primitiveStringAtPut(); break;
    case 65: primitiveNext(); break;
    case 66: primitiveNextPut(); break;
    case 67: primitiveAtEnd(); break;
    case 68: primitiveObjectAt(); break;
    case 69: primitiveObjectAtPut(); break;
    case 70: primitiveNew(); break;
    case 71: primitiveNewWithArg(); break;
    case 72: primitiveArrayBecomeOneWay(); break;
    case 128: primitiveArrayBecome(); break;
    case 248: primitiveArrayBecomeOneWayNoCopyHash(); break;
    case 249: primitiveArrayBecomeOneWayCopyHashArg(); break;
    case 73: case 173: primitiveInstVarAt(); break;
    case 79: primitiveNewMethod(); break;
    case 74: case 174: primitiveInstVarAtPut(); break;
    case 75: primitiveIdentityHash(); break;
    case 76: primitiveStoreStackp(); break;
    case 83: primitivePerform(); break;
    case 84: primitivePerformWithArgs(0); break;
    case 100: primitivePerformWithArgs(1); break;
    case 85: primitiveSignal(); break;
    case 86: primitiveWait(); break;
    case 87: primitiveResume(); break;
    case 88: primitiveSuspend(); break;
    case 167: primitiveYield(); break;
    case 89: case 116: case 119: flushMethodCache(); if (argumentCount > 0) popN(argumentCount); break;
    case 105: primitiveReplaceFromToWithStartingAt(); break;
    case 110: popThenPush(2, booleanObjectOf(identicalOops(stackValue(1), stackValue(0)))); break;
    case 169: popThenPush(2, booleanObjectOf(!identicalOops(stackValue(1), stackValue(0)))); break;
    case 111: popThenPush(argumentCount + 1, fetchClassOf(followMaybeForwarded(stackValue(0)))); break;
    case 97: primitiveSnapshot(); break;
    case 112: primitiveBytesLeft(); break;
    case 113: primitiveQuit(); break;
    case 130: primitiveGarbageCollect(1); break;
    case 131: primitiveGarbageCollect(0); break;
    /* fail-always and marker primitives: the method's code is what runs */
    case 19: case 198: case 199: primitiveFail(); break;
    case 117: primitiveExternalCall(); break;
    case 135: primitiveMillisecondClock(); break;
    case 136: primitiveSignalAtMilliseconds(); break;
    case 121: primitiveImageName(); break;
    case 124: primitiveLowSpaceSemaphore(); break;
    case 129: popThenPush(argumentCount + 1, specialObjectsOop); break;
    case 145: primitiveConstantFill(); break;
    case 125: primitiveSetLowSpaceThreshold(); break;
    case 142: primitiveVMPath(); break;
    case 148: primitiveShallowCopy(); break;
    case 149: primitiveGetAttribute(); break;
    case 170: primitiveAsCharacter(); break;
    case 171: primitiveImmediateAsInteger(); break;
    case 172: primitiveFetchMourner(); break;
    case 175: primitiveBehaviorHash(); break;
    case 183: primitiveIsPinned(); break;
    case 184: primitivePin(); break;
    case 201: case 202: case 203: case 204: case 205: primitiveClosureValue(0, 1); break;
    case 206: primitiveClosureValueWithArgs(0); break;
    case 207: primitiveClosureValue(1, 1); break;
    case 208: primitiveClosureValueWithArgs(1); break;
    case 209: primitiveClosureValue(1, 0); break;
    case 221: case 222: primitiveClosureValue(0, 0); break;
    case 210: primitiveContextAt(); break;
    case 211: primitiveContextAtPut(); break;
    case 212: primitiveContextSize(); break;
    case 230: primitiveRelinquishProcessor(); break;
    case 240: primitiveUTCMicrosecondClock(); break;
    case 254: primitiveVMParameter(); break;
    case 241: primitiveLocalMicrosecondClock(); break;
    case 242: primitiveSignalAtUTCMicroseconds(); break;
    default:
        if (traceMissingPrimitives) platformReportMissingPrimitive(index, 0, 0, 0, 0);
        primitiveFailFor(PrimErrUnsupported);
        break;
    }
}
