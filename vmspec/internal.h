/* Prototypes of every spec function, by file. */
#ifndef TALC_INTERNAL_H
#define TALC_INTERNAL_H

#include "talc.h"
#include "constants.h"
#include "vmstate.h"
#include "vm.h"
#include "bytecodes.h"
#include "variants.h"
#include "platform.h"


/* bytecode_support.c */
sqInt receiver(void);
sqInt booleanObjectOf(sqInt b);
sqInt receiverVariable(sqInt i);
void receiverVariablePut(sqInt i, sqInt value);
sqInt literalVariable(sqInt i);
sqInt literalVariableValue(sqInt i);
sqInt identicalOops(sqInt a, sqInt b);
void literalVariablePut(sqInt i, sqInt value);
sqLong integerOperation(sqInt prim, sqLong a, sqLong b);
sqInt smallIntegerOp(sqInt prim, sqInt rcvr, sqInt arg);
sqInt primitiveForArithmeticSelector(sqInt i);
sqInt specialSelector(sqInt i);
sqInt specialSelectorNumArgs(sqInt i);
void sendSpecialSelector(sqInt i);
sqInt areIntegers(sqInt a, sqInt b);
sqInt integerAdd(sqInt a, sqInt b);
sqInt integerSubtract(sqInt a, sqInt b);
sqInt integerCompare(sqInt i, sqInt a, sqInt b);
void pushBooleanOrJump(sqInt result, sqInt sista);
void arithmeticSpecialSend(sqInt i, sqInt sista);
void arithmeticSpecialSendSlow(sqInt i);
sqInt cachedPrimitiveOf(sqInt i, sqInt tag);
sqInt arrayAtOrPut(sqInt i);
void commonSpecialSend(sqInt i, sqInt sista);
void jumpBy(sqInt offset);
void sendMustBeBoolean(sqInt value);
void jumpIf(sqInt condition, sqInt offset);
void pushNewArray(sqInt size, sqInt popIntoArray);
void pushClosure(sqInt numArgs, sqInt numCopied, sqInt blockSize);
void pushFullClosure(sqInt compiledBlock, sqInt numCopied, sqInt receiverIsOnStack, sqInt outerIsNil);
void unknownBytecode(void);

/* bytecodes_v3.c */
void pushReceiverVariableBytecode(void);
void pushTemporaryVariableBytecode(void);
void pushLiteralConstantBytecode(void);
void pushLiteralVariableBytecode(void);
void storeAndPopReceiverVariableBytecode(void);
void storeAndPopTemporaryVariableBytecode(void);
void pushReceiverBytecode(void);
void pushConstantTrueBytecode(void);
void pushConstantFalseBytecode(void);
void pushConstantNilBytecode(void);
void pushConstantIntegerBytecode(void);
void returnReceiverBytecode(void);
void returnTrueBytecode(void);
void returnFalseBytecode(void);
void returnNilBytecode(void);
void returnTopFromMethodBytecode(void);
void returnTopFromBlockBytecode(void);
void extendedPushBytecode(void);
void extendedStoreInto(sqInt b, sqInt value);
void extendedStoreBytecode(void);
void extendedStoreAndPopBytecode(void);
void singleExtendedSendBytecode(void);
void doubleExtendedDoAnythingBytecode(void);
void singleExtendedSuperBytecode(void);
void secondExtendedSendBytecode(void);
void popStackBytecode(void);
void duplicateTopBytecode(void);
void pushActiveContextBytecode(void);
void pushNewArrayBytecode(void);
void callPrimitiveBytecode(void);
void pushRemoteTempLongBytecode(void);
void storeRemoteTempLongBytecode(void);
void storeAndPopRemoteTempLongBytecode(void);
void pushClosureCopyCopiedValuesBytecode(void);
void shortUnconditionalJumpBytecode(void);
void shortConditionalJumpFalseBytecode(void);
void longUnconditionalJumpBytecode(void);
void longJumpIfTrueBytecode(void);
void longJumpIfFalseBytecode(void);
void arithmeticSelectorBytecode(void);
void specialSelectorBytecode(void);
void sendLiteralSelectorBytecode(void);

