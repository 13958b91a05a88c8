/* Constants of the Spur object memory, the image format, the special objects and the
 * interpreter's frame layout. Object-like macros only: the translator copies them as they are. */
#ifndef TALC_CONSTANTS_H
#define TALC_CONSTANTS_H

/* ---- image formats ---- */
#define ImageFormatSpur32 6521
#define ImageFormatSpur64 68021
#define ImageHeaderBytes32 64
#define ImageHeaderBytes64 128
#define ImageHeaderMaxBytes 128
/* header flags bit 1 (Open-Smalltalk-VM's; bit 0 is its full-screen flag): the words of each
 * BoxedFloat64 are in the platform's order, little-endian here; clear, the image's are swapped */
#define ImageFlagFloatsInPlatformOrder 2
#define BoxedFloatClassIndex 34

/* ---- memory layout ---- */
#define MaxSegments 64
#define StackPageBytesDefault 8192
#define NumStackPagesDefault 32
#define StackPageHeadroomBytes 512
#define NewSpaceBytesDefault (12 * 1024 * 1024)
#define EdenReserveBytes (1024 * 1024)
#define RememberedSetSlots 65536
#define LargeObjectBytes (64 * 1024)
#define FullGCMinimumBytes (32 * 1024 * 1024)

/* root slot processing modes (processRootSlot) */
#define RootScavenge 0
#define RootMark 1
#define RootUpdate 2
#define RootVerify 3
#define RootFollow 4

/* the collections the simulator runs on a copy of the heap first (platforms/sim/gc_copy.c) */
#define GCKindScavenge 1
#define GCKindFull 2
/* old space grows and shrinks by segments (segments.c) up to --maxoldspace */
#define OldSpaceSegmentBytes (16 * 1024 * 1024)
#if TALC_WORD_BYTES == 8
#define MaxOldSpaceBytesDefault ((sqInt)8 * 1024 * 1024 * 1024)
#else
#define MaxOldSpaceBytesDefault ((sqInt)2 * 1024 * 1024 * 1024)
#endif
#define SimVirtualBase 0x10000000

/* ---- object headers (one 64-bit word, before the slots) ---- */
#define BaseHeaderSize 8
#define AllocationUnit 8
#define NumSlotsMask 255
#define NumSlotsShift 56
#define OverflowSlotsMarker 255
#define ClassIndexMask 0x3FFFFF
#define FormatShift 24
#define FormatMask 0x1F
#define HashShift 32
#define HashMask 0x3FFFFF
#define ImmutableBit (1 << 23)
#define RememberedBit (1 << 29)
#define PinnedBit (1 << 30)
#define GreyBit (((sqLong)1) << 31)
#define MarkedBit (((sqLong)1) << 55)
#define MarkedHighBit (1 << 23)   /* MarkedBit in the header's upper 32-bit half */

/* formats */
#define FormatZeroSized 0
#define FormatNonIndexable 1
#define FormatIndexable 2
#define FormatIndexableWithInstVars 3
#define FormatWeak 4
#define FormatEphemeron 5
#define FormatForwarded 7
#define FormatFirstLong 9
#define Format64Bit 9
#define Format32Bit 10
#define Format16Bit 12
#define Format8Bit 16
#define FormatCompiledMethod 24

/* class index puns (classes 0..31 are the memory manager's own) */
#define FreeChunkClassIndex 0
#define SmallIntegerClassIndex 1
#define CharacterClassIndex 2
#define SmallIntegerOddClassIndex 3
#define SmallFloatClassIndex 4
#define ForwardedClassIndex 8
#define ArrayClassIndexPun 16
#define WordSizeClassIndexPun 19
#define FirstValidClassIndex 32
#define ClassTablePageSize 1024
#define ClassTablePageShift 10
#define ClassTableRootSlots 4096
#define HiddenRootSlots 8
/* the hidden roots after the class table, as Open-Smalltalk-VM lays them out: object stacks,
 * chains of word-array pages (mourn_queue.c) */
