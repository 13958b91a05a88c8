/* The V3PlusClosures bytecode set (Squeak's, selected by a method header's clear sign bit). */
#include "internal.h"

void pushReceiverVariableBytecode(void) { SPECIALISE(currentBytecode, 0, 15); push(receiverVariable(currentBytecode & 15)); }
void pushTemporaryVariableBytecode(void) { SPECIALISE(currentBytecode, 16, 31); push(temporary(currentBytecode & 15, framePointer)); }
void pushLiteralConstantBytecode(void) { SPECIALISE(currentBytecode, 32, 63); push(literal(currentBytecode & 31, method)); }
void pushLiteralVariableBytecode(void) { SPECIALISE(currentBytecode, 64, 95); push(literalVariableValue(currentBytecode & 31)); }
void storeAndPopReceiverVariableBytecode(void) { SPECIALISE(currentBytecode, 96, 103); receiverVariablePut(currentBytecode & 7, pop()); }
void storeAndPopTemporaryVariableBytecode(void) { SPECIALISE(currentBytecode, 104, 111); temporaryPut(currentBytecode & 7, framePointer, pop()); }
void pushReceiverBytecode(void) { push(receiver()); }
void pushConstantTrueBytecode(void) { push(trueObj); }
void pushConstantFalseBytecode(void) { push(falseObj); }
void pushConstantNilBytecode(void) { push(nilObj); }
void pushConstantIntegerBytecode(void) { SPECIALISE(currentBytecode, 116, 119); push(integerObjectOf((currentBytecode & 7) - 5)); }
void returnReceiverBytecode(void) { methodReturnValue(receiver()); }
void returnTrueBytecode(void) { methodReturnValue(trueObj); }
void returnFalseBytecode(void) { methodReturnValue(falseObj); }
void returnNilBytecode(void) { methodReturnValue(nilObj); }
void returnTopFromMethodBytecode(void) { methodReturnValue(pop()); }
void returnTopFromBlockBytecode(void) { returnFromFrame(pop()); }

/* 128-130: a type in the top two bits, an index in the low six */
void extendedPushBytecode(void)
{
    sqInt b = fetchNextBytecode(), i = b & 63;
    switch (b >> 6) {
    case 0: push(receiverVariable(i)); break;
    case 1: push(temporary(i, framePointer)); break;
    case 2: push(literal(i, method)); break;
    default: push(literalVariableValue(i)); break;
    }
}

void extendedStoreInto(sqInt b, sqInt value)
{
    INLINE(always);
    sqInt i = b & 63;
    switch (b >> 6) {
    case 0: receiverVariablePut(i, value); break;
    case 1: temporaryPut(i, framePointer, value); break;
    case 2: unknownBytecode(); break;
    default: literalVariablePut(i, value); break;
    }
}

void extendedStoreBytecode(void) { extendedStoreInto(fetchNextBytecode(), stackTop()); }
void extendedStoreAndPopBytecode(void) { sqInt b = fetchNextBytecode(); extendedStoreInto(b, pop()); }

void singleExtendedSendBytecode(void)
{
    sqInt b = fetchNextBytecode();
    commonSend(literal(b & 31, method), b >> 5);
}

void doubleExtendedDoAnythingBytecode(void)
{
    sqInt b2 = fetchNextBytecode(), b3 = fetchNextBytecode();
    switch (b2 >> 5) {
    case 0: sendSelector(literal(b3, method), b2 & 31); break;
    case 1: superSendSelector(literal(b3, method), b2 & 31); break;
    case 2: push(receiverVariable(b3)); break;
    case 3: push(literal(b3, method)); break;
    case 4: push(literalVariableValue(b3)); break;
    case 5: receiverVariablePut(b3, stackTop()); break;
    case 6: receiverVariablePut(b3, pop()); break;
    default: literalVariablePut(b3, stackTop()); break;
    }
}

void singleExtendedSuperBytecode(void)
{
    sqInt b = fetchNextBytecode();
    superSendSelector(literal(b & 31, method), b >> 5);
}

void secondExtendedSendBytecode(void)
{
    sqInt b = fetchNextBytecode();
    commonSend(literal(b & 63, method), b >> 6);
}

void popStackBytecode(void) { popN(1); }
void duplicateTopBytecode(void) { push(stackTop()); }
void pushActiveContextBytecode(void) { push(ensureFrameIsMarried(framePointer)); }

void pushNewArrayBytecode(void)
{
    sqInt b = fetchNextBytecode();
    pushNewArray(b & 127, b >> 7);
}

/* reached only when a method's primitive failed and its body runs from the first byte */
void callPrimitiveBytecode(void) { instructionPointer += 2; }

void pushRemoteTempLongBytecode(void)
{
    sqInt i = fetchNextBytecode(), vector = temporary(fetchNextBytecode(), framePointer);
    push(fetchPointer(i, vector));
}

void storeRemoteTempLongBytecode(void)
{
    sqInt i = fetchNextBytecode(), vector = temporary(fetchNextBytecode(), framePointer);
    storePointer(i, vector, stackTop());
}

void storeAndPopRemoteTempLongBytecode(void)
{
    sqInt i = fetchNextBytecode(), vector = temporary(fetchNextBytecode(), framePointer);
    storePointer(i, vector, pop());
}

void pushClosureCopyCopiedValuesBytecode(void)
{
    sqInt b = fetchNextBytecode(), hi = fetchNextBytecode(), lo = fetchNextBytecode();
    pushClosure(b & 15, b >> 4, hi * 256 + lo);
}

void shortUnconditionalJumpBytecode(void) { SPECIALISE(currentBytecode, 144, 151); jumpBy((currentBytecode & 7) + 1); }
void shortConditionalJumpFalseBytecode(void) { SPECIALISE(currentBytecode, 152, 159); jumpIf(0, (currentBytecode & 7) + 1); }

void longUnconditionalJumpBytecode(void)
{
    SPECIALISE(currentBytecode, 160, 167);
    sqInt offset = ((currentBytecode & 7) - 4) * 256 + fetchNextBytecode();
    jumpBy(offset);
}

void longJumpIfTrueBytecode(void) { SPECIALISE(currentBytecode, 168, 171); sqInt offset = (currentBytecode & 3) * 256 + fetchNextBytecode(); jumpIf(1, offset); }
void longJumpIfFalseBytecode(void) { SPECIALISE(currentBytecode, 172, 175); sqInt offset = (currentBytecode & 3) * 256 + fetchNextBytecode(); jumpIf(0, offset); }

void arithmeticSelectorBytecode(void) { SPECIALISE(currentBytecode, 176, 191); arithmeticSpecialSend(currentBytecode - 176, 0); }
void specialSelectorBytecode(void) { SPECIALISE(currentBytecode, 192, 207); commonSpecialSend(currentBytecode - 176, 0); }

/* not specialised: one copy of the inlined send path decodes the literal and argument count */
void sendLiteralSelectorBytecode(void)
{
    sqInt b = currentBytecode;
    commonSend(literal(b & 15, method), (b - 208) >> 4);
}
