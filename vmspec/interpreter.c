/* The stack interpreter: sending, method lookup, activation, returns and the bytecode loop. */
#include "internal.h"

/* ---- compiled methods ---- */
sqInt methodNumArgs(sqInt m) { return (methodHeaderOf(m) >> HeaderNumArgsShift) & HeaderNumArgsMask; }
sqInt methodNumTemps(sqInt m) { return (methodHeaderOf(m) >> HeaderNumTempsShift) & HeaderNumTempsMask; }
sqInt methodNumLiterals(sqInt m) { return methodHeaderOf(m) & HeaderNumLiteralsMask; }
sqInt methodUsesAlternateSet(sqInt m) { return methodHeaderOf(m) < 0; }
sqInt firstBytecodeAddress(sqInt m) { return m + BaseHeaderSize + (1 + methodNumLiterals(m)) * BytesPerWord; }
sqInt literal(sqInt i, sqInt m) { INLINE(always); return fetchPointer(1 + i, m); }

sqInt methodPrimitiveIndex(sqInt m)
{
    sqInt ip;
    if (!(methodHeaderOf(m) & HeaderHasPrimitiveBit)) return 0;
    ip = firstBytecodeAddress(m);
    return byteAt(ip + 1) + ((byteAt(ip + 2) & 0x7F) << 8);
}

/* the method header's sign bit chooses the bytecode set, as in Open-Smalltalk-VM */
void setBytecodeSetFor(sqInt m)
{
    INLINE(always);
    bytecodeSetOffset = methodUsesAlternateSet(m) ? BytecodeSetSistaV1 : BytecodeSetV3;
}

sqInt fetchNextBytecode(void)
{
    INLINE(always);
    sqInt b = byteAt(instructionPointer);
    instructionPointer += 1;
    return b;
}

/* ---- method lookup ---- */
/* The abstract operation: the method for selector in one method dictionary, or 0. Its variants
 * (variants.h, key method_lookup) must answer the same on every image. */
sqInt lookupInMethodDictionary(sqInt selector, sqInt dict)
{
    INLINE(always);
    if (VARIANT(method_lookup, hashed)) return lookupInMethodDictionaryHashed(selector, dict);
    return lookupInMethodDictionaryLinear(selector, dict);
}

/* the value paired with the selector at slot i, or 0 */
sqInt methodDictionaryValueAt(sqInt i, sqInt dict)
{
    sqInt values = fetchFollowedField(MethodDictArrayIndex, dict);
    if (isImmediate(values) || i - MethodDictSelectorStart >= numSlotsOf(values)) return 0;
    return fetchFollowedField(i - MethodDictSelectorStart, values);
}

/* method_lookup = linear: a scan of every slot (it runs only on a method-cache miss) */
sqInt lookupInMethodDictionaryLinear(sqInt selector, sqInt dict)
{
    sqInt n = numSlotsOf(dict), i;
    for (i = MethodDictSelectorStart; i < n; i += 1) {
        if (fetchFollowedField(i, dict) == selector) return methodDictionaryValueAt(i, dict);
    }
    return 0;
}

/* method_lookup = hashed: Open-Smalltalk-VM's probe, from the selector's identity hash (its value
 * when immediate) masked to the power-of-two capacity, stopping at nil, wrapping once */
sqInt lookupInMethodDictionaryHashed(sqInt selector, sqInt dict)
{
    sqInt n = numSlotsOf(dict), mask = n - MethodDictSelectorStart - 1, i, probe, wrapped = 0;
    if (mask < 0) return 0;
    i = MethodDictSelectorStart + ((isImmediate(selector) ? selector : rawHashOf(selector)) & mask);
    for (probe = 0; probe <= n; probe += 1) {
        sqInt key = fetchFollowedField(i, dict);
        if (key == selector) return methodDictionaryValueAt(i, dict);
        if (key == nilObj) return 0;
        i += 1;
        if (i >= n) {
            if (wrapped) return 0;
            wrapped = 1;
            i = MethodDictSelectorStart;
        }
    }
    return 0;
}