#define MarkStackRootIndex 4096
#define WeaklingStackRootIndex 4097
#define MournQueueRootIndex 4098
#define ObjStackPageSlots 4092
#define ObjStackLimit 4088      /* entries on a page */
#define ObjStackTopx 0          /* a page's raw fields: its number of entries, */
#define ObjStackMyx 1           /* its root index, */
#define ObjStackFreex 2         /* a list of free pages (Talc keeps none), */
#define ObjStackNextx 3         /* the next (full) page or 0, */
#define ObjStackFixedSlots 4    /* then the entries */
#if TALC_WORD_BYTES == 8
#define ObjStackPageFormat 9        /* 64-bit words, class index pun 19 */
#define ObjStackPageClassIndex 19
#else
#define ObjStackPageFormat 10       /* 32-bit words, class index pun 18 */
#define ObjStackPageClassIndex 18
#endif

/* immediates: 32-bit Spur uses two tag bits, 64-bit three */
#if TALC_WORD_BYTES == 8
#define TagMask 7
#define NumTagBits 3
#define SmallIntegerBits 61
#else
#define TagMask 3
#define NumTagBits 2
#define SmallIntegerBits 31
#endif
#define SmallIntegerTag 1
#define CharacterTag 2
#define SmallFloatTag 4   /* 64-bit only */
#define SmallFloatExponentOffset 896
#define MaxSmallInteger ((((sqInt)1) << (SmallIntegerBits - 1)) - 1)
#define MinSmallInteger (-(((sqInt)1) << (SmallIntegerBits - 1)))

/* ---- special objects array ---- */
#define SpecialNil 0
#define SpecialFalse 1
#define SpecialTrue 2
#define SpecialSchedulerAssociation 3
#define SpecialClassBitmap 4
#define SpecialClassSmallInteger 5
#define SpecialClassByteString 6
#define SpecialClassArray 7
#define SpecialSmalltalkDictionary 8
#define SpecialClassFloat 9
#define SpecialClassMethodContext 10
#define SpecialClassPoint 12
#define SpecialClassLargePositiveInteger 13
#define SpecialClassMessage 15
#define SpecialTheLowSpaceSemaphore 17
#define SpecialClassSemaphore 18
#define SpecialClassCharacter 19
#define SpecialSelectorDoesNotUnderstand 20
#define SpecialSelectorCannotReturn 21
#define SpecialSelectors 23
#define SpecialSelectorMustBeBoolean 25
#define SpecialClassByteArray 26
#define SpecialClassProcess 27
#define SpecialTheTimerSemaphore 29
#define SpecialTheInterruptSemaphore 30
#define SpecialSelectorCannotInterpret 34
#define SpecialClassBlockClosure 36
#define SpecialClassFullBlockClosure 37
#define SpecialExternalObjectsArray 38
#define SpecialTheFinalizationSemaphore 41
#define SpecialClassLargeNegativeInteger 42
#define SpecialSelectorAboutToReturn 48
#define SpecialSelectorRunWithIn 49
#define SpecialSelectorAttemptToAssign 50
#define SpecialPrimErrTable 51

/* ---- instance layouts ---- */
#define ClassSuperclassIndex 0
#define ClassMethodDictIndex 1
#define ClassFormatIndex 2
#define MethodDictArrayIndex 1
#define MethodDictSelectorStart 2
#define ContextSenderIndex 0
#define ContextPCIndex 1
#define ContextSPIndex 2
#define ContextMethodIndex 3
#define ContextClosureIndex 4
#define ContextReceiverIndex 5
#define ContextTempFrameStart 6
#define SmallContextSlots 16
#define LargeContextSlots 56
#define ClosureOuterContextIndex 0
#define ClosureStartPCIndex 1
#define ClosureNumArgsIndex 2
#define ClosureFirstCopiedValueIndex 3
#define FullClosureCompiledBlockIndex 1
#define FullClosureReceiverIndex 3
#define FullClosureFirstCopiedValueIndex 4
#define SchedulerProcessListsIndex 0
#define SchedulerActiveProcessIndex 1
#define LinkFirstIndex 0
#define LinkLastIndex 1
#define LinkNextIndex 0
#define SemaphoreExcessSignalsIndex 2
#define ProcessSuspendedContextIndex 1
#define ProcessPriorityIndex 2
#define ProcessMyListIndex 3
#define AssociationValueIndex 1
#define MessageSelectorIndex 0
#define MessageArgumentsIndex 1
#define MessageLookupClassIndex 2
#define PointXIndex 0
#define PointYIndex 1
/* SmallInteger>>hashMultiply (primitive 159): Squeak's and Pharo's hash scrambling */
#define HashMultiplyConstant 1664525
#define HashMultiplyMask 0x0FFFFFFF

