/* The stack zone: stack pages holding frames, and contexts married to frames.
 *
 * Methods run in frames on stack pages, not in heap contexts. A context is made for a frame
 * only when Smalltalk needs one (thisContext, a closure, a process switch, a page change):
 * the frame is then "married" to it, the context's sender slot holding the frame pointer
 * tagged as a SmallInteger. When a page must be reclaimed its frames are "divorced": each
 * context receives its frame's state and the page is freed. A frame that returns kills its
 * context (sender and pc become nil), so a married context always has a live frame. */
#include "internal.h"

/* ---- registers and the stack ---- */
void push(sqInt value) { INLINE(always); stackPointer -= BytesPerWord; longAtPut(stackPointer, value); }
sqInt pop(void) { INLINE(always); sqInt v = longAt(stackPointer); stackPointer += BytesPerWord; return v; }
void popN(sqInt n) { INLINE(always); stackPointer += n * BytesPerWord; }
sqInt stackTop(void) { INLINE(always); return longAt(stackPointer); }
sqInt stackValue(sqInt n) { INLINE(always); return longAt(stackPointer + n * BytesPerWord); }
void stackValuePut(sqInt n, sqInt value) { INLINE(always); longAtPut(stackPointer + n * BytesPerWord, value); }
void popThenPush(sqInt n, sqInt value) { INLINE(always); stackPointer += (n - 1) * BytesPerWord; longAtPut(stackPointer, value); }

/* ---- frame fields ---- */
sqInt frameCallerFP(sqInt fp) { INLINE(always); return longAt(fp + FoxSavedFP * BytesPerWord); }
sqInt frameCallerSavedIP(sqInt fp) { INLINE(always); return longAt(fp + FoxCallerSavedIP * BytesPerWord); }
sqInt frameCallerContext(sqInt fp) { INLINE(always); return longAt(fp + FoxCallerSavedIP * BytesPerWord); }
sqInt isBaseFrame(sqInt fp) { INLINE(always); return frameCallerFP(fp) == 0; }
sqInt frameMethod(sqInt fp) { INLINE(always); return longAt(fp + FoxMethod * BytesPerWord); }
sqInt frameFlags(sqInt fp) { INLINE(always); return longAt(fp + FoxFrameFlags * BytesPerWord); }
sqInt frameNumArgs(sqInt fp) { INLINE(always); return frameFlags(fp) & 0xFF; }
sqInt frameHasContext(sqInt fp) { INLINE(always); return (frameFlags(fp) >> 8) & 1; }
sqInt frameIsBlock(sqInt fp) { INLINE(always); return (frameFlags(fp) >> 16) & 1; }
sqInt frameContext(sqInt fp) { INLINE(always); return longAt(fp + FoxThisContext * BytesPerWord); }
sqInt frameReceiver(sqInt fp) { INLINE(always); return longAt(fp + FoxReceiver * BytesPerWord); }
sqInt makeFrameFlags(sqInt numArgs, sqInt hasContext, sqInt isBlock) { INLINE(always); return numArgs | (hasContext << 8) | (isBlock << 16); }

/* the receiver the caller pushed: for a block frame, the closure */
sqInt frameStackedReceiver(sqInt fp) { return longAt(fp + (FoxCallerSavedIP + 1 + frameNumArgs(fp)) * BytesPerWord); }

/* temporaries: the arguments above the frame, the others below the receiver */
sqInt frameTempAddress(sqInt fp, sqInt i)
{
    INLINE(always);
    sqInt numArgs = frameNumArgs(fp);
    if (i < numArgs) return fp + (FoxCallerSavedIP + numArgs - i) * BytesPerWord;
    return fp + (FoxReceiver - 1 - (i - numArgs)) * BytesPerWord;
}

sqInt temporary(sqInt i, sqInt fp) { INLINE(always); sqInt a = frameTempAddress(fp, i); return longAt(a); }
void temporaryPut(sqInt i, sqInt fp, sqInt value) { INLINE(always); sqInt a = frameTempAddress(fp, i); longAtPut(a, value); }

/* ---- pages ---- */
sqInt pageField(sqInt page, sqInt field) { INLINE(always); return longAt(page + field * BytesPerWord); }
void pageFieldPut(sqInt page, sqInt field, sqInt value) { INLINE(always); longAtPut(page + field * BytesPerWord, value); }
sqInt pageAtIndex(sqInt i) { return stackZoneStart + i * PageDescriptorWords * BytesPerWord; }
sqInt isFreePage(sqInt page) { return pageField(page, PageBaseFP) == 0; }

