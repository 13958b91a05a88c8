/* What the bytecode sets share: variable access, SmallInteger arithmetic, special sends,
 * jumps and closure creation. Each set's routines decode their operands and call these. */
#include "internal.h"

sqInt receiver(void) { INLINE(always); return frameReceiver(framePointer); }
sqInt booleanObjectOf(sqInt b) { INLINE(always); return b ? trueObj : falseObj; }

/* inst var i of the receiver, seen through the context machinery when the receiver is one */
sqInt receiverVariable(sqInt i)
{
    sqInt rcvr = receiver();
    if (classIndexOf(rcvr) == contextClassIndex) return fetchContextSlot(i, rcvr);
    return fetchPointer(i, rcvr);
}

void receiverVariablePut(sqInt i, sqInt value)
{
    sqInt rcvr = receiver();
    if (classIndexOf(rcvr) == contextClassIndex) storeContextSlot(i, rcvr, value);
    else storePointer(i, rcvr, value);
}

sqInt literalVariableValue(sqInt i) { return fetchPointer(AssociationValueIndex, literal(i, method)); }
void literalVariablePut(sqInt i, sqInt value) { storePointer(AssociationValueIndex, literal(i, method), value); }

/* ---- SmallInteger arithmetic, shared with primitives 1-17: the result oop, or 0 to fail ---- */
sqInt smallIntegerOp(sqInt prim, sqInt rcvr, sqInt arg)
{
    sqInt a, b, r, m;
    if (!isIntegerObject(rcvr) || !isIntegerObject(arg)) return 0;
    a = integerValueOf(rcvr);
    b = integerValueOf(arg);
    switch (prim) {
    case 1: r = a + b; break;
    case 2: r = a - b; break;
    case 3: return booleanObjectOf(a < b);
    case 4: return booleanObjectOf(a > b);
    case 5: return booleanObjectOf(a <= b);
    case 6: return booleanObjectOf(a >= b);
    case 7: return booleanObjectOf(a == b);
    case 8: return booleanObjectOf(a != b);
    case 9:
        r = (sqInt)((usqInt)a * (usqInt)b);
        if (b != 0 && r / b != a) return 0;
        break;
    case 10:
        if (b == 0 || a % b != 0) return 0;
        r = a / b;
        break;
    case 11:
        if (b == 0) return 0;
        m = a % b;
        if (m != 0 && (m < 0) != (b < 0)) m += b;
        r = m;
        break;
    case 12:
        if (b == 0) return 0;
        r = a / b;
        if (a % b != 0 && (a < 0) != (b < 0)) r -= 1;
        break;
    case 13:
        if (b == 0) return 0;
        r = a / b;
        break;
    case 14: r = a & b; break;
    case 15: r = a | b; break;
    case 16: r = a ^ b; break;
    case 17:
        if (b >= 0) {
            if (b >= SmallIntegerBits) { if (a != 0) return 0; r = 0; break; }
            r = (sqInt)((usqInt)a << b);
            if ((r >> b) != a) return 0;
        } else {
            r = a >> (-b < 63 ? -b : 63);
        }
        break;
    default: return 0;
    }
    if (!isIntegerValue(r)) return 0;
    return integerObjectOf(r);
}

/* special selectors 0-15 are + - < > <= >= = ~= * / \\ @ bitShift: // bitAnd: bitOr: */
sqInt primitiveForArithmeticSelector(sqInt i)
{
    if (i <= 10) return i + 1;
    if (i == 12) return 17;
    if (i == 13) return 12;
    if (i == 14) return 14;
    if (i == 15) return 15;
    return 0;
}

sqInt specialSelector(sqInt i) { return fetchPointer(i * 2, splObj(SpecialSelectors)); }
sqInt specialSelectorNumArgs(sqInt i) { return integerValueOf(fetchPointer(i * 2 + 1, splObj(SpecialSelectors))); }

void sendSpecialSelector(sqInt i) { sendSelector(specialSelector(i), specialSelectorNumArgs(i)); }

void arithmeticSpecialSend(sqInt i)
{
    sqInt result = smallIntegerOp(primitiveForArithmeticSelector(i), stackValue(1), stackValue(0));
    if (result != 0) {
        popThenPush(2, result);
        return;
    }
    sendSpecialSelector(i);
}

/* special selectors 16-31: at: at:put: size next nextPut: atEnd == class, then sends */
void commonSpecialSend(sqInt i)
{
    if (i == 22) {
        popThenPush(2, booleanObjectOf(stackValue(1) == stackValue(0)));
        return;
    }
    if (i == 23) {
        popThenPush(1, fetchClassOf(stackTop()));
        return;
    }
    sendSpecialSelector(i);
}

/* ---- jumps ---- */
void jumpBy(sqInt offset)
{
    instructionPointer += offset;
    if (offset < 0) checkForInterrupts();
}

void sendMustBeBoolean(sqInt value)
{
    push(value);
    sendSelector(splObj(SpecialSelectorMustBeBoolean), 0);
}

void jumpIf(sqInt condition, sqInt offset)
{
    sqInt value = pop();
    if (value == booleanObjectOf(condition)) jumpBy(offset);
    else if (value != booleanObjectOf(!condition)) sendMustBeBoolean(value);
}

/* ---- arrays and closures ---- */
void pushNewArray(sqInt size, sqInt popIntoArray)
{
    sqInt array = instantiateClass(splObj(SpecialClassArray), size), i;
    if (array == 0) vmFatal(FatalOutOfMemory);
    if (popIntoArray) {
        for (i = size - 1; i >= 0; i -= 1) storePointer(i, array, pop());
    }
    push(array);
}

/* a BlockClosure whose code starts at the current ip; its copied values come off the stack */
void pushClosure(sqInt numArgs, sqInt numCopied, sqInt blockSize)
{
    sqInt closure = instantiateClass(splObj(SpecialClassBlockClosure), numCopied), i;
    if (closure == 0) vmFatal(FatalOutOfMemory);
    storePointer(ClosureOuterContextIndex, closure, ensureFrameIsMarried(framePointer));
    storePointer(ClosureStartPCIndex, closure, encodePC(instructionPointer, method));
    storePointer(ClosureNumArgsIndex, closure, integerObjectOf(numArgs));
    for (i = numCopied - 1; i >= 0; i -= 1) storePointer(ClosureFirstCopiedValueIndex + i, closure, pop());
    push(closure);
    instructionPointer += blockSize;
}

/* a FullBlockClosure over a CompiledBlock literal */
void pushFullClosure(sqInt compiledBlock, sqInt numCopied, sqInt receiverIsOnStack, sqInt outerIsNil)
{
    sqInt closure = instantiateClass(splObj(SpecialClassFullBlockClosure), numCopied), i;
    if (closure == 0) vmFatal(FatalOutOfMemory);
    storePointer(ClosureOuterContextIndex, closure, outerIsNil ? nilObj : ensureFrameIsMarried(framePointer));
    storePointer(FullClosureCompiledBlockIndex, closure, compiledBlock);
    storePointer(ClosureNumArgsIndex, closure, integerObjectOf(methodNumArgs(compiledBlock)));
    for (i = numCopied - 1; i >= 0; i -= 1) storePointer(FullClosureFirstCopiedValueIndex + i, closure, pop());
    storePointer(FullClosureReceiverIndex, closure, receiverIsOnStack ? pop() : receiver());
    push(closure);
}

void unknownBytecode(void)
{
    vmFatal(FatalUnknownBytecode);
}