/* bytecodes_sista.c */
sqInt takeExtA(void);
sqInt takeExtB(void);
void sistaExtABytecode(void);
void sistaExtBBytecode(void);
void sistaPushReceiverVariableBytecode(void);
void sistaPushLiteralVariableBytecode(void);
void sistaPushLiteralConstantBytecode(void);
void sistaPushTemporaryVariableBytecode(void);
void sistaPushZeroBytecode(void);
void sistaPushOneBytecode(void);
void sistaPushPseudoVariableBytecode(void);
void sistaReturnNilFromBlockBytecode(void);
void sistaReturnTopFromBlockBytecode(void);
void sistaNopBytecode(void);
void sistaArithmeticSelectorBytecode(void);
void sistaSpecialSelectorBytecode(void);
void sistaSendLiteralSelectorBytecode(void);
void sistaShortJumpBytecode(void);
void sistaShortJumpIfTrueBytecode(void);
void sistaShortJumpIfFalseBytecode(void);
void sistaPopIntoReceiverVariableBytecode(void);
void sistaPopIntoTemporaryVariableBytecode(void);
void sistaExtPushReceiverVariableBytecode(void);
void sistaExtPushLiteralVariableBytecode(void);
void sistaExtPushLiteralConstantBytecode(void);
void sistaLongPushTemporaryVariableBytecode(void);
void sistaPushNewArrayBytecode(void);
void sistaExtPushIntegerBytecode(void);
void sistaExtPushCharacterBytecode(void);
void sistaExtSendBytecode(void);
void sistaExtSendSuperBytecode(void);
void sistaExtJumpBytecode(void);
void sistaExtJumpIfTrueBytecode(void);
void sistaExtJumpIfFalseBytecode(void);
void sistaExtPopIntoReceiverVariableBytecode(void);
void sistaExtPopIntoLiteralVariableBytecode(void);
void sistaLongPopIntoTemporaryVariableBytecode(void);
void sistaExtStoreReceiverVariableBytecode(void);
void sistaExtStoreLiteralVariableBytecode(void);
void sistaLongStoreTemporaryVariableBytecode(void);
void sistaCallPrimitiveBytecode(void);
void sistaPushFullClosureBytecode(void);
void sistaPushClosureBytecode(void);
sqInt sistaRemoteObject(sqInt j);
sqInt sistaRemoteIndex(sqInt k, sqInt j);
void sistaPushRemoteTempBytecode(void);
void sistaStoreRemoteTempInto(sqInt value);
void sistaStoreRemoteTempBytecode(void);
void sistaPopIntoRemoteTempBytecode(void);

/* image_load.c */
sqInt loadFailed(sqInt code, sqInt a, sqInt b);
sqInt headerWordAt(sqInt header, sqInt off);
sqInt fileOffsetOf(sqInt address);
sqInt bitmapBase(void);
void markObjectStart(sqInt oop);
sqInt isObjectStart(sqInt oop);
sqInt segmentBridgeOf(sqInt s);
sqInt readSegments(sqInt dataSize, sqInt firstSegmentSize);
sqInt relocatedOop(sqInt oldOop);
sqInt isValidImmediate(sqInt oop);
sqInt numPointerSlotsOf(sqInt oop);
sqInt scanHeaders(void);
sqInt relocateReferences(void);
sqInt checkClassTable(void);
void convertFloatsToPlatformOrder(void);
sqInt followLoadedForwarders(sqInt oop);
sqInt resolveForwardersAndClasses(void);
sqInt locateHiddenObjects(void);
sqInt checkSpecialObjects(sqInt specialsOldOop);