sqInt pageForAddress(sqInt address)
{
    ASSERT_SIM(address >= pagesStart && address < stackZoneEnd);
    return pageAtIndex((address - pagesStart) / stackPageBytes);
}

sqInt isStackAddress(sqInt address) { return address >= pagesStart && address < stackZoneEnd; }

void initializeStackPages(void)
{
    sqInt i, page, low;
    pagesStart = stackZoneStart + numStackPages * PageDescriptorWords * BytesPerWord;
    for (i = 0; i < numStackPages; i += 1) {
        page = pageAtIndex(i);
        low = pagesStart + i * stackPageBytes;
        pageFieldPut(page, PageBaseAddress, low + stackPageBytes - BytesPerWord);
        pageFieldPut(page, PageRealStackLimit, low + StackPageHeadroomBytes);
        pageFieldPut(page, PageHeadSP, 0);
        pageFieldPut(page, PageHeadFP, 0);
        pageFieldPut(page, PageBaseFP, 0);
        pageFieldPut(page, PageNextPage, pageAtIndex((i + 1) % numStackPages));
        pageFieldPut(page, PagePrevPage, pageAtIndex((i + numStackPages - 1) % numStackPages));
    }
    mostRecentlyUsedPage = pageAtIndex(numStackPages - 1);
    stackPage = 0;
}

/* the ring of pages is kept in use order: the page after the most recently used is the least */
void markPageMostRecentlyUsed(sqInt page)
{
    sqInt prev, next, mruNext;
    if (page == mostRecentlyUsedPage) return;
    prev = pageField(page, PagePrevPage);
    next = pageField(page, PageNextPage);
    pageFieldPut(prev, PageNextPage, next);
    pageFieldPut(next, PagePrevPage, prev);
    mruNext = pageField(mostRecentlyUsedPage, PageNextPage);
    pageFieldPut(page, PagePrevPage, mostRecentlyUsedPage);
    pageFieldPut(page, PageNextPage, mruNext);
    pageFieldPut(mostRecentlyUsedPage, PageNextPage, page);
    pageFieldPut(mruNext, PagePrevPage, page);
    mostRecentlyUsedPage = page;
}

void freeStackPage(sqInt page)
{
    pageFieldPut(page, PageHeadFP, 0);
    pageFieldPut(page, PageHeadSP, 0);
    pageFieldPut(page, PageBaseFP, 0);
}

/* a free page, divorcing the frames of the least recently used one if none is free */
sqInt newStackPage(void)
{
    sqInt page = pageField(mostRecentlyUsedPage, PageNextPage);
    sqInt i;
    for (i = 0; i < numStackPages; i += 1) {
        if (isFreePage(page)) break;
        page = pageField(page, PageNextPage);
    }
    if (!isFreePage(page)) {
        page = pageField(mostRecentlyUsedPage, PageNextPage);
        if (page == stackPage) page = pageField(page, PageNextPage);
        divorceFramesIn(page);
        statStackPageDivorces += 1;
    }
    markPageMostRecentlyUsed(page);
    return page;
}

/* save the active frame's registers in its page: the ip is pushed, as on any suspended page */
void writeBackActivePage(void)
{
    push(instructionPointer);
    pageFieldPut(stackPage, PageHeadSP, stackPointer);
    pageFieldPut(stackPage, PageHeadFP, framePointer);
}

/* make page active with its head frame as the current frame */
void resumePage(sqInt page)
{
    stackPage = page;
    stackLimit = pageField(page, PageRealStackLimit);
    framePointer = pageField(page, PageHeadFP);
    stackPointer = pageField(page, PageHeadSP);
    instructionPointer = pop();
    method = frameMethod(framePointer);
    setBytecodeSetFor(method);
    markPageMostRecentlyUsed(page);
}

/* the frame directly above fp on its page (its callee), or 0 when fp is the head frame */
sqInt calleeOfFrame(sqInt fp)
{
    sqInt page = pageForAddress(fp);
    sqInt f = page == stackPage ? framePointer : pageField(page, PageHeadFP);
    sqInt callee = 0;
    while (f != fp) {
        ASSERT_ALWAYS(f != 0);
        callee = f;
        f = frameCallerFP(f);
    }
    return callee;
}

