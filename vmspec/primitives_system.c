/* Primitives that answer facts about the VM and its invocation: image name, attributes
 * (command-line arguments among them), the VM's path. */
#include "internal.h"

void setTraceMissingPrimitives(sqInt on) { traceMissingPrimitives = on; }

/* Smalltalk primSignalAtBytesLeft: n — kept; Talc signals no low-space semaphore yet */
void primitiveSetLowSpaceThreshold(void)
{
    if (!isIntegerObject(stackTop())) { primitiveFailFor(PrimErrBadArgument); return; }
    lowSpaceThreshold = integerValueOf(stackTop());
    popN(1);
}

/* a new String holding the platform attribute n, or nil if it has none; 0 if memory is out */
sqInt stringForAttribute(sqInt n)
{
    sqInt length = platformAttributeLength(n), string;
    if (length < 0) return nilObj;
    string = instantiateClass(splObj(SpecialClassByteString), length);
    if (string == 0) return 0;
    platformCopyAttribute(n, firstFieldAddress(string), length);
    return string;
}

void pushAttribute(sqInt argCountToPop, sqInt n)
{
    sqInt string = stringForAttribute(n);
    if (string == 0) { primitiveFailFor(PrimErrNoMemory); return; }
    popThenPush(argCountToPop + 1, string);
}

/* Smalltalk getSystemAttribute: n — 0 the VM, 1 the image, 2.. the image arguments, 1001.. the OS */
void primitiveGetAttribute(void)
{
    sqInt n = stackTop();
    if (!isIntegerObject(n)) { primitiveFailFor(PrimErrBadArgument); return; }
    pushAttribute(1, integerValueOf(n));
}

void primitiveImageName(void)
{
    if (argumentCount != 0) { primitiveFailFor(PrimErrUnsupported); return; }
    pushAttribute(0, AttributeImageName);
}

void primitiveVMPath(void) { pushAttribute(0, AttributeVMPath); }

/* one of Open-Smalltalk-VM's VM parameters (Smalltalk vm parameterAt: n); 0 for those Talc
 * does not keep, -1 for an index beyond the known range. Old space in use is 1 minus 54. */
sqInt vmParameter(sqInt n)
{
    switch (n) {
    case 1: return endOfOldObjects - oldSpaceStart;
    case 2: return freeStart - edenStart;
    case 3: return oldSpaceLimit;
    case 7: return fullGCCount;
    case 9: return scavengeCount;
    case 40: return BytesPerWord;
    case 41: return imageFormat;
    case 44: return edenHardLimit - edenStart;
    case 46: return oldSpaceLimit - oldSpaceStart;
    case 54: return oldSpaceFreeChunkBytes;
    default: return n >= 1 && n <= VMParameterCount ? 0 : -1;
    }
}

/* vmParameterAt: n, vmParameterAt: n put: v (accepted, not kept), or all of them as an Array */
void primitiveVMParameter(void)
{
    sqInt n, value, all, i;
    if (argumentCount == 0) {
        all = instantiateClass(splObj(SpecialClassArray), VMParameterCount);
        if (all == 0) { primitiveFailFor(PrimErrNoMemory); return; }
        for (i = 1; i <= VMParameterCount; i += 1) storePointer(i - 1, all, integerObjectOf(vmParameter(i)));
        popThenPush(1, all);
        return;
    }
    n = stackValue(argumentCount - 1);
    if (!isIntegerObject(n) || argumentCount > 2) { primitiveFailFor(PrimErrBadArgument); return; }
    value = vmParameter(integerValueOf(n));
    if (value < 0) { primitiveFailFor(PrimErrBadIndex); return; }
    popThenPush(argumentCount + 1, integerObjectOf(value));
}