/* interpreter.c */
sqInt methodNumArgs(sqInt m);
sqInt methodNumTemps(sqInt m);
sqInt methodNumLiterals(sqInt m);
sqInt methodUsesAlternateSet(sqInt m);
sqInt firstBytecodeAddress(sqInt m);
sqInt literal(sqInt i, sqInt m);
sqInt methodPrimitiveIndex(sqInt m);
void setBytecodeSetFor(sqInt m);
sqInt fetchNextBytecode(void);
sqInt lookupInMethodDictionary(sqInt selector, sqInt dict);
sqInt lookupInMethodDictionaryLinear(sqInt selector, sqInt dict);
sqInt lookupInMethodDictionaryHashed(sqInt selector, sqInt dict);
sqInt methodDictionaryValueAt(sqInt i, sqInt dict);
sqInt lookupMethodInClass(sqInt selector, sqInt cls);
void flushMethodCache(void);
sqInt methodCacheProbe(sqInt selector, sqInt classTag);
void createActualMessage(sqInt lookupClass);
void findNewMethodInClass(sqInt cls);
void commonSend(sqInt selector, sqInt numArgs);
void lookupAndExecute(sqInt selector, sqInt tag, sqInt probe);
void activateAfterPrimitiveFailure(void);
void sendSelector(sqInt selector, sqInt numArgs);
sqInt methodClassOf(sqInt m);
sqInt superclassForLookup(sqInt cls);
void superSendSelector(sqInt selector, sqInt numArgs);
void directedSuperSendSelector(sqInt selector, sqInt numArgs);
sqInt primitiveErrorObject(sqInt code);
void executeNewMethod(void);
void pushFrameHeader(sqInt aMethod, sqInt numArgs, sqInt numTemps, sqInt isBlock, sqInt rcvr);
void activateMethod(sqInt m, sqInt numArgs, sqInt afterPrimitive);
void activateNewMethod(void);
void primitiveFailedInto(sqInt header);
sqInt moveArgumentsToNewPage(sqInt numArgs);
void returnFromFrame(sqInt value);
void baseFrameReturn(sqInt value);
void sendCannotReturn(sqInt value);
sqInt isUnwindMarkedMethod(sqInt m);
sqInt homeContextOfClosure(sqInt closure);
sqInt findTargetOrUnwind(sqInt target);
void returnToContext(sqInt target, sqInt value);
void nonLocalReturn(sqInt value);
void methodReturnValue(sqInt value);
void activateClosure(sqInt closure, sqInt numArgs, sqInt full, sqInt mayContextSwitch);
void initializeInterpreter(void);
void vmFatal(sqInt code);

/* objmem.c */
sqInt isImmediate(sqInt oop);
sqInt isIntegerObject(sqInt oop);
sqInt isCharacterObject(sqInt oop);
sqInt isNonImmediate(sqInt oop);
sqInt integerValueOf(sqInt oop);
sqInt integerObjectOf(sqInt value);
sqInt isIntegerValue(sqInt value);
sqInt characterValueOf(sqInt oop);
sqInt characterObjectOf(sqInt value);
sqLong headerOf(sqInt oop);
sqInt classIndexOf(sqInt oop);
sqInt formatOf(sqInt oop);
sqInt rawNumSlotsOf(sqInt oop);
sqInt rawHashOf(sqInt oop);
sqInt numSlotsOf(sqInt oop);
void setRawHash(sqInt oop, sqInt hash);
sqInt isForwarded(sqInt oop);
sqInt isPinnedOop(sqInt oop);
void setPinnedOop(sqInt oop, sqInt pinned);
sqInt followForwarded(sqInt oop);
sqInt bytesInObject(sqInt oop);
sqInt objectAfter(sqInt oop);
sqInt objectStartingAt(sqInt address);
sqInt fetchPointer(sqInt index, sqInt oop);
void storePointer(sqInt index, sqInt oop, sqInt value);
sqInt fetchInteger(sqInt index, sqInt oop);
void storeInteger(sqInt index, sqInt oop, sqInt value);
sqInt fetchByte(sqInt index, sqInt oop);
void storeByte(sqInt index, sqInt oop, sqInt value);
sqInt fetchShort16(sqInt index, sqInt oop);
void storeShort16(sqInt index, sqInt oop, sqInt value);
sqInt fetchLong32(sqInt index, sqInt oop);
void storeLong32(sqInt index, sqInt oop, sqInt value);
sqLong fetchLong64(sqInt index, sqInt oop);
void storeLong64(sqInt index, sqInt oop, sqLong value);
sqInt firstFieldAddress(sqInt oop);
sqInt isPointersFormat(sqInt fmt);
sqInt isPointersNonImm(sqInt oop);
sqInt isBytesFormat(sqInt fmt);
sqInt isCompiledMethodFormat(sqInt fmt);
sqInt isCompiledMethod(sqInt oop);
sqInt isWordsFormat(sqInt fmt);
sqInt numBytesOf(sqInt oop);
sqInt lengthOf(sqInt oop);
sqInt classAtIndex(sqInt classIndex);
void setClassAtIndex(sqInt classIndex, sqInt classOop);
sqInt classTagOf(sqInt oop);
sqInt fetchClassOf(sqInt oop);
sqInt splObj(sqInt index);
sqInt instSpecOfClass(sqInt classOop);
sqInt fixedFieldsOfClass(sqInt classOop);
sqInt classIndexOfClass(sqInt classOop);
sqInt isInstanceOfClassIndex(sqInt oop, sqInt classIndex);
sqInt isContext(sqInt oop);
sqInt newHash(void);
sqInt identityHashOf(sqInt oop);
sqInt allocateSlots(sqInt numSlots, sqInt format, sqInt classIndex);
sqInt instantiateClass(sqInt classOop, sqInt n);
sqInt isIndexableFormat(sqInt fmt);
sqInt fixedFieldsOf(sqInt oop);
sqInt cloneObject(sqInt oop);

