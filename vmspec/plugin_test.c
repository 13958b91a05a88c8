/* TalcTestPlugin: what the in-image tests of the object memory need to see and no image should
 * rely on: an object's address (a pinned object keeps it through collections) and whether the
 * old-space collector moves objects. */
#include "internal.h"

/* TalcTestPlugin>>primitiveObjectAddress: the address of the last argument (or the receiver);
 * in deterministic mode its offset in VM memory, the same in talc and talc-sim */
void primitiveObjectAddress(void)
{
    sqInt oop = stackTop(), address;
    if (isImmediate(oop)) { primitiveFailFor(PrimErrBadArgument); return; }
    address = signed64BitIntegerFor(deterministicMode ? oop - memoryBase : oop);
    if (address == 0) { primitiveFailFor(PrimErrNoMemory); return; }
    popThenPush(argumentCount + 1, address);
}

/* TalcTestPlugin>>primitiveCollectorCompacts: true when full collections slide objects */
void primitiveCollectorCompacts(void)
{
    popThenPush(argumentCount + 1, booleanObjectOf(VARIANT(old_space_collector, mark_compact)));
}
