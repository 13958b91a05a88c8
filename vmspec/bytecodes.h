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
    /* Sista V1 (a method header's sign bit set), offset 256: bytecodes_sista.c */ \
    X(256, 271, sistaPushReceiverVariableBytecode) \
    X(272, 287, sistaPushLiteralVariableBytecode) \
    X(288, 319, sistaPushLiteralConstantBytecode) \
    X(320, 331, sistaPushTemporaryVariableBytecode) \
    X(332, 332, pushReceiverBytecode) \
    X(333, 333, pushConstantTrueBytecode) \
    X(334, 334, pushConstantFalseBytecode) \
    X(335, 335, pushConstantNilBytecode) \
    X(336, 336, sistaPushZeroBytecode) \
    X(337, 337, sistaPushOneBytecode) \
    X(338, 338, sistaPushPseudoVariableBytecode) \
    X(339, 339, duplicateTopBytecode) \
    X(340, 343, unknownBytecode) \
    X(344, 344, returnReceiverBytecode) \
    X(345, 345, returnTrueBytecode) \
    X(346, 346, returnFalseBytecode) \
    X(347, 347, returnNilBytecode) \
    X(348, 348, returnTopFromMethodBytecode) \
    X(349, 349, sistaReturnNilFromBlockBytecode) \
    X(350, 350, sistaReturnTopFromBlockBytecode) \
    X(351, 351, sistaNopBytecode) \
    X(352, 367, sistaArithmeticSelectorBytecode) \
    X(368, 383, sistaSpecialSelectorBytecode) \
    X(384, 431, sistaSendLiteralSelectorBytecode) \
    X(432, 439, sistaShortJumpBytecode) \
    X(440, 447, sistaShortJumpIfTrueBytecode) \
    X(448, 455, sistaShortJumpIfFalseBytecode) \
    X(456, 463, sistaPopIntoReceiverVariableBytecode) \
    X(464, 471, sistaPopIntoTemporaryVariableBytecode) \
    X(472, 472, popStackBytecode) \
    X(473, 479, unknownBytecode) \
    X(480, 480, sistaExtABytecode) \
    X(481, 481, sistaExtBBytecode) \
    X(482, 482, sistaExtPushReceiverVariableBytecode) \
    X(483, 483, sistaExtPushLiteralVariableBytecode) \
    X(484, 484, sistaExtPushLiteralConstantBytecode) \
    X(485, 485, sistaLongPushTemporaryVariableBytecode) \
    X(486, 486, unknownBytecode) \
    X(487, 487, sistaPushNewArrayBytecode) \
    X(488, 488, sistaExtPushIntegerBytecode) \
    X(489, 489, sistaExtPushCharacterBytecode) \
    X(490, 490, sistaExtSendBytecode) \
    X(491, 491, sistaExtSendSuperBytecode) \
    X(492, 492, unknownBytecode) \
    X(493, 493, sistaExtJumpBytecode) \
    X(494, 494, sistaExtJumpIfTrueBytecode) \
    X(495, 495, sistaExtJumpIfFalseBytecode) \
    X(496, 496, sistaExtPopIntoReceiverVariableBytecode) \
    X(497, 497, sistaExtPopIntoLiteralVariableBytecode) \
    X(498, 498, sistaLongPopIntoTemporaryVariableBytecode) \
    X(499, 499, sistaExtStoreReceiverVariableBytecode) \
    X(500, 500, sistaExtStoreLiteralVariableBytecode) \
    X(501, 501, sistaLongStoreTemporaryVariableBytecode) \
    X(502, 503, unknownBytecode) \
    X(504, 504, sistaCallPrimitiveBytecode) \
    X(505, 505, sistaPushFullClosureBytecode) \
    X(506, 506, sistaPushClosureBytecode) \
    X(507, 507, sistaPushRemoteTempBytecode) \
    X(508, 508, sistaStoreRemoteTempBytecode) \
    X(509, 509, sistaPopIntoRemoteTempBytecode) \
    X(510, 511, unknownBytecode)

#endif