/* the method for selector in cls or its superclasses, or 0 */
sqInt lookupMethodInClass(sqInt selector, sqInt cls)
{
    sqInt dict, m, depth = 0;
    while (cls != nilObj) {
        if (isImmediate(cls) || numSlotsOf(cls) <= ClassFormatIndex || depth > 10000) return 0;
        dict = fetchFollowedField(ClassMethodDictIndex, cls);
        if (!isImmediate(dict) && dict != nilObj && isPointersNonImm(dict)) {
            m = lookupInMethodDictionary(selector, dict);
            if (m != 0) return m;
        }
        cls = fetchFollowedField(ClassSuperclassIndex, cls);
        depth += 1;
    }
    return 0;
}

void flushMethodCache(void)
{
    sqInt i;
    for (i = 0; i < MethodCacheSize * MethodCacheEntrySize; i += 1) methodCache[i] = 0;
}

sqInt methodCacheProbe(sqInt selector, sqInt classTag)
{
    INLINE(always);
    return ((selector ^ (classTag << 4)) >> 3 & MethodCacheMask) * MethodCacheEntrySize;
}

/* build a Message for the pending send and make the send #doesNotUnderstand: */
void createActualMessage(sqInt lookupClass)
{
    sqInt args = instantiateClass(splObj(SpecialClassArray), argumentCount);
    sqInt message = instantiateClass(splObj(SpecialClassMessage), 0), i;
    if (args == 0 || message == 0) vmFatal(FatalOutOfMemory);
    for (i = 0; i < argumentCount; i += 1)
        storePointer(i, args, stackValue(argumentCount - 1 - i));
    storePointer(MessageSelectorIndex, message, messageSelector);
    storePointer(MessageArgumentsIndex, message, args);
    if (numSlotsOf(message) > MessageLookupClassIndex) storePointer(MessageLookupClassIndex, message, lookupClass);
    popN(argumentCount);
    push(message);
    argumentCount = 1;
    messageSelector = splObj(SpecialSelectorDoesNotUnderstand);
}

/* find newMethod for messageSelector from cls; doesNotUnderstand: and run:with:in: included */
void findNewMethodInClass(sqInt cls)
{
    sqInt m = lookupMethodInClass(messageSelector, cls), args, rcvr, i;
    if (m == 0 && forwardersLive && isNonImmediate(messageSelector) && isForwarded(messageSelector)) {
        /* a selector literal that became another symbol */
        messageSelector = followForwarded(messageSelector);
        m = lookupMethodInClass(messageSelector, cls);
    }
    if (m == 0) {
        if (messageSelector == splObj(SpecialSelectorDoesNotUnderstand)) vmFatal(FatalRecursiveNotUnderstood);
        createActualMessage(cls);
        m = lookupMethodInClass(messageSelector, cls);
        if (m == 0) vmFatal(FatalRecursiveNotUnderstood);
    }
    if (!isCompiledMethod(m)) {
        /* an object in a method dictionary is sent run: selector with: arguments in: receiver */
        args = instantiateClass(splObj(SpecialClassArray), argumentCount);
        if (args == 0) vmFatal(FatalOutOfMemory);
        for (i = 0; i < argumentCount; i += 1) storePointer(i, args, stackValue(argumentCount - 1 - i));
        rcvr = stackValue(argumentCount);
        popN(argumentCount + 1);
        push(m);
        push(messageSelector);
        push(args);
        push(rcvr);
        argumentCount = 3;
        messageSelector = splObj(SpecialSelectorRunWithIn);
        m = lookupMethodInClass(messageSelector, fetchClassOf(m));
        if (m == 0 || !isCompiledMethod(m)) vmFatal(FatalRecursiveNotUnderstood);
    }
    newMethod = m;
    primitiveFunctionIndex = methodPrimitiveIndex(m);
}

/* The send path: commonSend (with activateMethod and pushFrameHeader) is INLINE(always), so each
 * send bytecode probes the method cache and builds the frame in place, with the method and its
 * header in locals; it calls out on a cache miss, for a primitive, and when the frame needs a new
 * stack page. */
