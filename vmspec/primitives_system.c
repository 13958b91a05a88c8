/* Primitives that answer facts about the VM and its invocation: image name, attributes
 * (command-line arguments among them), the VM's path. */
#include "internal.h"

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
