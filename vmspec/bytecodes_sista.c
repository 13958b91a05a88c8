/* The Sista V1 bytecode set (a method header's set sign bit), dispatch indices 256..511, as
 * Open-Smalltalk-VM defines it (VMMaker's initializeBytecodeTableForSistaV1, the EncoderForSistaV1
 * class comment). Prefixes 0xE0 (extA) and 0xE1 (extB) accumulate into extA/extB; the bytecode they
 * extend takes them with takeExtA/takeExtB, which also clear them. extB's first byte is signed. */
#include "internal.h"

/* ---- extensions ---- */
sqInt takeExtA(void)
{
    INLINE(always);
    sqInt a = extA;
    extA = 0;
    return a;
}

sqInt takeExtB(void)
{
    INLINE(always);
    sqInt b = extB;
    extB = 0;
    numExtB = 0;
    return b;
}

/* 0xE0: extA := extA * 256 + byte */
void sistaExtABytecode(void)
{
    sqInt b = fetchNextBytecode();
    extA = extA * 256 + b;
}

/* 0xE1: extB := extB * 256 + byte, the first byte of a run taken as signed */
void sistaExtBBytecode(void)
{
    sqInt b = fetchNextBytecode();
    if (numExtB == 0 && b > 127) extB = b - 256;
    else extB = extB * 256 + b;
    numExtB += 1;
}

/* ---- 1-byte bytecodes ---- */
void sistaPushReceiverVariableBytecode(void) { SPECIALISE(currentBytecode, 256, 271); push(receiverVariable(currentBytecode & 15)); }
void sistaPushLiteralVariableBytecode(void) { SPECIALISE(currentBytecode, 272, 287); push(literalVariableValue(currentBytecode & 15)); }
void sistaPushLiteralConstantBytecode(void) { SPECIALISE(currentBytecode, 288, 319); push(literal(currentBytecode & 31, method)); }
void sistaPushTemporaryVariableBytecode(void) { SPECIALISE(currentBytecode, 320, 331); push(temporary(currentBytecode - 256 - 0x40, framePointer)); }
void sistaPushZeroBytecode(void) { push(integerObjectOf(0)); }
void sistaPushOneBytecode(void) { push(integerObjectOf(1)); }

/* 0x52: thisContext, or with extB = 1 the active process */
void sistaPushPseudoVariableBytecode(void)
{
    sqInt b = takeExtB();
    if (b == 0) push(ensureFrameIsMarried(framePointer));
    else if (b == 1) push(activeProcess());
    else unknownBytecode();
}

/* 0x5D, 0x5E: local returns from a block to its caller */
void sistaReturnNilFromBlockBytecode(void) { returnFromFrame(nilObj); }

void sistaReturnTopFromBlockBytecode(void)
{
    if (takeExtA() != 0) unknownBytecode();
    else returnFromFrame(pop());
}

/* 0x5F: no-op; also drops any stray extension */
void sistaNopBytecode(void)
{
    extA = 0;
    takeExtB();
}

/* 0x60-0x6F: special selectors 0-15 */
void sistaArithmeticSelectorBytecode(void) { SPECIALISE(currentBytecode, 352, 367); arithmeticSpecialSend(currentBytecode - 256 - 0x60, 1); }

/* 0x70-0x7F: special selectors 16-31; 0x78 is ~~ answered inline, as == is */
void sistaSpecialSelectorBytecode(void)
{
    SPECIALISE(currentBytecode, 368, 383);
    sqInt i = currentBytecode - 256 - 0x60;
    if (i == 24) {
        pushBooleanOrJump(!identicalOops(stackValue(1), stackValue(0)), 1);
        return;
    }
    commonSpecialSend(i, 1);
}

/* 0x80-0xAF: literal selector 0-15 with 0, 1 or 2 arguments */
void sistaSendLiteralSelectorBytecode(void)
{
    sqInt b = currentBytecode - 256 - 0x80;
    commonSend(literal(b & 15, method), b >> 4);
}

void sistaShortJumpBytecode(void) { SPECIALISE(currentBytecode, 432, 439); jumpBy((currentBytecode & 7) + 1); }
void sistaShortJumpIfTrueBytecode(void) { SPECIALISE(currentBytecode, 440, 447); jumpIf(1, (currentBytecode & 7) + 1); }
void sistaShortJumpIfFalseBytecode(void) { SPECIALISE(currentBytecode, 448, 455); jumpIf(0, (currentBytecode & 7) + 1); }
void sistaPopIntoReceiverVariableBytecode(void) { SPECIALISE(currentBytecode, 456, 463); receiverVariablePut(currentBytecode & 7, pop()); }
void sistaPopIntoTemporaryVariableBytecode(void) { SPECIALISE(currentBytecode, 464, 471); temporaryPut(currentBytecode & 7, framePointer, pop()); }

/* ---- 2-byte bytecodes ---- */
void sistaExtPushReceiverVariableBytecode(void)
{
    sqInt i = fetchNextBytecode() + takeExtA() * 256;
    push(receiverVariable(i));
}

void sistaExtPushLiteralVariableBytecode(void)
{
    sqInt i = fetchNextBytecode() + takeExtA() * 256;
    push(literalVariableValue(i));
}

void sistaExtPushLiteralConstantBytecode(void)
{
    sqInt i = fetchNextBytecode() + takeExtA() * 256;
    push(literal(i, method));
}

void sistaLongPushTemporaryVariableBytecode(void) { push(temporary(fetchNextBytecode(), framePointer)); }

void sistaPushNewArrayBytecode(void)
{
    sqInt b = fetchNextBytecode();
    pushNewArray(b & 127, b >> 7);
}

