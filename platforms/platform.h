/* The platform interface: everything the spec may call outside itself.
 * Addresses passed across are VM-memory addresses (integers); the platform maps them to host
 * memory with vmHostPointer(), which the simulator checks and production merely casts. */
#ifndef TALC_PLATFORM_H
#define TALC_PLATFORM_H

#include <stdint.h>

typedef intptr_t sqInt;

/* VM memory */
void *vmHostPointer(sqInt address, sqInt length);        /* bytes [address, address+length) */
sqInt platformReserveMemory(sqInt bytes, sqInt wantLowAddress); /* address space only: the VM base address, 0 on failure */
sqInt platformCommitMemory(sqInt address, sqInt bytes);   /* make reserved bytes usable; 0 on failure */
void platformDecommitMemory(sqInt address, sqInt bytes);  /* give the whole pages inside back to the system */
void platformReleasePages(sqInt address, sqInt bytes);    /* the same, but they stay usable (read as zeros) */

/* image file: read into VM memory; returns bytes read or -1 */
sqInt platformImageFileSize(void);
sqInt platformReadImageBytes(sqInt fileOffset, sqInt address, sqInt length);
/* write header, body and trailer (length 0: none) through a temporary file renamed over the
 * target's file: the image's (target 0) or a crash snapshot's (target its reason); 0 or -1 */
sqInt platformWriteImageFile(sqInt target, sqInt headerAddress, sqInt headerLength, sqInt bodyAddress, sqInt bodyLength,
                             sqInt trailerAddress, sqInt trailerLength);
sqInt platformImageNameLength(void);
sqInt platformCopyImageName(sqInt address, sqInt maxLength);

/* console and standard streams: fd 0, 1, 2 */
sqInt platformWrite(sqInt fd, sqInt address, sqInt length);
sqInt platformFlush(sqInt fd);

/* FilePlugin (platforms/files.c): files by file number (0, 1, 2 the standard streams); names
 * are bytes in VM memory; -1 is failure throughout */
sqInt platformFileOpen(sqInt nameAddress, sqInt nameLength, sqInt writable); /* a file number */
sqInt platformFileOpenNew(sqInt nameAddress, sqInt nameLength);              /* -2 if it exists */
sqInt platformFileClose(sqInt file);                                        /* 0 */
sqInt platformFileRead(sqInt file, sqInt address, sqInt length);            /* bytes read, 0 at the end */
sqInt platformFileWrite(sqInt file, sqInt address, sqInt length);           /* bytes written */
sqInt platformFileFlush(sqInt file);
sqInt platformFileSync(sqInt file);
sqInt platformFileGetPosition(sqInt file);
sqInt platformFileSetPosition(sqInt file, sqInt position);
sqInt platformFileSize(sqInt file);
sqInt platformFileAtEnd(sqInt file);                                        /* 1 or 0 */
sqInt platformFileTruncate(sqInt file, sqInt size);
sqInt platformFileDescriptorType(sqInt fd); /* 1 terminal, 2 pipe, 3 file, -1 error */
sqInt platformFileDelete(sqInt nameAddress, sqInt nameLength);
sqInt platformFileRename(sqInt oldAddress, sqInt oldLength, sqInt newAddress, sqInt newLength);
sqInt platformDirectoryCreate(sqInt pathAddress, sqInt pathLength);
sqInt platformDirectoryDelete(sqInt pathAddress, sqInt pathLength);
/* directory entries: 0 found, 1 no (more) entries, 2 bad path; the entry found is then read with
 * platformDirEntryNameLength, platformDirEntryCopyName and platformDirEntryField (0 creation,
 * 1 modification time in Smalltalk seconds, 2 is a directory, 3 size, 4 POSIX permissions,
 * 5 is a symbolic link) */
sqInt platformDirectoryLookup(sqInt pathAddress, sqInt pathLength, sqInt index);
sqInt platformDirectoryEntry(sqInt pathAddress, sqInt pathLength, sqInt nameAddress, sqInt nameLength);
sqInt platformDirEntryNameLength(void);
sqInt platformDirEntryCopyName(sqInt address, sqInt maxLength);
sqInt platformDirEntryField(sqInt field);

