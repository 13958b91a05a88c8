/* The bytecode dispatch table: X(first, last, routine) over dispatch indices 0..511, a byte
 * plus its set's offset (V3PlusClosures at 0, Sista V1 at 256). The simulator builds a table
 * of routines from it; the translator turns each entry into a label of interpret(). */
#ifndef TALC_BYTECODES_H
#define TALC_BYTECODES_H

#define BYTECODE_TABLE(X) \
    X(0, 15, pushReceiverVariableBytecode) \
    X(16, 31, pushTemporaryVariableBytecode) \
    X(32, 63, pushLiteralConstantBytecode) \
    X(64, 95, pushLiteralVariableBytecode) \
    X(96, 103, storeAndPopReceiverVariableBytecode) \
    X(104, 111, storeAndPopTemporaryVariableBytecode) \
    X(112, 112, pushReceiverBytecode) \
    X(113, 113, pushConstantTrueBytecode) \
    X(114, 114, pushConstantFalseBytecode) \
    X(115, 115, pushConstantNilBytecode) \
    X(116, 119, pushConstantIntegerBytecode) \
    X(120, 120, returnReceiverBytecode) \
    X(121, 121, returnTrueBytecode) \
    X(122, 122, returnFalseBytecode) \
    X(123, 123, returnNilBytecode) \
    X(124, 124, returnTopFromMethodBytecode) \
    X(125, 125, returnTopFromBlockBytecode) \
    X(126, 127, unknownBytecode) \
    X(128, 128, extendedPushBytecode) \
    X(129, 129, extendedStoreBytecode) \
    X(130, 130, extendedStoreAndPopBytecode) \
    X(131, 131, singleExtendedSendBytecode) \
    X(132, 132, doubleExtendedDoAnythingBytecode) \
    X(133, 133, singleExtendedSuperBytecode) \
    X(134, 134, secondExtendedSendBytecode) \
    X(135, 135, popStackBytecode) \
    X(136, 136, duplicateTopBytecode) \
    X(137, 137, pushActiveContextBytecode) \
    X(138, 138, pushNewArrayBytecode) \
    X(139, 139, callPrimitiveBytecode) \
    X(140, 140, pushRemoteTempLongBytecode) \
    X(141, 141, storeRemoteTempLongBytecode) \
    X(142, 142, storeAndPopRemoteTempLongBytecode) \
    X(143, 143, pushClosureCopyCopiedValuesBytecode) \
    X(144, 151, shortUnconditionalJumpBytecode) \
    X(152, 159, shortConditionalJumpFalseBytecode) \
    X(160, 167, longUnconditionalJumpBytecode) \
    X(168, 171, longJumpIfTrueBytecode) \
    X(172, 175, longJumpIfFalseBytecode) \
    X(176, 191, arithmeticSelectorBytecode) \
    X(192, 207, specialSelectorBytecode) \
    X(208, 255, sendLiteralSelectorBytecode) \
    /* Sista V1 (a method header's sign bit set), offset 256 */ \
    X(256, 511, unknownBytecode)

#endif