void commonSend(sqInt selector, sqInt numArgs)
{
    INLINE(always);
    sqInt tag = classTagOf(stackValue(numArgs)), probe = methodCacheProbe(selector, tag), m, prim;
    messageSelector = selector;
    argumentCount = numArgs;
    sendCount += 1;
    SIM_ONLY(simNoteSend(selector, numArgs, 0));
    if (methodCache[probe + MethodCacheSelector] != selector || methodCache[probe + MethodCacheClass] != tag) {
        lookupAndExecute(selector, tag, probe);
        return;
    }
    m = methodCache[probe + MethodCacheMethod];
    prim = methodCache[probe + MethodCachePrimitive];
    newMethod = m;
    primitiveFunctionIndex = prim;
    SIM_ONLY(simNoteMethodEntry(m, prim));
    if (prim > 0) {
        primFailCode = 0;
        dispatchPrimitive(prim);
        if (primFailCode != 0) activateAfterPrimitiveFailure();
        return;
    }
    activateMethod(m, numArgs, 0);
}

/* a method cache miss: the full lookup, cached unless it ended in doesNotUnderstand:, and the
 * method run */
void lookupAndExecute(sqInt selector, sqInt tag, sqInt probe)
{
    INLINE(never);
    /* the read barrier: no class has a forwarder's index, so a forwarded receiver always misses;
     * the receiver is followed and the cache probed again under its class */
    if (tag == ForwardedClassIndex) {
        tag = followForwardedSendReceiver(argumentCount);
        probe = methodCacheProbe(selector, tag);
    }
    if (methodCache[probe + MethodCacheSelector] == selector && methodCache[probe + MethodCacheClass] == tag) {
        newMethod = methodCache[probe + MethodCacheMethod];
        primitiveFunctionIndex = methodCache[probe + MethodCachePrimitive];
    } else {
        findNewMethodInClass(classAtIndex(tag));
        if (messageSelector == selector) {
            methodCache[probe + MethodCacheSelector] = selector;
            methodCache[probe + MethodCacheClass] = tag;
            methodCache[probe + MethodCacheMethod] = newMethod;
            methodCache[probe + MethodCachePrimitive] = primitiveFunctionIndex;
        }
    }
    executeNewMethod();
}

/* a primitive failed: tried once more when forwarders live and its operands named one (the read
 * barrier), else its method activated */
void activateAfterPrimitiveFailure(void)
{
    INLINE(never);
    if (forwardersLive && followForwardedPrimitiveState()) {
        primFailCode = 0;
        dispatchPrimitive(primitiveFunctionIndex);
        if (primFailCode == 0) return;
    }
    activateNewMethod();
}

/* the sends that are not a bytecode's own (mustBeBoolean, cannotReturn:, perform:...) */
void sendSelector(sqInt selector, sqInt numArgs)
{
    INLINE(never);
    commonSend(selector, numArgs);
}

/* the class a method was compiled in: its last literal, an association or the class itself;
 * a CompiledBlock's last literal is its outer code, followed up to the method */
sqInt methodClassOf(sqInt m)
{
    sqInt lit = followMaybeForwarded(literal(methodNumLiterals(m) - 1, m)), depth = 0;
    while (isCompiledMethod(lit) && depth < 1000) {
        lit = followMaybeForwarded(literal(methodNumLiterals(lit) - 1, lit));
        depth += 1;
    }
    if (isNonImmediate(lit) && numSlotsOf(lit) == 2 && isPointersNonImm(lit))
        return followMaybeForwarded(fetchPointer(AssociationValueIndex, lit));
    return lit;
}

/* where a super send starts its lookup: cls's superclass, nil when cls is no class */
sqInt superclassForLookup(sqInt cls)
{
    cls = followMaybeForwarded(cls);
    return isNonImmediate(cls) && numSlotsOf(cls) > ClassFormatIndex ? fetchFollowedField(ClassSuperclassIndex, cls) : nilObj;
}

void superSendSelector(sqInt selector, sqInt numArgs)
{
    sqInt cls = methodClassOf(method);
    messageSelector = selector;
    argumentCount = numArgs;
    sendCount += 1;
    SIM_ONLY(simNoteSend(selector, numArgs, 1));
    findNewMethodInClass(superclassForLookup(cls));
    executeNewMethod();
}

/* a directed super send: the lookup class is on the stack above the arguments */
void directedSuperSendSelector(sqInt selector, sqInt numArgs)
{
    sqInt cls = pop();
    messageSelector = selector;
    argumentCount = numArgs;
    sendCount += 1;
    SIM_ONLY(simNoteSend(selector, numArgs, 1));
    findNewMethodInClass(superclassForLookup(cls));
    executeNewMethod();
}

