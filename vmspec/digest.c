/* Digests of the VM's state for the lockstep check (talc --digest-every, platforms/lockstep):
 * where the interpreter is, hashes of the active frame, of the receiver and of the objects made
 * since the previous digest, and the allocators' positions. References are written as offsets
 * from the start of VM memory, so that talc and talc-sim, whose memory lies at different
 * addresses but is laid out alike, write the same digests while they agree.
 * The order of the values is the platform's list of field names (platforms/debugging.c). */
#include "internal.h"

sqLong digestMix(sqLong h, sqLong v) { INLINE(always); return (sqLong)(((usqLong)h ^ (usqLong)v) * DigestPrime); }

/* an address in VM memory as an offset */
sqInt digestAddress(sqInt v) { INLINE(hint); return v >= memoryBase && v < memoryLimit ? v - memoryBase : v; }

/* an oop: a reference as an offset, an immediate as it is (a SmallInteger's bits may well look
 * like an address in one VM's memory and not in the other's) */
sqInt digestOop(sqInt v) { INLINE(hint); return (v & TagMask) == 0 ? digestAddress(v) : v; }

/* the header and up to DigestObjectSlots slots: references (a method's literals too) as
 * offsets, raw bits as they are; a married context's sender is its frame's address, tagged */
sqLong objectDigest(sqInt oop)
{
    sqInt n, i, pointers, slot, context, literals;
    sqLong h = DigestSeed;
    if (isImmediate(oop)) return digestMix(h, oop);
    if (oop < memoryBase || oop >= memoryLimit) return digestMix(h, -1);
    h = digestMix(h, long64At(oop));
    n = numSlotsOf(oop);
    if (n > DigestObjectSlots) n = DigestObjectSlots;
    pointers = isPointersNonImm(oop);
    context = classIndexOf(oop) == contextClassIndex;
    literals = isCompiledMethod(oop) ? 1 + methodNumLiterals(oop) : 0;
    for (i = 0; i < n; i += 1) {
        slot = longAt(oop + BaseHeaderSize + i * BytesPerWord);
        if (!pointers && i >= literals) h = digestMix(h, slot);
        else if (context && i == ContextSenderIndex && isIntegerObject(slot)) h = digestMix(h, digestAddress(slot - SmallIntegerTag));
        else h = digestMix(h, digestOop(slot));
    }
    return h;
}

/* the slots of the frame at fp from sp up: its stack, temporaries and fields, and the receiver
 * and arguments its caller pushed; the saved fp and ip are addresses (or a base frame's caller
 * context), the flags raw, the others oops */
sqLong frameSlotsDigest(sqLong h, sqInt fp, sqInt sp)
{
    sqInt a, top = fp + (FoxCallerSavedIP + 1 + frameNumArgs(fp)) * BytesPerWord;
    for (a = sp; a <= top; a += BytesPerWord) {
        if (a == fp + FoxSavedFP * BytesPerWord || a == fp + FoxCallerSavedIP * BytesPerWord) h = digestMix(h, digestAddress(longAt(a)));
        else if (a == fp + FoxFrameFlags * BytesPerWord) h = digestMix(h, longAt(a));
        else h = digestMix(h, digestOop(longAt(a)));
    }
    return h;
}

sqLong frameDigest(void) { return frameSlotsDigest(DigestSeed, framePointer, stackPointer); }

/* the frames below the active one on its page, its callers' (a wrong value is often already
 * left in a caller's frame when the next digest is taken) */
sqLong callersDigest(void)
{
    sqInt fp = framePointer, sp;
    sqLong h = DigestSeed;
    while (!isBaseFrame(fp)) {
        sp = fp + (FoxCallerSavedIP + 2 + frameNumArgs(fp)) * BytesPerWord;
        fp = frameCallerFP(fp);
        h = frameSlotsDigest(h, fp, sp);
    }
    return h;
}

/* the objects allocated in eden since the previous digest (since the last scavenge if one came
 * between) */
