/* Floats: boxed (BoxedFloat64, two 32-bit words holding a native double) on both word sizes,
 * and SmallFloat64 immediates on 64-bit Spur. Primitives 40-59 (boxed receiver) and 541-559
 * (SmallFloat64 receiver) share one implementation. */
#include "internal.h"

/* SmallFloat64: the double rotated so its sign is bit 0, its exponent rebased by 896 */
sqInt isSmallFloatValue(double d)
{
    usqLong raw = platformDoubleBits(d);
    sqInt exponent = (sqInt)((raw >> 52) & 0x7FF);
    if (BytesPerWord != 8) return 0;
    if ((raw & 0x7FFFFFFFFFFFFFFFULL) == 0) return 1;
    return exponent > SmallFloatExponentOffset && exponent < SmallFloatExponentOffset + 256;
}

sqInt smallFloatObjectOf(double d)
{
    usqLong raw = platformDoubleBits(d), rot = (raw << 1) | (raw >> 63);
    if (rot > 1) rot -= (usqLong)SmallFloatExponentOffset << 53;
    return (sqInt)((rot << NumTagBits) | SmallFloatTag);
}

double smallFloatValueOf(sqInt oop)
{
    usqLong bits = (usqLong)oop >> NumTagBits;
    if (bits > 1) bits += (usqLong)SmallFloatExponentOffset << 53;
    return platformDoubleFromBits((bits >> 1) | (bits << 63));
}

sqInt isSmallFloatObject(sqInt oop) { return BytesPerWord == 8 && (oop & 7) == SmallFloatTag; }
sqInt isBoxedFloat(sqInt oop) { return isNonImmediate(oop) && classIndexOf(oop) == classIndexOfClass(splObj(SpecialClassFloat)); }
sqInt isFloatObject(sqInt oop) { return isSmallFloatObject(oop) || isBoxedFloat(oop); }

double floatValueOf(sqInt oop)
{
    if (isSmallFloatObject(oop)) return smallFloatValueOf(oop);
    return float64At(firstFieldAddress(oop));
}

/* a Float for d: immediate when it can be; 0 when memory is out */
sqInt floatObjectOf(double d)
{
    sqInt box;
    if (isSmallFloatValue(d)) return smallFloatObjectOf(d);
    box = instantiateClass(splObj(SpecialClassFloat), 2);
    if (box == 0) return 0;
    float64AtPut(firstFieldAddress(box), d);
    return box;
}

/* a float operand: a Float or a SmallInteger; sets primFailCode otherwise */
double floatArgumentValue(sqInt oop)
{
    if (isFloatObject(oop)) return floatValueOf(oop);
    if (isIntegerObject(oop)) return (double)integerValueOf(oop);
    primitiveFailFor(PrimErrBadArgument);
    return 0.0;
}

void pushFloatResult(sqInt argCountToPop, double d)
{
    sqInt result = floatObjectOf(d);
    if (result == 0) { primitiveFailFor(PrimErrNoMemory); return; }
    popThenPush(argCountToPop + 1, result);
}