sqInt primitiveErrorObject(sqInt code)
{
    sqInt table = splObj(SpecialPrimErrTable);
    if (isNonImmediate(table) && formatOf(table) == FormatIndexable && code - 1 < numSlotsOf(table))
        return fetchPointer(code - 1, table);
    return integerObjectOf(code);
}

void executeNewMethod(void)
{
    INLINE(always);
    sqInt prim = primitiveFunctionIndex;
    SIM_ONLY(simNoteMethodEntry(newMethod, prim));
    if (prim > 0) {
        primFailCode = 0;
        dispatchPrimitive(prim);
        if (primFailCode != 0) activateAfterPrimitiveFailure();
        return;
    }
    activateNewMethod();
}

/* link a new frame for aMethod (or a block's), its numArgs arguments on the stack: carried to a
 * new page when the frame might not fit in this one; the temporaries are the caller's to push */
void pushFrameHeader(sqInt aMethod, sqInt numArgs, sqInt numTemps, sqInt isBlock, sqInt rcvr)
{
    INLINE(always);
    sqInt ctx;
    if (stackPointer - (FrameSlotsBelowFP + 2 + numTemps + LargeFrameSlots) * BytesPerWord < stackLimit) {
        ctx = moveArgumentsToNewPage(numArgs);
        push(ctx);
        push(0);
    } else {
        push(instructionPointer);
        push(framePointer);
    }
    framePointer = stackPointer;
    push(aMethod);
    push(makeFrameFlags(numArgs, 0, isBlock));
    push(nilObj);
    push(rcvr);
    method = aMethod;
    setBytecodeSetFor(aMethod);
}

/* the caller's receiver and numArgs arguments are on the stack; build m's frame (its header is
 * read once: the numbers of arguments, temporaries and literals are all in it). afterPrimitive:
 * m's primitive ran and failed. */
void activateMethod(sqInt m, sqInt numArgs, sqInt afterPrimitive)
{
    INLINE(always);
    sqInt header = methodHeaderOf(m), i;
    sqInt numTemps = (header >> HeaderNumTempsShift) & HeaderNumTempsMask;
    if (((header >> HeaderNumArgsShift) & HeaderNumArgsMask) != numArgs || numTemps < numArgs) vmFatal(FatalBadMethod);
    pushFrameHeader(m, numArgs, numTemps, 0, stackValue(numArgs));
    for (i = numArgs; i < numTemps; i += 1) push(nilObj);
    instructionPointer = m + BaseHeaderSize + (1 + (header & HeaderNumLiteralsMask)) * BytesPerWord;
    if (afterPrimitive) primitiveFailedInto(header);
    SIM_ONLY(simNoteMethodActivated(newMethod, primitiveFunctionIndex));
    checkForInterrupts();
}

/* newMethod for the pending send (argumentCount arguments), its primitive having run if it has one */
void activateNewMethod(void)
{
    INLINE(always);
    activateMethod(newMethod, argumentCount, primitiveFunctionIndex > 0);
}

/* the method's primitive failed: its code starts after the callPrimitive bytecode, and a first
 * store of the error code (a primitive error temp) gets the error object */
void primitiveFailedInto(sqInt header)
{
    INLINE(never);
    instructionPointer += 3;    /* skip the callPrimitive bytecode */
    if (primFailCode != 0 && byteAt(instructionPointer) == (header < 0 ? 245 : 129))
        longAtPut(stackPointer, primitiveErrorObject(primFailCode));
    primFailCode = 0;
}

/* the frame about to be built does not fit: carry the receiver and arguments to a new page */
sqInt moveArgumentsToNewPage(sqInt numArgs)
{
    sqInt callerCtx = ensureFrameIsMarried(framePointer);
    sqInt oldSP = stackPointer, oldPage = stackPage, page = newStackPage(), base, i;
    ASSERT_ALWAYS(page != oldPage);
    base = pageField(page, PageBaseAddress);
    for (i = 0; i <= numArgs; i += 1)
        longAtPut(base - i * BytesPerWord, longAt(oldSP + (numArgs - i) * BytesPerWord));
    stackPointer = oldSP + (numArgs + 1) * BytesPerWord;
    writeBackActivePage();
    stackPage = page;
    stackLimit = pageField(page, PageRealStackLimit);
    stackPointer = base - numArgs * BytesPerWord;
    pageFieldPut(page, PageBaseFP, stackPointer - 2 * BytesPerWord);
    return callerCtx;
}