/* ---- compiled method header (a SmallInteger in slot 0) ---- */
#define HeaderNumLiteralsMask 0x7FFF
#define HeaderHasPrimitiveBit 0x10000
#define HeaderLargeFrameBit 0x20000
#define HeaderNumTempsShift 18
#define HeaderNumTempsMask 0x3F
#define HeaderNumArgsShift 24
#define HeaderNumArgsMask 0x0F
#define HeaderAlternateSetBit (((sqInt)1) << (SmallIntegerBits - 1))
#define LargeFrameSlots 56
#define SmallFrameSlots 16

/* ---- bytecode sets: a dispatch index is the byte plus the set's offset ---- */
#define BytecodeSetV3 0
#define BytecodeSetSistaV1 256
#define BytecodeTableSize 512

/* ---- method lookup cache ---- */
#define MethodCacheSize 1024
#define MethodCacheMask (MethodCacheSize - 1)
#define MethodCacheEntrySize 4
#define MethodCacheSelector 0
#define MethodCacheClass 1
#define MethodCacheMethod 2
#define MethodCachePrimitive 3

/* ---- stack frames (the stack grows down; offsets from the frame pointer, in words) ----
 *   receiver, args...          pushed by the caller
 *   callerSavedIP              fp + 1 word (0 in a page's base frame)
 *   callerFP                   fp         (the caller context in a page's base frame)
 *   method                     fp - 1 word
 *   flags                      fp - 2 words: numArgs | hasContext << 8 | isBlock << 16
 *   thisContext                fp - 3 words (nil until married)
 *   receiver                   fp - 4 words
 *   temporaries, then the stack
 */
#define FoxCallerSavedIP 1
#define FoxSavedFP 0
#define FoxMethod (-1)
#define FoxFrameFlags (-2)
#define FoxThisContext (-3)
#define FoxReceiver (-4)
#define FrameSlotsBelowFP 4

/* stack page descriptor, at the page's low end, in words */
#define PageBaseAddress 0
#define PageRealStackLimit 1
#define PageHeadSP 2
#define PageHeadFP 3
#define PageBaseFP 4
#define PageNextPage 5
#define PagePrevPage 6
#define PageDescriptorWords 8

/* ---- primitive failure codes (Squeak's PrimErrTable order) ---- */
#define PrimNoErr 0
#define PrimErrGenericFailure 1
#define PrimErrBadReceiver 2
#define PrimErrBadArgument 3
#define PrimErrBadIndex 4
#define PrimErrBadNumArgs 5
#define PrimErrInappropriate 6
#define PrimErrUnsupported 7
#define PrimErrNoModification 8
#define PrimErrNoMemory 9
#define PrimErrNoCMemory 10
#define PrimErrNotFound 11
#define PrimErrBadMethod 12
#define PrimErrNamedInternal 13
#define PrimErrObjectMayMove 14
#define PrimErrLimitExceeded 15
#define PrimErrObjectIsPinned 16
#define PrimErrOperationFailed 19
#define VMParameterCount 72

/* ---- image load errors (messages live in platforms/load_errors.c) ---- */
#define LoadOK 0
#define LoadErrTooSmall 1
#define LoadErrUnknownFormat 2
#define LoadErrBadHeaderSize 3
#define LoadErrSizeMismatch 4
#define LoadErrNoMemory 5
#define LoadErrReadFailed 6
#define LoadErrBadSegment 7
#define LoadErrBadObject 8
#define LoadErrBadReference 9
#define LoadErrBadClassIndex 10
#define LoadErrBadRoots 11
#define LoadErrTooManySegments 12
#define LoadErrNoActiveProcess 13
#define LoadErrWordSize 14