void sistaExtPushIntegerBytecode(void)
{
    sqInt v = fetchNextBytecode() + takeExtB() * 256;
    push(integerObjectOf(v));
}

void sistaExtPushCharacterBytecode(void)
{
    sqInt v = fetchNextBytecode() + takeExtB() * 256;
    push(characterObjectOf(v));
}

/* 0xEA: selector iiiii (+ extA * 32), jjj (+ extB * 8) arguments */
void sistaExtSendBytecode(void)
{
    sqInt b = fetchNextBytecode(), i = (b >> 3) + takeExtA() * 32, n = (b & 7) + takeExtB() * 8;
    commonSend(literal(i, method), n);
}

/* 0xEB: a super send, or with extB >= 64 a directed super send to the class on the stack */
void sistaExtSendSuperBytecode(void)
{
    sqInt b = fetchNextBytecode(), i = (b >> 3) + takeExtA() * 32, e = takeExtB();
    if (e >= 64) directedSuperSendSelector(literal(i, method), (b & 7) + (e & 63) * 8);
    else superSendSelector(literal(i, method), (b & 7) + e * 8);
}

void sistaExtJumpBytecode(void)
{
    sqInt offset = fetchNextBytecode() + takeExtB() * 256;
    jumpBy(offset);
}

void sistaExtJumpIfTrueBytecode(void)
{
    sqInt offset = fetchNextBytecode() + takeExtB() * 256;
    jumpIf(1, offset);
}

void sistaExtJumpIfFalseBytecode(void)
{
    sqInt offset = fetchNextBytecode() + takeExtB() * 256;
    jumpIf(0, offset);
}

void sistaExtPopIntoReceiverVariableBytecode(void)
{
    sqInt i = fetchNextBytecode() + takeExtA() * 256;
    receiverVariablePut(i, pop());
}

void sistaExtPopIntoLiteralVariableBytecode(void)
{
    sqInt i = fetchNextBytecode() + takeExtA() * 256;
    literalVariablePut(i, pop());
}

void sistaLongPopIntoTemporaryVariableBytecode(void) { temporaryPut(fetchNextBytecode(), framePointer, pop()); }

void sistaExtStoreReceiverVariableBytecode(void)
{
    sqInt i = fetchNextBytecode() + takeExtA() * 256;
    receiverVariablePut(i, stackTop());
}

void sistaExtStoreLiteralVariableBytecode(void)
{
    sqInt i = fetchNextBytecode() + takeExtA() * 256;
    literalVariablePut(i, stackTop());
}

void sistaLongStoreTemporaryVariableBytecode(void) { temporaryPut(fetchNextBytecode(), framePointer, stackTop()); }

/* ---- 3-byte bytecodes ---- */

/* 0xF8: reached only when a method's primitive failed and its body runs from the first byte;
 * an inlined primitive (the top bit of the third byte, Sista's optimiser) is not supported */
void sistaCallPrimitiveBytecode(void)
{
    sqInt high;
    instructionPointer += 1;
    high = fetchNextBytecode();
    if (high > 127) unknownBytecode();
}

/* 0xF9: a FullBlockClosure over literal xxxxxxxx (+ extA * 256); second byte siyyyyyy:
 * s the receiver is on the stack, i the outer context is nil, yyyyyy copied values */
void sistaPushFullClosureBytecode(void)
{
    sqInt i = fetchNextBytecode() + takeExtA() * 256, b = fetchNextBytecode();
    pushFullClosure(literal(i, method), b & 63, (b >> 7) & 1, (b >> 6) & 1);
}

/* 0xFA: an embedded BlockClosure; eeiiikkk jjjjjjjj: iii copied (+ extA // 16 * 8),
 * kkk arguments (+ extA \\ 16 * 8), block size jjjjjjjj (+ extB * 256) */
void sistaPushClosureBytecode(void)
{
    sqInt b = fetchNextBytecode(), size = fetchNextBytecode(), a = takeExtA();
    size += takeExtB() * 256;
    pushClosure((b & 7) + (a & 15) * 8, ((b >> 3) & 7) + (a >> 4) * 8, size);
}

/* 0xFB-0xFD: slot kkkkkkkk of the temp vector in temp jjjjjjj; with s set (sjjjjjjj), inst var
 * kkkkkkkk (+ extA * 256) of the object in temp jjjjjjj */
sqInt sistaRemoteObject(sqInt j)
{
    INLINE(always);
    sqInt obj = temporary(j & 127, framePointer);
    return obj;
}

sqInt sistaRemoteIndex(sqInt k, sqInt j)
{
    INLINE(always);
    if (j > 127) return k + takeExtA() * 256;
    return k;
}

void sistaPushRemoteTempBytecode(void)
{
    sqInt k = fetchNextBytecode(), j = fetchNextBytecode(); sqInt i = sistaRemoteIndex(k, j), obj = sistaRemoteObject(j);
    push(isContext(obj) ? fetchContextSlot(i, obj) : fetchPointer(i, obj));
}

void sistaStoreRemoteTempInto(sqInt value)
{
    sqInt k = fetchNextBytecode(), j = fetchNextBytecode(); sqInt i = sistaRemoteIndex(k, j), obj = sistaRemoteObject(j);
    if (isContext(obj)) storeContextSlot(i, obj, value);
    else storePointer(i, obj, value);
}

void sistaStoreRemoteTempBytecode(void) { sistaStoreRemoteTempInto(stackTop()); }
void sistaPopIntoRemoteTempBytecode(void) { sistaStoreRemoteTempInto(pop()); }