/* ---- returns ---- */
void returnFromFrame(sqInt value)
{
    INLINE(always);
    sqInt fp = framePointer, callerFP = frameCallerFP(fp), flags;
    if (callerFP == 0) {
        baseFrameReturn(value);
        return;
    }
    flags = frameFlags(fp);
    if ((flags >> 8) & 1) killContext(frameContext(fp));
    stackPointer = fp + (FoxCallerSavedIP + 1 + (flags & 0xFF)) * BytesPerWord;
    instructionPointer = frameCallerSavedIP(fp);
    framePointer = callerFP;
    longAtPut(stackPointer, value);
    method = frameMethod(callerFP);
    setBytecodeSetFor(method);
}

void baseFrameReturn(sqInt value)
{
    sqInt callerCtx = frameCallerContext(framePointer);
    if (!isContext(callerCtx) || isDeadContext(callerCtx)) {
        sendCannotReturn(value);
        return;
    }
    killContextOfFrame(framePointer);
    freeStackPage(stackPage);
    stackPage = 0;
    resumeContext(callerCtx);
    push(value);
}

void sendCannotReturn(sqInt value)
{
    push(ensureFrameIsMarried(framePointer));
    push(value);
    sendSelector(splObj(SpecialSelectorCannotReturn), 1);
}

sqInt isUnwindMarkedMethod(sqInt m) { return methodPrimitiveIndex(m) == 198; }

/* the next context or frame up the sender chain: frames are walked as fp, contexts as ctx */
sqInt homeContextOfClosure(sqInt closure)
{
    sqInt ctx = fetchPointer(ClosureOuterContextIndex, closure), n = 0;
    while (isContext(ctx) && fetchPointer(ContextClosureIndex, ctx) != nilObj && n < 100000) {
        ctx = fetchPointer(ClosureOuterContextIndex, fetchPointer(ContextClosureIndex, ctx));
        n += 1;
    }
    return ctx;
}

/* search the chain above the current frame for target; answer 0 if it is not there, the first
 * unwind-marked context on the way if any, or target itself */
sqInt findTargetOrUnwind(sqInt target)
{
    sqInt fp = framePointer, ctx, n = 0;
    for (;;) {
        /* step from fp to its caller */
        if (!isBaseFrame(fp)) {
            fp = frameCallerFP(fp);
            if (frameHasContext(fp) && frameContext(fp) == target) return target;
            if (isUnwindMarkedMethod(frameMethod(fp))) return ensureFrameIsMarried(fp);
            continue;
        }
        ctx = frameCallerContext(fp);
        for (;;) {
            if (ctx == target) return target;
            if (!isContext(ctx) || n > 10000000) return 0;
            n += 1;
            if (isMarriedContext(ctx)) {
                fp = frameOfMarriedContext(ctx);
                if (isUnwindMarkedMethod(frameMethod(fp))) return ctx;
                break;
            }
            if (isUnwindMarkedMethod(fetchPointer(ContextMethodIndex, ctx))) return ctx;
            ctx = fetchPointer(ContextSenderIndex, ctx);
        }
    }
}

/* unwind every frame and context from the current one up to target, then return into it */
void returnToContext(sqInt target, sqInt value)
{
    sqInt fp = framePointer, callerFP, ctx, next;
    for (;;) {
        if (!isBaseFrame(fp)) {
            callerFP = frameCallerFP(fp);
            if (frameHasContext(callerFP) && frameContext(callerFP) == target) {
                framePointer = fp;
                returnFromFrame(value);
                return;
            }
            killContextOfFrame(fp);
            fp = callerFP;
            continue;
        }
        ctx = frameCallerContext(fp);
        killContextOfFrame(fp);
        freeStackPage(pageForAddress(fp));
        if (pageForAddress(fp) == stackPage) stackPage = 0;
        for (;;) {
            if (ctx == target) {
                resumeContext(target);
                push(value);
                return;
            }
            if (isMarriedContext(ctx)) {
                resumePage(pageForAddress(frameOfMarriedContext(ctx)));
                fp = framePointer;
                break;
            }
            next = fetchPointer(ContextSenderIndex, ctx);
            storePointer(ContextSenderIndex, ctx, nilObj);
            storePointer(ContextPCIndex, ctx, nilObj);
            ctx = next;
        }
    }
}