/* plugins.c */
sqInt isStringLike(sqInt oop);
void primitiveExternalCall(void);
void primitiveConsoleLog(void);

/* primitives.c */
void primitiveFailFor(sqInt code);
void primitiveFail(void);
sqInt signed64BitIntegerFor(sqLong value);
sqLong signed64BitValueOf(sqInt oop);
sqInt indexableSizeOf(sqInt oop);
sqInt fetchElement(sqInt oop, sqInt index);
void storeElement(sqInt oop, sqInt index, sqInt value);
sqInt isIndexableNonContext(sqInt oop);
void primitiveAt(void);
void primitiveAtPut(void);
void primitiveSize(void);
sqInt isByteObject(sqInt oop);
void primitiveStringAt(void);
void primitiveStringAtPut(void);
void primitiveNextPut(void);
void primitiveNext(void);
void primitiveAtEnd(void);
void primitiveObjectAt(void);
void primitiveObjectAtPut(void);
void primitiveNew(void);
void primitiveNewWithArg(void);
void primitiveNewMethod(void);
void primitiveInstVarAt(void);
void primitiveInstVarAtPut(void);
void primitiveReplaceFromToWithStartingAt(void);
void primitiveConstantFill(void);
void primitiveShallowCopy(void);
sqInt contextIndexableSize(sqInt ctx);
void primitiveContextAt(void);
void primitiveContextAtPut(void);
void primitiveStoreStackp(void);
void primitiveContextSize(void);
void primitivePerform(void);
void primitivePerformWithArgs(sqInt superLookup);
sqInt isClosureOfArity(sqInt closure, sqInt n);
sqInt isRunnableClosure(sqInt closure, sqInt full);
void primitiveClosureValue(sqInt full, sqInt mayContextSwitch);
void primitiveClosureValueWithArgs(sqInt full);
void primitiveQuit(void);
void quickPrimitive(sqInt index);
void primitiveMakePoint(void);
void primitiveHashMultiply(void);
void primitiveSmallIntegerOp(sqInt index);
void primitiveAsCharacter(void);
void primitiveImmediateAsInteger(void);
void primitiveIdentityHash(void);
void dispatchPrimitive(sqInt index);

/* primitives_process.c */
sqInt isSemaphoreLike(sqInt oop);
sqInt isProcessLike(sqInt oop);
void primitiveSignal(void);
void primitiveWait(void);
void primitiveResume(void);
void primitiveSuspend(void);
void primitiveYield(void);
void primitiveRelinquishProcessor(void);
void primitiveMillisecondClock(void);
void pushClockValue(sqLong usecs);
void primitiveUTCMicrosecondClock(void);
void primitiveLocalMicrosecondClock(void);
void setTimerSemaphore(sqInt sema, sqInt wakeup);
void primitiveSignalAtMilliseconds(void);
void primitiveSignalAtUTCMicroseconds(void);

/* processes.c */
sqInt schedulerPointer(void);
sqInt activeProcess(void);
sqInt priorityOf(sqInt proc);
sqInt isEmptyList(sqInt list);
void addLastLinkToList(sqInt proc, sqInt list);
void addFirstLinkToList(sqInt proc, sqInt list);
sqInt removeFirstLinkOfList(sqInt list);
sqInt removeProcessFromList(sqInt proc, sqInt list);
sqInt processListFor(sqInt priority);
void putToSleep(sqInt proc, sqInt atFront);
sqInt wakeHighestPriority(void);
void transferTo(sqInt newProc);
void resumeProcess(sqInt proc);
void transferToHighestPriority(void);
void signalSemaphoreWithoutSwitch(sqInt sema);
void synchronousSignal(sqInt sema);
void waitOnSemaphore(sqInt sema);
void yieldProcess(void);
void checkForInterrupts(void);
void serviceInterrupts(void);
void forceInterruptCheck(void);
void interruptCheckDue(void);
void collectIfAsked(void);
void checkForInterruptsNoSwitch(void);