sqInt frameIP(sqInt fp)
{
    sqInt callee, page;
    if (fp == framePointer) return instructionPointer;
    callee = calleeOfFrame(fp);
    if (callee != 0) return frameCallerSavedIP(callee);
    page = pageForAddress(fp);
    return longAt(pageField(page, PageHeadSP));
}

/* address of the frame's top stack item; the pending send's receiver and arguments excluded */
sqInt frameSP(sqInt fp)
{
    sqInt callee, page;
    if (fp == framePointer) return stackPointer;
    callee = calleeOfFrame(fp);
    if (callee != 0) return callee + (FoxCallerSavedIP + 2 + frameNumArgs(callee)) * BytesPerWord;
    page = pageForAddress(fp);
    return pageField(page, PageHeadSP) + BytesPerWord;
}

/* number of temporaries and stack items, as a context's stackp counts them */
sqInt frameStackp(sqInt fp, sqInt sp)
{
    return frameNumArgs(fp) + (fp + (FoxReceiver - 1) * BytesPerWord - sp) / BytesPerWord + 1;
}

/* ---- contexts ---- */
sqInt isMarriedContext(sqInt ctx) { return isIntegerObject(fetchPointer(ContextSenderIndex, ctx)); }
sqInt frameOfMarriedContext(sqInt ctx) { return fetchPointer(ContextSenderIndex, ctx) & ~(sqInt)SmallIntegerTag; }
sqInt isDeadContext(sqInt ctx) { return !isMarriedContext(ctx) && fetchPointer(ContextPCIndex, ctx) == nilObj; }

sqInt methodHeaderOf(sqInt aMethod) { INLINE(always); return integerValueOf(fetchPointer(0, aMethod)); }

sqInt contextSlotsForMethod(sqInt aMethod)
{
    return (methodHeaderOf(aMethod) & HeaderLargeFrameBit) ? LargeContextSlots : SmallContextSlots;
}

sqInt ensureFrameIsMarried(sqInt fp)
{
    sqInt ctx, closure;
    if (frameHasContext(fp)) return frameContext(fp);
    ctx = instantiateClass(splObj(SpecialClassMethodContext), contextSlotsForMethod(frameMethod(fp)));
    if (ctx == 0) vmFatal(FatalOutOfMemory);
    closure = frameIsBlock(fp) ? frameStackedReceiver(fp) : nilObj;
    storePointer(ContextSenderIndex, ctx, fp | SmallIntegerTag);
    storePointer(ContextPCIndex, ctx, integerObjectOf(0));
    storePointer(ContextSPIndex, ctx, integerObjectOf(0));
    storePointer(ContextMethodIndex, ctx, frameMethod(fp));
    storePointer(ContextClosureIndex, ctx, closure);
    storePointer(ContextReceiverIndex, ctx, frameReceiver(fp));
    longAtPut(fp + FoxFrameFlags * BytesPerWord, frameFlags(fp) | (1 << 8));
    longAtPut(fp + FoxThisContext * BytesPerWord, ctx);
    return ctx;
}

/* a frame that returns or is unwound leaves its context dead */
void killContextOfFrame(sqInt fp)
{
    INLINE(always);
    if (frameHasContext(fp)) killContext(frameContext(fp));
}

void killContext(sqInt ctx)
{
    storePointer(ContextSenderIndex, ctx, nilObj);
    storePointer(ContextPCIndex, ctx, nilObj);
}

sqInt encodePC(sqInt ip, sqInt aMethod) { return integerObjectOf(ip - (aMethod + BaseHeaderSize) + 1); }

/* write a frame's state into its (married) context */
void divorceFrame(sqInt fp, sqInt sp, sqInt ip, sqInt senderCtx)
{
    sqInt ctx = frameContext(fp);
    sqInt stackp = frameStackp(fp, sp), i;
    if (stackp > numSlotsOf(ctx) - ContextTempFrameStart) vmFatal(FatalContextOverflow);
    storePointer(ContextSenderIndex, ctx, senderCtx);
    storePointer(ContextPCIndex, ctx, encodePC(ip, frameMethod(fp)));
    storePointer(ContextSPIndex, ctx, integerObjectOf(stackp));
    for (i = 0; i < stackp; i += 1)
        storePointer(ContextTempFrameStart + i, ctx, temporary(i, fp));
}

