/* The class table as Spur keeps it: a class's identity hash is its index, and its instances name
 * it by that index. A class gets an index when it is first instantiated or asked its hash
 * (primitive 175), in the first free entry past the first page (which holds the classes the VM
 * knows). The table is weak: a full collection keeps a class only when something reaches it
 * or a marked object names it by class index, and empties the entries of the others, which
 * later classes reuse. */
#include "internal.h"

/* a page of the table in old space, all nil; 0 when old space is full */
sqInt newClassTablePage(void)
{
    sqInt bytes = 2 * BaseHeaderSize + ClassTablePageSize * BytesPerWord, start, page, i;
    start = allocateOldBytes(bytes);
    if (start == 0) return 0;
    page = start + BaseHeaderSize;
    long64AtPut(start, ((sqLong)OverflowSlotsMarker << NumSlotsShift) | ClassTablePageSize);
    long64AtPut(page, ((sqLong)OverflowSlotsMarker << NumSlotsShift) | ((sqLong)FormatIndexable << FormatShift) | ArrayClassIndexPun);
    for (i = 0; i < ClassTablePageSize; i += 1) longAtPut(page + BaseHeaderSize + i * BytesPerWord, nilObj);
    SIM_ONLY(simNoteObjectStart(page, start + bytes));
    return page;
}

/* the first free entry from classTableIndex on gets classOop, whose hash becomes its index;
 * 0 when the table is full or no page can be added */
sqInt enterIntoClassTable(sqInt classOop)
{
    sqInt index, page;
    for (index = classTableIndex; index <= ClassIndexMask; index += 1) {
        page = fetchPointer(index >> ClassTablePageShift, hiddenRootsObj);
        if (page == nilObj) {
            page = newClassTablePage();
            if (page == 0) return 0;
            storePointer(index >> ClassTablePageShift, hiddenRootsObj, page);
        }
        if (fetchPointer(index & (ClassTablePageSize - 1), page) == nilObj) {
            storePointer(index & (ClassTablePageSize - 1), page, classOop);
            setRawHash(classOop, index);
            classTableIndex = index + 1;
            return index;
        }
    }
    return 0;
}

/* a class's index, entering it into the table the first time; 0 when that fails */
sqInt ensureClassIndex(sqInt classOop)
{
    sqInt index = rawHashOf(classOop);
    if (index == 0) index = enterIntoClassTable(classOop);
    ASSERT(index == 0 || classAtIndex(index) == classOop);
    return index;
}

/* pointers with a SmallInteger format in the third slot, as Behavior's layout has */
sqInt couldBeClass(sqInt oop)
{
    return isNonImmediate(oop) && isPointersNonImm(oop) && numSlotsOf(oop) > ClassFormatIndex
        && isIntegerObject(fetchPointer(ClassFormatIndex, oop));
}

/* Behavior>>identityHash (175): the class's index in the table */
void primitiveBehaviorHash(void)
{
    sqInt cls = stackTop(), index;
    if (!couldBeClass(cls)) { primitiveFailFor(PrimErrBadReceiver); return; }
    index = ensureClassIndex(cls);
    if (index == 0) { primitiveFailFor(PrimErrLimitExceeded); return; }
    popThenPush(argumentCount + 1, integerObjectOf(index));
}

/* ---- during a full collection ---- */

/* the hidden roots: the table's first page is traced, its other pages are marked but not
 * traced; the slots after the table are ordinary roots */
void markHiddenRoots(void)
{
    sqInt i, page, n = numSlotsOf(hiddenRootsObj);
    setMarkedOop(hiddenRootsObj);
    markObject(fetchPointer(0, hiddenRootsObj));
    for (i = 1; i < ClassTableRootSlots; i += 1) {
        page = fetchPointer(i, hiddenRootsObj);
        if (isOldHeapObject(page)) setMarkedOop(page);
    }
    for (i = ClassTableRootSlots; i < n; i += 1) markAndFollowSlot(hiddenRootsObj + BaseHeaderSize + i * BytesPerWord);
}

/* whether a marked object's slots stay untraced: the hidden roots and the table's later pages */
sqInt isWeakClassTablePart(sqInt oop)
{
    return classIndexOf(oop) == ArrayClassIndexPun && oop != fetchPointer(0, hiddenRootsObj);
}

/* a marked object keeps its class alive. An object whose index is not its class's hash (one-way
 * become of a class leaves two entries) takes the class's own index, as Spur's marker does. */
void markClassOf(sqInt oop)
{
    sqInt index = classIndexOf(oop), cls;
    if (index < ClassTablePageSize) return;
    cls = classAtIndex(index);
    if (cls == nilObj) return;
    if (rawHashOf(cls) != index) long32AtPut(oop, (long32At(oop) & ~ClassIndexMask) | rawHashOf(cls));
    markObject(cls);
}

/* after marking: entries past the first page whose class is unmarked, or that are not at their
 * class's index, become nil, and the next class entered may take the lowest of them */
void expungeUnmarkedClasses(void)
{
    sqInt major, minor, page, cls, index;
    for (major = 1; major < ClassTableRootSlots; major += 1) {
        page = fetchPointer(major, hiddenRootsObj);
        if (page == nilObj) continue;
        for (minor = 0; minor < ClassTablePageSize; minor += 1) {
            cls = fetchPointer(minor, page);
            index = (major << ClassTablePageShift) + minor;
            if (cls == nilObj || (isMarkedOop(cls) && rawHashOf(cls) == index)) continue;
            longAtPut(page + BaseHeaderSize + minor * BytesPerWord, nilObj);
            if (index < classTableIndex) classTableIndex = index;
        }
    }
}