/* stack.c */
void push(sqInt value);
sqInt pop(void);
void popN(sqInt n);
sqInt stackTop(void);
sqInt stackValue(sqInt n);
void stackValuePut(sqInt n, sqInt value);
void popThenPush(sqInt n, sqInt value);
sqInt frameCallerFP(sqInt fp);
sqInt frameCallerSavedIP(sqInt fp);
sqInt frameCallerContext(sqInt fp);
sqInt isBaseFrame(sqInt fp);
sqInt frameMethod(sqInt fp);
sqInt frameFlags(sqInt fp);
sqInt frameNumArgs(sqInt fp);
sqInt frameHasContext(sqInt fp);
sqInt frameIsBlock(sqInt fp);
sqInt frameContext(sqInt fp);
sqInt frameReceiver(sqInt fp);
sqInt makeFrameFlags(sqInt numArgs, sqInt hasContext, sqInt isBlock);
sqInt frameStackedReceiver(sqInt fp);
sqInt frameTempAddress(sqInt fp, sqInt i);
sqInt temporary(sqInt i, sqInt fp);
void temporaryPut(sqInt i, sqInt fp, sqInt value);
sqInt pageField(sqInt page, sqInt field);
void pageFieldPut(sqInt page, sqInt field, sqInt value);
sqInt pageAtIndex(sqInt i);
sqInt isFreePage(sqInt page);
sqInt pageForAddress(sqInt address);
sqInt isStackAddress(sqInt address);
void initializeStackPages(void);
void markPageMostRecentlyUsed(sqInt page);
void freeStackPage(sqInt page);
sqInt newStackPage(void);
void writeBackActivePage(void);
void resumePage(sqInt page);
sqInt calleeOfFrame(sqInt fp);
sqInt frameIP(sqInt fp);
sqInt frameSP(sqInt fp);
sqInt frameStackp(sqInt fp, sqInt sp);
sqInt isMarriedContext(sqInt ctx);
sqInt frameOfMarriedContext(sqInt ctx);
sqInt isDeadContext(sqInt ctx);
sqInt methodHeaderOf(sqInt aMethod);
sqInt contextSlotsForMethod(sqInt aMethod);
sqInt ensureFrameIsMarried(sqInt fp);
void killContextOfFrame(sqInt fp);
void killContext(sqInt ctx);
sqInt encodePC(sqInt ip, sqInt aMethod);
void divorceFrame(sqInt fp, sqInt sp, sqInt ip, sqInt senderCtx);
void divorceFramesIn(sqInt page);
sqInt divorceActivePage(void);
sqInt closureNumArgs(sqInt closure);
sqInt isFullBlockClosure(sqInt closure);
void executeContextInNewPage(sqInt ctx);
void resumeContext(sqInt ctx);
sqInt fetchContextSlot(sqInt index, sqInt ctx);
void storeContextSlot(sqInt index, sqInt ctx, sqInt value);

/* plugin_file.c */
sqInt newFileHandle(sqInt fileNumber);
sqInt fileNumberOf(sqInt handle);
sqInt pluginArgumentCountIs(sqInt n);
sqInt isBytesObject(sqInt oop);
sqInt bitsElementBytes(sqInt oop);
sqLong positiveArgument(sqInt oop);
void popThenPushInteger(sqInt n, sqLong value);
void primitiveFileStdioHandles(void);
void primitiveFileOpen(void);
void primitiveFileOpenNew(void);
void primitiveFileClose(void);
void fileTransfer(sqInt writing);
void primitiveFileRead(void);
void primitiveFileWrite(void);
void primitiveFileFlush(void);
void primitiveFileSync(void);
void primitiveFileSize(void);
void primitiveFileGetPosition(void);
void primitiveFileSetPosition(void);
void primitiveFileAtEnd(void);
void primitiveFileTruncate(void);
void primitiveFileDescriptorType(void);
void primitiveFileDelete(void);
void primitiveFileRename(void);
void primitiveDirectoryCreate(void);
void primitiveDirectoryDelete(void);
void primitiveDirectoryDelimitor(void);
sqInt directoryEntryArray(void);
void pushDirectoryEntry(sqInt status);
void primitiveDirectoryLookup(void);
void primitiveDirectoryEntry(void);
void primitiveDirectoryMacTypeAndCreator(void);
void primitiveHasFileAccess(void);
void primitiveDisableFileAccess(void);

/* plugin_misc.c */
sqInt isByteTable(sqInt oop, sqInt n);
void primitiveStringHash(void);
void primitiveCompareString(void);
void primitiveFindSubstring(void);
void primitiveFindFirstInString(void);
void primitiveIndexOfAsciiInString(void);
void primitiveTranslateStringWithTable(void);
void primitiveConvert8BitSigned(void);