/* flush every frame of a page into contexts and free the page (not the active page) */
void divorceFramesIn(sqInt page)
{
    sqInt fp, sp, ip, callerFP, sender, nextSP, nextIP;
    ASSERT_ALWAYS(page != stackPage);
    for (fp = pageField(page, PageHeadFP); fp != 0; fp = frameCallerFP(fp))
        ensureFrameIsMarried(fp);
    fp = pageField(page, PageHeadFP);
    sp = pageField(page, PageHeadSP) + BytesPerWord;
    ip = longAt(pageField(page, PageHeadSP));
    for (;;) {
        callerFP = frameCallerFP(fp);
        sender = callerFP == 0 ? frameCallerContext(fp) : frameContext(callerFP);
        nextIP = frameCallerSavedIP(fp);
        nextSP = fp + (FoxCallerSavedIP + 2 + frameNumArgs(fp)) * BytesPerWord;
        divorceFrame(fp, sp, ip, sender);
        if (callerFP == 0) break;
        fp = callerFP;
        sp = nextSP;
        ip = nextIP;
    }
    freeStackPage(page);
}

/* flush the active page too; the interpreter then resumes from the returned context */
sqInt divorceActivePage(void)
{
    sqInt ctx = ensureFrameIsMarried(framePointer), page = stackPage;
    writeBackActivePage();
    stackPage = 0;
    divorceFramesIn(page);
    return ctx;
}

sqInt closureNumArgs(sqInt closure) { return integerValueOf(fetchPointer(ClosureNumArgsIndex, closure)); }
sqInt isFullBlockClosure(sqInt closure) { return classIndexOf(closure) == classIndexOfClass(splObj(SpecialClassFullBlockClosure)); }

/* give a divorced context a frame on a fresh page and make it the current frame */
void executeContextInNewPage(sqInt ctx)
{
    sqInt page = newStackPage();
    sqInt ctxMethod = fetchFollowedField(ContextMethodIndex, ctx);
    sqInt closure = fetchFollowedField(ContextClosureIndex, ctx);
    sqInt rcvr = fetchFollowedField(ContextReceiverIndex, ctx);
    sqInt pc = fetchPointer(ContextPCIndex, ctx), sp = fetchPointer(ContextSPIndex, ctx);
    sqInt numArgs, stackp, i, isBlock = closure != nilObj;
    if (!isIntegerObject(pc) || !isIntegerObject(sp) || !isCompiledMethod(ctxMethod)) vmFatal(FatalBadContext);
    numArgs = isBlock ? closureNumArgs(closure) : (methodHeaderOf(ctxMethod) >> HeaderNumArgsShift) & HeaderNumArgsMask;
    stackp = integerValueOf(sp);
    /* stackp may be below numArgs (Context>>jump pops a fresh context's argument): the arguments
     * are pushed from the slots anyway, as Open-Smalltalk-VM does */
    if (stackp < 0 || stackp > numSlotsOf(ctx) - ContextTempFrameStart || numArgs > numSlotsOf(ctx) - ContextTempFrameStart) vmFatal(FatalBadContext);
    stackPage = page;
    stackLimit = pageField(page, PageRealStackLimit);
    stackPointer = pageField(page, PageBaseAddress) + BytesPerWord;
    push(isBlock ? closure : rcvr);
    for (i = 0; i < numArgs; i += 1) push(fetchPointer(ContextTempFrameStart + i, ctx));
    push(fetchPointer(ContextSenderIndex, ctx));
    push(0);
    framePointer = stackPointer;
    push(ctxMethod);
    push(makeFrameFlags(numArgs, 1, isBlock));
    push(ctx);
    push(rcvr);
    for (i = numArgs; i < stackp; i += 1) push(fetchPointer(ContextTempFrameStart + i, ctx));
    pageFieldPut(page, PageBaseFP, framePointer);
    pageFieldPut(page, PageHeadFP, framePointer);
    method = ctxMethod;
    setBytecodeSetFor(method);
    instructionPointer = method + BaseHeaderSize + integerValueOf(pc) - 1;
    storePointer(ContextSenderIndex, ctx, framePointer | SmallIntegerTag);
    storePointer(ContextPCIndex, ctx, integerObjectOf(0));
}

