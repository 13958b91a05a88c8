/* TalcTestPlugin: what the in-image tests of the object memory need to see and no image should
 * rely on: an object's address (a pinned object keeps it through collections), whether the
 * old-space collector moves objects and whether a slot still names a forwarder (become's
 * forwarders are followed lazily). */
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

/* TalcTestPlugin>>primitiveSlotNamesForwarder: whether slot index (1-based, the first argument)
 * of the second argument names a forwarder, read without the read barrier */
void primitiveSlotNamesForwarder(void)
{
    sqInt index = stackValue(1), oop = stackValue(0), v;
    if (!isIntegerObject(index) || isImmediate(oop) || isForwarded(oop) || !isPointersNonImm(oop)) { primitiveFailFor(PrimErrBadArgument); return; }
    if (integerValueOf(index) < 1 || integerValueOf(index) > numSlotsOf(oop)) { primitiveFailFor(PrimErrBadIndex); return; }
    v = fetchPointer(integerValueOf(index) - 1, oop);
    popThenPush(argumentCount + 1, booleanObjectOf(isNonImmediate(v) && isForwarded(v)));
}