/* primitives_system.c */
sqInt stringForAttribute(sqInt n);
void pushAttribute(sqInt argCountToPop, sqInt n);
void primitiveGetAttribute(void);
void primitiveImageName(void);
void primitiveVMPath(void);
void primitiveSetLowSpaceThreshold(void);
sqInt vmParameter(sqInt n);
void primitiveVMParameter(void);

/* primitives_float.c */
sqInt isSmallFloatValue(double d);
sqInt smallFloatObjectOf(double d);
double smallFloatValueOf(sqInt oop);
sqInt isSmallFloatObject(sqInt oop);
sqInt isBoxedFloat(sqInt oop);
sqInt isFloatObject(sqInt oop);
double floatValueOf(sqInt oop);
sqInt floatObjectOf(double d);
double floatArgumentValue(sqInt oop);
void pushFloatResult(sqInt argCountToPop, double d);
void primitiveFloat(sqInt index);
void primitiveFloatAt(void);
void primitiveFloatAtPut(void);

/* scavenger.c */
sqInt isYoungOop(sqInt oop);
sqInt isRemembered(sqInt oop);
sqInt survivorSpaceBytes(void);
void rememberObject(sqInt oop);
void initializeNewSpace(sqInt start, sqInt bytes);
sqInt allocateOldBytes(sqInt bytes);
sqInt allocateOldBytesAtEnd(sqInt bytes);
void copyWords(sqInt from, sqInt to, sqInt bytes);
sqInt copyAndForward(sqInt oop);
sqInt remapYoung(sqInt oop);
sqInt scavengeSlotAt(sqInt address);
sqInt scavengeObjectSlots(sqInt oop);
void scavengeRememberedSet(void);
void scavenge(void);

/* snapshot.c */
void divorceAllPages(void);
void headerWordPut(sqInt header, sqInt offset, sqInt value);
void relocateOldSpaceBy(sqInt delta);
sqInt writeSnapshot(sqInt target, sqInt trailerReason);
void primitiveSnapshot(void);
void writeResumeTrailer(sqInt trailer, sqInt reason);
void readResumeTrailer(sqInt fileOffset);
void resetAsLoaded(void);
sqInt writeCrashSnapshot(sqInt reason);

/* clock.c */
sqInt clockMicroseconds(void);
sqLong clockUTCMicroseconds(void);
sqInt clockLocalOffsetMicroseconds(void);
void sleepUntilMicroseconds(sqInt usecs);
sqInt currentSessionId(void);

/* safepoints.c */
void updateSafePointEvents(void);
sqInt nextDigestCountAfter(sqInt count);
sqInt isEnteringSnapshotMethod(void);
sqInt handleSafePointEvents(void);

/* digest.c */
sqLong digestMix(sqLong h, sqLong v);
sqInt digestAddress(sqInt v);
sqInt digestOop(sqInt v);
sqLong objectDigest(sqInt oop);
sqLong frameSlotsDigest(sqLong h, sqInt fp, sqInt sp);
sqLong frameDigest(void);
sqLong callersDigest(void);
sqLong newObjectsDigest(void);
void emitDigest(void);
sqInt homeMethodOf(sqInt m);
sqInt methodSelectorOf(sqInt m);
sqInt classNameOf(sqInt cls);
sqInt metaclassInstanceOf(sqInt cls);
sqInt bytesAddressOf(sqInt oop);
sqInt bytesLengthOf(sqInt oop);
sqInt reportMethodName(sqInt m, sqInt forSnapshot);
sqInt methodNameIsSnapshotTarget(sqInt m);

/* plugin_test.c */
void primitiveObjectAddress(void);
void primitiveCollectorCompacts(void);
void primitiveSlotNamesForwarder(void);