/* continue running ctx: its frame, or a new one */
void resumeContext(sqInt ctx)
{
    sqInt fp, page;
    if (isMarriedContext(ctx)) {
        fp = frameOfMarriedContext(ctx);
        page = pageForAddress(fp);
        if (pageField(page, PageHeadFP) == fp) {
            resumePage(page);
            return;
        }
        /* a frame inside a page is not resumable as it stands: flush the page and start anew */
        divorceFramesIn(page);
    }
    executeContextInNewPage(ctx);
}

/* ---- context slots as Smalltalk sees them, married or not ---- */
sqInt fetchContextSlot(sqInt index, sqInt ctx)
{
    sqInt fp, sp, stackp, callerFP;
    if (!isMarriedContext(ctx)) return fetchPointer(index, ctx);
    fp = frameOfMarriedContext(ctx);
    if (index == ContextSenderIndex) {
        callerFP = frameCallerFP(fp);
        return callerFP == 0 ? frameCallerContext(fp) : ensureFrameIsMarried(callerFP);
    }
    if (index == ContextPCIndex) return encodePC(frameIP(fp), frameMethod(fp));
    sp = frameSP(fp);
    stackp = frameStackp(fp, sp);
    if (index == ContextSPIndex) return integerObjectOf(stackp);
    if (index < ContextTempFrameStart) return fetchPointer(index, ctx);
    if (index - ContextTempFrameStart < stackp) return temporary(index - ContextTempFrameStart, fp);
    return nilObj;
}

/* storing into a married context first turns its page's frames into contexts */
void storeContextSlot(sqInt index, sqInt ctx, sqInt value)
{
    sqInt page, active;
    if (isMarriedContext(ctx)) {
        page = pageForAddress(frameOfMarriedContext(ctx));
        if (page == stackPage) {
            active = divorceActivePage();
            storePointer(index, ctx, value);
            executeContextInNewPage(active);
            return;
        }
        divorceFramesIn(page);
    }
    storePointer(index, ctx, value);
}

/* ---- the frames as roots: every oop slot of every frame, for the collectors ----
 * temporaries, stack, receiver, method and context; the arguments above a base frame and its
 * caller context; never the saved ips, fps and flags, which are not oops */
void scanRootRange(sqInt low, sqInt high, sqInt mode)
{
    sqInt a;
    for (a = low; a <= high; a += BytesPerWord) processRootSlot(a, mode);
}

void scanStackPages(sqInt mode)
{
    sqInt i, page, fp, sp;
    for (i = 0; i < numStackPages; i += 1) {
        page = pageAtIndex(i);
        if (isFreePage(page)) continue;
        if (page == stackPage) {
            fp = framePointer;
            sp = stackPointer;
        } else {
            fp = pageField(page, PageHeadFP);
            sp = pageField(page, PageHeadSP) + BytesPerWord;
        }
        for (;;) {
            scanRootRange(sp, fp + FoxThisContext * BytesPerWord, mode);
            processRootSlot(fp + FoxMethod * BytesPerWord, mode);
            if (isBaseFrame(fp)) {
                scanRootRange(fp + FoxCallerSavedIP * BytesPerWord, fp + (FoxCallerSavedIP + 1 + frameNumArgs(fp)) * BytesPerWord, mode);
                break;
            }
            sp = fp + (FoxCallerSavedIP + 1) * BytesPerWord;
            fp = frameCallerFP(fp);
        }
    }
}

/* every frame's instruction pointer made relative to its method (toOffsets) or absolute again,
 * so that methods may move: the active frame's is the register, a suspended page's head
 * frame's is pushed on its stack, the others' are saved in their callee */
void relocateFrameIPs(sqInt toOffsets)
{
    sqInt i, page, fp, slot, m;
    for (i = 0; i < numStackPages; i += 1) {
        page = pageAtIndex(i);
        if (isFreePage(page)) continue;
        fp = page == stackPage ? framePointer : pageField(page, PageHeadFP);
        slot = page == stackPage ? 0 : pageField(page, PageHeadSP);
        for (;;) {
            m = frameMethod(fp);
            if (slot == 0) instructionPointer = toOffsets ? instructionPointer - m : instructionPointer + m;
            else longAtPut(slot, toOffsets ? longAt(slot) - m : longAt(slot) + m);
            if (isBaseFrame(fp)) break;
            slot = fp + FoxCallerSavedIP * BytesPerWord;
            fp = frameCallerFP(fp);
        }
    }
}