/* ---- fatal VM errors (messages live in platforms/vm_errors.c) ---- */
#define FatalOutOfMemory 1
#define FatalContextOverflow 2
#define FatalBadContext 3
#define FatalUnknownBytecode 4
#define FatalRecursiveNotUnderstood 5
#define FatalNoRunnableProcess 6
#define FatalBadMethod 7
#define FatalBadProcess 8
#define InterruptCheckInterval 1000

/* ---- debugging: deterministic mode, digests, crash snapshots (clock.c, safepoints.c, digest.c) ---- */
#define DeterministicClockStart 1000000000           /* the virtual monotonic clock at bytecode 0, in us */
#define DeterministicUTCStart 3881520000000000LL     /* 2024-01-01 00:00 UTC in us since 1901 */
#define DeterministicBytecodesPerMicrosecond 100
#define DeterministicSessionId 1
#define DigestSeed ((sqLong)0xCBF29CE484222325ULL)   /* FNV-1a's offset basis and prime */
#define DigestPrime 0x100000001B3ULL
#define DigestObjectSlots 64                         /* slots of one object hashed, at most */
#define CrashSnapshotAtCount 1
#define CrashSnapshotOnMethod 2
#define CrashSnapshotAssertion 3
#define CrashSnapshotNotPossible (-2)
#define SnapshotOfImage 0                            /* platformWriteImageFile's target; else a CrashSnapshot* */
/* the resume trailer after a crash snapshot's body: 64-bit words, whatever the word size */
#define ResumeTrailerMagic 0x656D75736552636CLL      /* "lcResume" */
#define ResumeTrailerWords 11
#define ResumeTrailerBytes (ResumeTrailerWords * 8)
#define CallPrimitiveBytes 3

/* ---- named primitives (ids given by platformNamedPrimitiveId) ---- */
#define NamedPrimConsoleLog 1
#define NamedPrimFileStdioHandles 2
#define NamedPrimFileWrite 3
#define NamedPrimFileFlush 4
#define NamedPrimLargeAdd 10
#define NamedPrimLargeSubtract 11
#define NamedPrimLargeMultiply 12
#define NamedPrimLargeDivide 13
#define NamedPrimLargeCompare 14
#define NamedPrimLargeNormalizePositive 15
#define NamedPrimLargeNormalizeNegative 16
#define NamedPrimLargeBitAnd 17
#define NamedPrimLargeBitOr 18
#define NamedPrimLargeBitXor 19
#define NamedPrimLargeBitShift 20
#define NamedPrimFileOpen 30
#define NamedPrimFileOpenNew 31
#define NamedPrimFileClose 32
#define NamedPrimFileRead 33
#define NamedPrimFileSize 34
#define NamedPrimFileGetPosition 35
#define NamedPrimFileSetPosition 36
#define NamedPrimFileAtEnd 37
#define NamedPrimFileTruncate 38
#define NamedPrimFileSync 39
#define NamedPrimFileDescriptorType 40
#define NamedPrimFileDelete 41
#define NamedPrimFileRename 42
#define NamedPrimDirectoryCreate 43
#define NamedPrimDirectoryDelete 44
#define NamedPrimDirectoryDelimitor 45
#define NamedPrimDirectoryLookup 46
#define NamedPrimDirectoryEntry 47
#define NamedPrimDirectoryMacTypeAndCreator 48
#define NamedPrimHasFileAccess 49
#define NamedPrimDisableFileAccess 50
#define NamedPrimStringHash 60
#define NamedPrimCompareString 61
#define NamedPrimFindSubstring 62
#define NamedPrimFindFirstInString 63
#define NamedPrimIndexOfAsciiInString 64
#define NamedPrimTranslateStringWithTable 65
#define NamedPrimConvert8BitSigned 66
#define NamedPrimObjectAddress 70
#define NamedPrimCollectorCompacts 71
#define NamedPrimSlotNamesForwarder 72
#define FileHandleBytes 8

/* ---- platform attributes (platformAttributeLength) ---- */
#define AttributeVMPath 0
#define AttributeImageName 1
#define AttributeFirstImageArgument 2

/* ---- exit codes ---- */
#define ExitVMError 70
#define ExitImageError 65
#endif