/* plugin_large_integers.c */
sqInt largePositiveClassIndex(void);
sqInt largeNegativeClassIndex(void);
sqInt isLargeIntegerOop(sqInt oop);
sqInt isAnyInteger(sqInt oop);
sqInt isNegativeInteger(sqInt oop);
usqLong smallMagnitude(sqInt oop);
sqInt magnitudeLength(sqInt oop);
sqInt magnitudeByte(sqInt oop, sqInt i);
sqInt significantLength(sqInt oop);
sqInt newLargeInteger(sqInt negative, sqInt n);
sqInt normalizedInteger(sqInt large, sqInt negative);
sqInt compareMagnitudes(sqInt a, sqInt b);
sqInt addMagnitudes(sqInt a, sqInt b, sqInt negative);
sqInt subtractMagnitudes(sqInt a, sqInt b, sqInt negative);
sqInt multiplyMagnitudes(sqInt a, sqInt b, sqInt negative);
sqInt divideMagnitudes(sqInt a, sqInt b, sqInt quotientNegative, sqInt remainderNegative);
sqInt bitOpMagnitudes(sqInt a, sqInt b, sqInt op);
sqInt shiftMagnitude(sqInt a, sqInt shift, sqInt negative);
void pushLargeResult(sqInt argCountToPop, sqInt result);
void primitiveLargeIntegers(sqInt id);

/* primitives_memory.c */
sqInt pinObject(sqInt oop);
void primitiveIsPinned(void);
void primitivePin(void);
sqInt oldSpaceFreeBytes(void);
void primitiveGarbageCollect(sqInt full);
void primitiveBytesLeft(void);
void primitiveLowSpaceSemaphore(void);
void primitiveLargeIntegerOp(sqInt index);

/* gc.c */
sqInt isOldHeapObject(sqInt oop);
sqInt forwardedOop(sqInt oop);
void processRootSlot(sqInt address, sqInt mode);
sqInt oldSpaceBytesInUse(void);
sqInt heapBytesInUse(void);
void gcPauseBegin(void);
void gcPauseEnd(void);
sqInt vmGCPauseCount(void);
sqInt vmGCTotalUsecs(void);
sqInt vmGCMaxPauseUsecs(void);
sqInt vmGCPeakHeapBytes(void);
void fullGC(void);
void noteOldSpaceGrowth(void);
void noteScavengeDone(void);

/* gc_mark.c */
sqInt isMarkedOop(sqInt oop);
void setMarkedOop(sqInt oop);
void clearMarkedOop(sqInt oop);
void markObject(sqInt oop);
void markSlotsOf(sqInt oop);
void markAndFollowSlot(sqInt address);
void markFromStack(void);
void markUntilDone(void);
void markPhase(void);

/* gc_ephemerons.c */
sqInt isEphemeronOop(sqInt oop);
sqInt isUnscannedEphemeron(sqInt oop);
void setUnscannedEphemeron(sqInt oop, sqInt listed);
sqInt ephemeronKey(sqInt oop);
sqInt isLiveKey(sqInt key);
void initializeUnscannedEphemerons(void);
sqInt hasUnscannedEphemerons(void);
sqInt deferEphemeron(sqInt oop);
sqInt markInactiveEphemerons(void);
void fireUnscannedEphemerons(void);
void markAndFireEphemerons(void);
sqInt vmEphemeronsFiredCount(void);

/* mourn_queue.c */
sqInt objStackAt(sqInt page, sqInt i);
void objStackAtPut(sqInt page, sqInt i, sqInt v);
sqInt mournQueueRoot(void);
sqInt isObjStackPageFor(sqInt oop, sqInt rootIndex);
sqInt isMournQueuePage(sqInt oop);
sqInt newMournQueuePage(sqInt next);
sqInt queueMourner(sqInt oop);
sqInt dequeueMourner(void);
void primitiveFetchMourner(void);
void markMournQueue(void);
void updateMournQueuePage(sqInt page, sqInt count);
void relocateMournQueuePageBy(sqInt page, sqInt delta);
sqInt maxMournQueuePages(void);
sqInt isBadMourner(sqInt v);
void verifyMournQueue(void);
sqInt loadObjStacks(void);

/* class_table.c */
sqInt newClassTablePage(void);
sqInt enterIntoClassTable(sqInt classOop);
sqInt ensureClassIndex(sqInt classOop);
sqInt couldBeClass(sqInt oop);
void primitiveBehaviorHash(void);
void markHiddenRoots(void);
sqInt isWeakClassTablePart(sqInt oop);
void markClassOf(sqInt oop);
void expungeUnmarkedClasses(void);

/* gc_weak.c */
sqInt isWeakOop(sqInt oop);
sqInt numStrongSlotsOfWeak(sqInt oop);
void noteFinalization(void);
void signalFinalizationSemaphore(void);
void initializeWeaklings(void);
void noteMarkedWeakling(sqInt oop);
void nilUnmarkedReferentsOf(sqInt weak);
void nilUnmarkedWeakReferents(void);
sqInt scavengeWeakObjectSlots(sqInt oop);
sqInt isInFutureSpace(sqInt oop);
sqInt settleWeakSlotsAfterScavenge(sqInt weak);
void settleWeakObjectsIn(sqInt start, sqInt end, sqInt remember);
void settleWeakObjectsAfterScavenge(sqInt tenureStart);