/* index is the boxed-receiver primitive number, 40..59 */
void primitiveFloat(sqInt index)
{
    sqInt hasArgument = (index >= 41 && index <= 50) || index == 54;
    sqInt rcvr = stackValue(hasArgument);
    double a, b = 0.0, r;
    if (index == 40) {
        if (!isIntegerObject(stackTop())) { primitiveFail(); return; }
        pushFloatResult(0, (double)integerValueOf(stackTop()));
        return;
    }
    if (!isFloatObject(rcvr)) { primitiveFailFor(PrimErrBadReceiver); return; }
    a = floatValueOf(rcvr);
    if (hasArgument) {
        b = floatArgumentValue(stackTop());
        if (primFailCode != 0) return;
    }
    switch (index) {
    case 41: pushFloatResult(1, a + b); return;
    case 42: pushFloatResult(1, a - b); return;
    case 43: popThenPush(2, booleanObjectOf(a < b)); return;
    case 44: popThenPush(2, booleanObjectOf(a > b)); return;
    case 45: popThenPush(2, booleanObjectOf(a <= b)); return;
    case 46: popThenPush(2, booleanObjectOf(a >= b)); return;
    case 47: popThenPush(2, booleanObjectOf(a == b)); return;
    case 48: popThenPush(2, booleanObjectOf(a != b)); return;
    case 49: pushFloatResult(1, a * b); return;
    case 50:
        if (b == 0.0) { primitiveFailFor(PrimErrBadArgument); return; }
        pushFloatResult(1, a / b);
        return;
    case 51:
        /* truncated: a SmallInteger, or fail so that Smalltalk makes a LargeInteger */
        if (!(a > (double)MinSmallInteger - 1.0 && a < (double)MaxSmallInteger + 1.0)) { primitiveFail(); return; }
        popThenPush(1, integerObjectOf((sqInt)a));
        return;
    case 52: pushFloatResult(0, a - platformTruncate(a)); return;
    case 53:
        if (a == 0.0 || a != a || a - a != 0.0) { popThenPush(1, integerObjectOf(0)); return; }
        popThenPush(1, integerObjectOf(platformFrexpExponent(a) - 1));
        return;
    case 54:
        if (!isIntegerObject(stackTop())) { primitiveFailFor(PrimErrBadArgument); return; }
        pushFloatResult(1, platformLdexp(a, integerValueOf(stackTop())));
        return;
    case 55:
        if (a < 0.0) { primitiveFailFor(PrimErrBadReceiver); return; }
        r = platformSqrt(a);
        pushFloatResult(0, r);
        return;
    case 56: pushFloatResult(0, platformSin(a)); return;
    case 57: pushFloatResult(0, platformArctan(a)); return;
    case 58:
        if (a <= 0.0) { primitiveFailFor(PrimErrBadReceiver); return; }
        pushFloatResult(0, platformLn(a));
        return;
    case 59: pushFloatResult(0, platformExp(a)); return;
    default: primitiveFailFor(PrimErrUnsupported); return;
    }
}

/* Float>>basicAt: 1 is the high 32 bits, as Squeak and Pharo expect */
void primitiveFloatAt(void)
{
    sqInt rcvr = stackValue(1), index = stackValue(0), word, result;
    usqLong raw;
    if (!isFloatObject(rcvr) || !isIntegerObject(index) || integerValueOf(index) < 1 || integerValueOf(index) > 2) { primitiveFailFor(PrimErrBadIndex); return; }
    raw = platformDoubleBits(floatValueOf(rcvr));
    word = (sqInt)(integerValueOf(index) == 1 ? raw >> 32 : raw & 0xFFFFFFFFULL);
    result = signed64BitIntegerFor(word);
    if (result == 0) { primitiveFailFor(PrimErrNoMemory); return; }
    popThenPush(2, result);
}

void primitiveFloatAtPut(void)
{
    sqInt rcvr = stackValue(2), index = stackValue(1), value = stackValue(0);
    usqLong raw;
    sqLong word = signed64BitValueOf(value);
    if (!isBoxedFloat(rcvr) || !isIntegerObject(index) || integerValueOf(index) < 1 || integerValueOf(index) > 2
        || primFailCode != 0 || word < 0 || word > 0xFFFFFFFFLL) { primitiveFailFor(PrimErrBadArgument); return; }
    raw = platformDoubleBits(floatValueOf(rcvr));
    if (integerValueOf(index) == 1) raw = (raw & 0xFFFFFFFFULL) | ((usqLong)word << 32);
    else raw = (raw & 0xFFFFFFFF00000000ULL) | (usqLong)word;
    float64AtPut(firstFieldAddress(rcvr), platformDoubleFromBits(raw));
    popThenPush(3, value);
}
