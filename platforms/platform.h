/* The platform interface: everything the spec may call outside itself.
 * Addresses passed across are VM-memory addresses (integers); the platform maps them to host
 * memory with vmHostPointer(), which the simulator checks and production merely casts. */
#ifndef TALC_PLATFORM_H
#define TALC_PLATFORM_H

#include <stdint.h>

typedef intptr_t sqInt;

/* VM memory */
void *vmHostPointer(sqInt address, sqInt length);        /* bytes [address, address+length) */
sqInt platformReserveMemory(sqInt bytes, sqInt wantLowAddress); /* returns VM base address, 0 on failure */

/* image file: read into VM memory; returns bytes read or -1 */
sqInt platformImageFileSize(void);
sqInt platformReadImageBytes(sqInt fileOffset, sqInt address, sqInt length);
/* write header and body to the image file, through a temporary file renamed over it: 0 or -1 */
sqInt platformWriteImageFile(sqInt headerAddress, sqInt headerLength, sqInt bodyAddress, sqInt bodyLength);
sqInt platformImageNameLength(void);
sqInt platformCopyImageName(sqInt address, sqInt maxLength);

/* console and standard streams: fd 0, 1, 2 */
sqInt platformWrite(sqInt fd, sqInt address, sqInt length);
sqInt platformFlush(sqInt fd);

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

/* the end: a fatal VM error (constants.h Fatal*) reported with where the interpreter was */
_Noreturn void platformFatalError(sqInt code, sqInt bytecodeCount, sqInt method);
_Noreturn void platformExit(sqInt status);
_Noreturn void vmAssertFailed(const char *expr, const char *file, int line);

/* attributes as Smalltalk getSystemAttribute: sees them (0 VM path, 1 image, 2.. image
 * arguments, 1001 OS name, 1002 OS release, 1003 processor, 1004 the VM's version): the length, -1 if none */
sqInt platformAttributeLength(sqInt n);
sqInt platformCopyAttribute(sqInt n, sqInt address, sqInt maxLength);
/* a number unique to this run of the VM, so that file handles of a saved image are refused */
sqInt platformSessionId(void);

/* image arguments after the image name */
sqInt platformArgumentCount(void);
sqInt platformArgumentLength(sqInt index);
sqInt platformCopyArgument(sqInt index, sqInt address, sqInt maxLength);

#endif