/* gc_compact.c */
sqInt savedFirstFieldAddress(sqInt k);
sqInt pointerSlotsGivenFirstField(sqInt oop, sqInt first);
sqInt compactOldSpace(void);
sqInt roundUpToSegment(sqInt bytes);
sqInt ensureOldSpaceUpTo(sqInt address);
void shrinkOldSpace(void);
void writeOldSpaceEndBridge(void);
sqInt isSegmentBridge(sqInt oop);
sqInt segmentBoundaryAbove(sqInt address);
void writeSegmentBridge(sqInt address, sqInt end);
sqInt layOutDeadRun(sqInt start, sqInt end);
sqInt layOutHoleIn(sqInt start, sqInt end);
void refillOldSpaceHoles(void);
void setMaxOldSpaceBytes(sqInt bytes);
sqInt vmOldSpaceCommittedBytes(void);
sqInt vmOldSpacePeakCommittedBytes(void);
sqInt vmOldSpaceSegmentsAdded(void);
sqInt vmOldSpaceSegmentsRemoved(void);
void sweepOldSpace(void);
void makeSweptChunk(sqInt start, sqInt bytes);
sqInt vmOldSpaceBytesReleasedInChunks(void);
sqInt freeListCount(void);
sqInt freeListHead(sqInt i);
sqInt freeListIndexFor(sqInt bytes);
sqInt freeChunkStart(sqInt chunk);
void resetFreeLists(void);
void makeFreeChunk(sqInt address, sqInt bytes);
sqInt takeFreeChunk(sqInt i, sqInt prevLink, sqInt chunk, sqInt bytes);
sqInt allocateFromFreeChunks(sqInt bytes);
void clearFreeChunkBodies(void);
void rebuildFreeLists(void);
void verifyFreeLists(sqInt freeChunksInHeap);
sqInt isNotedObjectStart(sqInt oop);

/* stack.c: roots */
void scanRootRange(sqInt low, sqInt high, sqInt mode);
void scanStackPages(sqInt mode);
void relocateFrameIPs(sqInt toOffsets);

/* gc_verify.c */
sqInt verifyBitmapBase(void);
sqInt verifyBitmapBytes(void);
void noteObjectStartsIn(sqInt start, sqInt end);
sqInt isValidReference(sqInt v);
void verifyRootsUnforwarded(void);
void verifyFailed(sqInt where, sqInt slot, sqInt value);
sqInt verifyObjectsIn(sqInt start, sqInt end, sqInt checkRemembered);
sqInt verifyHeap(void);
void verifyClassIndexOf(sqInt oop);
sqInt verifyHeapAfterFullGC(void);
sqInt pinnedObjectsDigest(sqInt markedOnly);
sqInt notePinnedObjectsDigest(void);

/* become.c */
sqInt isBecomeArray(sqInt oop);
sqInt becomeErrorFor(sqInt oop);
sqInt becomeArgumentsError(sqInt from, sqInt to, sqInt twoWay);
void forwardObjectTo(sqInt oop, sqInt target);
void emptyNewSpace(void);
void becomeForward(sqInt copyHash);
void primitiveArrayBecomeOneWay(void);
void primitiveArrayBecomeOneWayNoCopyHash(void);
void primitiveArrayBecomeOneWayCopyHashArg(void);
void rememberIfYoungReferents(sqInt oop);
void exchangeContents(sqInt a, sqInt b);
sqInt copyInOldSpace(sqInt oop, sqInt hash);
void primitiveArrayBecome(void);

/* read_barrier.c */
sqInt followMaybeForwarded(sqInt oop);
sqInt followField(sqInt i, sqInt oop);
sqInt fetchFollowedField(sqInt i, sqInt oop);
sqInt followFieldsOf(sqInt oop);
void followStackRange(sqInt low, sqInt high);
sqInt followForwardedSendReceiver(sqInt numArgs);
sqInt primitiveAccessorDepth(sqInt index);
sqInt followForwardedPrimitiveState(void);
void followForwardersInScheduler(void);
void followForwardersInClassTable(void);
void followForwardersInRegisters(void);
void followForwardersInRoots(void);

#endif