/* time */
sqInt platformMicroseconds(void);            /* monotonic */
sqInt platformUTCMicroseconds(void);         /* since 1901-01-01 UTC, as Squeak counts */
sqInt platformLocalOffsetMicroseconds(void); /* local time minus UTC */
void platformSleepUntil(sqInt microseconds); /* on the monotonic clock */

/* named primitives: an id (constants.h NamedPrim*) for module and function name, 0 if unknown */
sqInt platformNamedPrimitiveId(sqInt moduleAddress, sqInt moduleLength, sqInt nameAddress, sqInt nameLength);
/* ConsolePlugin: a line on stdout (stderr for levels warn and error), as SqueakJS's console */
void platformConsoleLog(sqInt address, sqInt length, sqInt levelAddress, sqInt levelLength);

/* diagnostics: a message on stderr; the VM's errors go through here */
void platformErrorMessage(sqInt address, sqInt length);
void platformErrorCString(const char *message);          /* allow-listed: literal text */
void platformErrorInteger(sqInt value);

/* floating point: the bits of a double and libm, which the spec may not call itself */
uint64_t platformDoubleBits(double d);
double platformDoubleFromBits(uint64_t bits);
double platformTruncate(double d);
sqInt platformFrexpExponent(double d);
double platformLdexp(double d, sqInt exponent);
double platformSqrt(double d);
double platformSin(double d);
double platformArctan(double d);
double platformLn(double d);
double platformExp(double d);

/* --trace-missing-primitives: a primitive the VM lacks (index, or 117 with module and name), once each */
void platformReportMissingPrimitive(sqInt index, sqInt moduleAddress, sqInt moduleLength, sqInt nameAddress, sqInt nameLength);

/* the heap verifier found a bad reference: slot of object (slot -1: an unremembered old object
 * refers to new space; -2: where is a frame slot) holding value */
void platformReportBadReference(sqInt where, sqInt slot, sqInt value);

/* debugging (platforms/debugging.c): a digest record is its values in order, then the method's
 * name (class name, 1 if the class is a metaclass, selector: address and length of their bytes,
 * length 0 when unknown; 1 in a block); --snapshot-on-method's test of a method's name; the
 * report of a crash snapshot (its reason, 0 or -1, the bytecode count) */
void platformDigestValue(sqInt value, sqInt hex);
void platformDigestEnd(sqInt classNameAddress, sqInt classNameLength, sqInt isMeta, sqInt selectorAddress, sqInt selectorLength, sqInt inBlock);
sqInt platformIsSnapshotMethod(sqInt classNameAddress, sqInt classNameLength, sqInt isMeta, sqInt selectorAddress, sqInt selectorLength);
void platformCrashSnapshotWritten(sqInt reason, sqInt status, sqInt bytecodeCount);

/* the end: a fatal VM error (constants.h Fatal*) reported with where the interpreter was */
_Noreturn void platformFatalError(sqInt code, sqInt bytecodeCount, sqInt method);
_Noreturn void platformExit(sqInt status);
_Noreturn void vmAssertFailed(const char *expr, const char *file, int line);

/* attributes as Smalltalk getSystemAttribute: sees them (-1.. VM options, 0 VM path, 1 image,
 * 2.. image arguments, 1001 OS name, 1002 OS release, 1003 processor, 1004 the VM's version): the length, -1 if none */
sqInt platformAttributeLength(sqInt n);
sqInt platformCopyAttribute(sqInt n, sqInt address, sqInt maxLength);
/* a number unique to this run of the VM, so that file handles of a saved image are refused */
sqInt platformSessionId(void);

/* image arguments after the image name */
sqInt platformArgumentCount(void);
sqInt platformArgumentLength(sqInt index);
sqInt platformCopyArgument(sqInt index, sqInt address, sqInt maxLength);

#endif