/* ^value from a block: return from its home method to the home's sender */
void nonLocalReturn(sqInt value)
{
    sqInt home = homeContextOfClosure(frameStackedReceiver(framePointer)), target, found;
    if (!isContext(home)) { sendCannotReturn(value); return; }
    target = fetchContextSlot(ContextSenderIndex, home);
    if (!isContext(target) || isDeadContext(target)) { sendCannotReturn(value); return; }
    found = findTargetOrUnwind(target);
    if (found == 0) { sendCannotReturn(value); return; }
    if (found != target) {
        push(ensureFrameIsMarried(framePointer));
        push(value);
        push(found);
        sendSelector(splObj(SpecialSelectorAboutToReturn), 2);
        return;
    }
    returnToContext(target, value);
}

/* ^value from a method, or from a block's home when in a block */
void methodReturnValue(sqInt value)
{
    INLINE(always);
    if (frameIsBlock(framePointer)) nonLocalReturn(value);
    else returnFromFrame(value);
}

/* ---- closures ---- */
/* a block frame for closure, whose arguments are pushed, of the full or the old layout (the
 * primitive checked it). Without mayContextSwitch (valueNoContextSwitch, which ensure: and
 * ifCurtailed: use) the frame is a safe point where the process cannot change. */
void activateClosure(sqInt closure, sqInt numArgs, sqInt full, sqInt mayContextSwitch)
{
    sqInt outer = fetchFollowedField(ClosureOuterContextIndex, closure);
    sqInt blockMethod, rcvr, firstCopied, numCopied, numTemps, i;
    /* a frame's method and receiver are never forwarders */
    if (full) {
        blockMethod = fetchFollowedField(FullClosureCompiledBlockIndex, closure);
        rcvr = fetchFollowedField(FullClosureReceiverIndex, closure);
        firstCopied = FullClosureFirstCopiedValueIndex;
    } else {
        blockMethod = fetchFollowedField(ContextMethodIndex, outer);
        rcvr = fetchFollowedField(ContextReceiverIndex, outer);
        firstCopied = ClosureFirstCopiedValueIndex;
    }
    numCopied = numSlotsOf(closure) - firstCopied;
    numTemps = full ? methodNumTemps(blockMethod) : numArgs + numCopied;
    pushFrameHeader(blockMethod, numArgs, numTemps, 1, rcvr);
    for (i = 0; i < numCopied; i += 1) push(fetchPointer(firstCopied + i, closure));
    for (i = numArgs + numCopied; i < numTemps; i += 1) push(nilObj);
    if (full) instructionPointer = firstBytecodeAddress(blockMethod);
    else instructionPointer = blockMethod + BaseHeaderSize + integerValueOf(fetchPointer(ClosureStartPCIndex, closure)) - 1;
    if (mayContextSwitch) checkForInterrupts();
    else checkForInterruptsNoSwitch();
}

/* ---- the loop ---- */
sqInt interpret(void)
{
    sqInt proc = activeProcess(), ctx;
    flushMethodCache();
    ctx = fetchPointer(ProcessSuspendedContextIndex, proc);
    storePointer(ProcessSuspendedContextIndex, proc, nilObj);
    executeContextInNewPage(ctx);
    while (!quitRequested) {
        currentBytecode = fetchNextBytecode() + bytecodeSetOffset;
        bytecodeCount += 1;
        DISPATCH_BYTECODE(currentBytecode);
    }
    if (digestEvery > 0) emitDigest();    /* the state the image quit in */
    platformFlush(1);
    return exitCode;
}

sqInt vmBytecodeCount(void) { return bytecodeCount; }
sqInt vmSendCount(void) { return sendCount; }

void initializeInterpreter(void)
{
    initializeStackPages();
    contextClassIndex = classIndexOfClass(splObj(SpecialClassMethodContext));
    flushMethodCache();
    quitRequested = 0;
    exitCode = 0;
    interruptCheckCounter = InterruptCheckInterval;
}

void vmFatal(sqInt code)
{
    platformFatalError(code, bytecodeCount, method);
}