sqLong newObjectsDigest(void)
{
    sqInt a = digestScavengeMark == scavengeCount ? digestEdenMark : edenStart, oop;
    sqLong h = DigestSeed;
    if (a < edenStart || a > freeStart) a = edenStart;
    while (a < freeStart) {
        oop = objectStartingAt(a);
        h = digestMix(h, objectDigest(oop));
        a += bytesInObject(oop);
    }
    digestEdenMark = freeStart;
    digestScavengeMark = scavengeCount;
    return h;
}

void emitDigest(void)
{
    platformDigestValue(bytecodeCount, 0);
    platformDigestValue(digestAddress(method), 1);
    platformDigestValue(instructionPointer - method - BaseHeaderSize + 1, 0);
    platformDigestValue(digestAddress(stackPointer), 1);
    platformDigestValue(digestAddress(framePointer), 1);
    platformDigestValue(frameDigest(), 1);
    platformDigestValue(callersDigest(), 1);
    platformDigestValue(objectDigest(frameReceiver(framePointer)), 1);
    platformDigestValue(newObjectsDigest(), 1);
    platformDigestValue(freeStart - edenStart, 0);
    platformDigestValue(endOfOldObjects - oldSpaceStart, 0);
    platformDigestValue(lastHash, 1);
    platformDigestValue(digestAddress(activeProcess()), 1);
    reportMethodName(method, 0);
}

/* ---- method names, Class>>selector, for digests and --snapshot-on-method ---- */

/* a CompiledBlock's home method: its last literal is its outer code */
sqInt homeMethodOf(sqInt m)
{
    sqInt lit, depth = 0;
    while (depth < 1000 && methodNumLiterals(m) > 0) {
        lit = literal(methodNumLiterals(m) - 1, m);
        if (!isCompiledMethod(lit)) return m;
        m = lit;
        depth += 1;
    }
    return m;
}

/* the penultimate literal, or the selector of an AdditionalMethodState (method, selector) there */
sqInt methodSelectorOf(sqInt m)
{
    sqInt n = methodNumLiterals(m), sel;
    if (n < 2) return nilObj;
    sel = literal(n - 2, m);
    if (isNonImmediate(sel) && isPointersNonImm(sel) && numSlotsOf(sel) >= 2) sel = fetchPointer(1, sel);
    return sel;
}

/* a class's name (slot 6 as in Squeak and Talc's kernel), or nil */
sqInt classNameOf(sqInt cls)
{
    sqInt name;
    if (!isNonImmediate(cls) || !isPointersNonImm(cls) || numSlotsOf(cls) <= 6) return nilObj;
    name = fetchPointer(6, cls);
    return isBytesObject(name) ? name : nilObj;
}

/* a metaclass's sole instance (thisClass, slot 5), or nil when cls is not a metaclass */
sqInt metaclassInstanceOf(sqInt cls)
{
    sqInt inst;
    if (classNameOf(cls) != nilObj || !isNonImmediate(cls) || !isPointersNonImm(cls) || numSlotsOf(cls) <= 5) return nilObj;
    inst = fetchPointer(5, cls);
    return classNameOf(inst) != nilObj ? inst : nilObj;
}

sqInt bytesAddressOf(sqInt oop) { return isBytesObject(oop) ? firstFieldAddress(oop) : 0; }
sqInt bytesLengthOf(sqInt oop) { return isBytesObject(oop) ? numBytesOf(oop) : 0; }

/* the method's name to the platform: ending a digest record (forSnapshot 0), or asking
 * whether it is --snapshot-on-method's method (forSnapshot 1; answers 1 if so) */
sqInt reportMethodName(sqInt m, sqInt forSnapshot)
{
    sqInt home = homeMethodOf(m), cls = methodClassOf(home), sel = methodSelectorOf(home);
    sqInt inst = metaclassInstanceOf(cls), name = classNameOf(inst != nilObj ? inst : cls);
    if (forSnapshot)
        return platformIsSnapshotMethod(bytesAddressOf(name), bytesLengthOf(name), inst != nilObj, bytesAddressOf(sel), bytesLengthOf(sel));
    platformDigestEnd(bytesAddressOf(name), bytesLengthOf(name), inst != nilObj, bytesAddressOf(sel), bytesLengthOf(sel), home != m);
    return 0;
}

sqInt methodNameIsSnapshotTarget(sqInt m) { return reportMethodName(m, 1); }
