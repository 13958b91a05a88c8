/* The LargeIntegers plugin: arithmetic on integer magnitudes held as little-endian bytes
 * (LargePositiveInteger / LargeNegativeInteger), SmallIntegers taken as their magnitude.
 * The primitives follow Squeak's LargeIntegersPlugin: the digit operations work on magnitudes
 * and take the result's sign from the receiver or an argument; every result is normalised
 * (no leading zero bytes; a SmallInteger when it fits). A failed primitive leaves Smalltalk's
 * fallback to compute the same exact result. */
#include "internal.h"

sqInt largePositiveClassIndex(void) { return classIndexOfClass(splObj(SpecialClassLargePositiveInteger)); }
sqInt largeNegativeClassIndex(void) { return classIndexOfClass(splObj(SpecialClassLargeNegativeInteger)); }

sqInt isLargeIntegerOop(sqInt oop)
{
    return isNonImmediate(oop) && (classIndexOf(oop) == largePositiveClassIndex() || classIndexOf(oop) == largeNegativeClassIndex());
}

sqInt isAnyInteger(sqInt oop) { return isIntegerObject(oop) || isLargeIntegerOop(oop); }
sqInt isNegativeInteger(sqInt oop) { return isIntegerObject(oop) ? integerValueOf(oop) < 0 : classIndexOf(oop) == largeNegativeClassIndex(); }

usqLong smallMagnitude(sqInt oop)
{
    sqInt v = integerValueOf(oop);
    return v < 0 ? (usqLong)0 - (usqLong)v : (usqLong)v;
}

/* bytes of the magnitude, leading zeros included for large integers */
sqInt magnitudeLength(sqInt oop)
{
    usqLong m;
    sqInt n = 0;
    if (!isIntegerObject(oop)) return numBytesOf(oop);
    for (m = smallMagnitude(oop); m != 0; m >>= 8) n += 1;
    return n;
}

sqInt magnitudeByte(sqInt oop, sqInt i)
{
    if (isIntegerObject(oop)) return i < 8 ? (sqInt)((smallMagnitude(oop) >> (i * 8)) & 0xFF) : 0;
    return i < numBytesOf(oop) ? fetchByte(i, oop) : 0;
}

/* length without leading zero bytes */
sqInt significantLength(sqInt oop)
{
    sqInt n = magnitudeLength(oop);
    while (n > 0 && magnitudeByte(oop, n - 1) == 0) n -= 1;
    return n;
}

/* a zeroed large integer of n bytes; 0 if memory is out */
sqInt newLargeInteger(sqInt negative, sqInt n)
{
    return instantiateClass(splObj(negative ? SpecialClassLargeNegativeInteger : SpecialClassLargePositiveInteger), n);
}

/* the canonical integer for the magnitude held in large (of either sign class) and a sign */
sqInt normalizedInteger(sqInt large, sqInt negative)
{
    sqInt n = significantLength(large), i, result;
    usqLong m = 0;
    if (n <= 8) {
        for (i = 0; i < n; i += 1) m |= (usqLong)magnitudeByte(large, i) << (i * 8);
        if (m <= (usqLong)MaxSmallInteger) return integerObjectOf(negative ? -(sqInt)m : (sqInt)m);
        if (negative && m == (usqLong)MaxSmallInteger + 1) return integerObjectOf(MinSmallInteger);
    }
    if (n == numBytesOf(large) && isLargeIntegerOop(large) && isNegativeInteger(large) == (negative != 0)) return large;
    result = newLargeInteger(negative, n);
    if (result == 0) return 0;
    for (i = 0; i < n; i += 1) storeByte(i, result, magnitudeByte(large, i));
    return result;
}

/* -1, 0, 1 as |a| is below, equal to or above |b| */
sqInt compareMagnitudes(sqInt a, sqInt b)
{
    sqInt la = significantLength(a), lb = significantLength(b), i, x, y;
    if (la != lb) return la < lb ? -1 : 1;
    for (i = la - 1; i >= 0; i -= 1) {
        x = magnitudeByte(a, i);
        y = magnitudeByte(b, i);
        if (x != y) return x < y ? -1 : 1;
    }
    return 0;
}

sqInt addMagnitudes(sqInt a, sqInt b, sqInt negative)
{
    sqInt la = magnitudeLength(a), lb = magnitudeLength(b), n = (la > lb ? la : lb) + 1, sum, i, carry = 0, d;
    sum = newLargeInteger(negative, n);
    if (sum == 0) return 0;
    for (i = 0; i < n; i += 1) {
        d = magnitudeByte(a, i) + magnitudeByte(b, i) + carry;
        storeByte(i, sum, d & 0xFF);
        carry = d >> 8;
    }
    return normalizedInteger(sum, negative);
}

/* |a| - |b| where |a| >= |b| */
sqInt subtractMagnitudes(sqInt a, sqInt b, sqInt negative)
{
    sqInt n = magnitudeLength(a), diff, i, borrow = 0, d;
    diff = newLargeInteger(negative, n);
    if (diff == 0) return 0;
    for (i = 0; i < n; i += 1) {
        d = magnitudeByte(a, i) - magnitudeByte(b, i) - borrow;
        borrow = d < 0;
        storeByte(i, diff, d & 0xFF);
    }
    return normalizedInteger(diff, negative);
}

sqInt multiplyMagnitudes(sqInt a, sqInt b, sqInt negative)
{
    sqInt la = significantLength(a), lb = significantLength(b), product, i, j, carry, d, ai;
    product = newLargeInteger(negative, la + lb + 1);
    if (product == 0) return 0;
    for (i = 0; i < la; i += 1) {
        ai = magnitudeByte(a, i);
        if (ai == 0) continue;
        carry = 0;
        for (j = 0; j < lb; j += 1) {
            d = fetchByte(i + j, product) + ai * magnitudeByte(b, j) + carry;
            storeByte(i + j, product, d & 0xFF);
            carry = d >> 8;
        }
        for (j = i + lb; carry != 0; j += 1) {
            d = fetchByte(j, product) + carry;
            storeByte(j, product, d & 0xFF);
            carry = d >> 8;
        }
    }
    return normalizedInteger(product, negative);
}

/* quotient and remainder of |a| / |b| (b not zero) into an Array; 0 if memory is out */
sqInt divideMagnitudes(sqInt a, sqInt b, sqInt quotientNegative, sqInt remainderNegative)
{
    sqInt la = significantLength(a), lb = significantLength(b), quo, rem, result, i, bit, d, k, borrow, r, divisor = 0;
    quo = newLargeInteger(quotientNegative, la > 0 ? la : 1);
    rem = newLargeInteger(remainderNegative, lb + 1);
    result = instantiateClass(splObj(SpecialClassArray), 2);
    if (quo == 0 || rem == 0 || result == 0) return 0;
    if (lb <= 3) {
        /* a short divisor: one pass of schoolbook division by bytes */
        for (i = 0; i < lb; i += 1) divisor |= magnitudeByte(b, i) << (i * 8);
        r = 0;
        for (i = la - 1; i >= 0; i -= 1) {
            r = (r << 8) | magnitudeByte(a, i);
            storeByte(i, quo, r / divisor);
            r = r % divisor;
        }
        for (i = 0; i < lb + 1 && i < 8; i += 1) storeByte(i, rem, (r >> (i * 8)) & 0xFF);
    } else {
        /* shift and subtract, a bit at a time; rem holds the running remainder */
        for (i = la * 8 - 1; i >= 0; i -= 1) {
            for (k = lb; k > 0; k -= 1)
                storeByte(k, rem, ((fetchByte(k, rem) << 1) | (fetchByte(k - 1, rem) >> 7)) & 0xFF);
            storeByte(0, rem, ((fetchByte(0, rem) << 1) | ((magnitudeByte(a, i >> 3) >> (i & 7)) & 1)) & 0xFF);
            bit = compareMagnitudes(rem, b) >= 0;
            if (bit) {
                borrow = 0;
                for (k = 0; k <= lb; k += 1) {
                    d = fetchByte(k, rem) - magnitudeByte(b, k) - borrow;
                    borrow = d < 0;
                    storeByte(k, rem, d & 0xFF);
                }
                storeByte(i >> 3, quo, fetchByte(i >> 3, quo) | (1 << (i & 7)));
            }
        }
    }
    storePointer(0, result, normalizedInteger(quo, quotientNegative));
    storePointer(1, result, normalizedInteger(rem, remainderNegative));
    if (fetchPointer(0, result) == 0 || fetchPointer(1, result) == 0) return 0;
    return result;
}

/* op 0 and, 1 or, 2 xor, on magnitudes */
sqInt bitOpMagnitudes(sqInt a, sqInt b, sqInt op)
{
    sqInt la = magnitudeLength(a), lb = magnitudeLength(b), n = la > lb ? la : lb, result, i, x, y;
    result = newLargeInteger(0, n > 0 ? n : 1);
    if (result == 0) return 0;
    for (i = 0; i < n; i += 1) {
        x = magnitudeByte(a, i);
        y = magnitudeByte(b, i);
        storeByte(i, result, op == 0 ? (x & y) : op == 1 ? (x | y) : (x ^ y));
    }
    return normalizedInteger(result, 0);
}

sqInt shiftMagnitude(sqInt a, sqInt shift, sqInt negative)
{
    sqInt la = significantLength(a), n, result, i, byteShift, bitShift, v;
    if (shift >= 0) {
        byteShift = shift >> 3;
        bitShift = shift & 7;
        n = la + byteShift + 1;
        result = newLargeInteger(negative, n);
        if (result == 0) return 0;
        for (i = 0; i < la + 1; i += 1) {
            v = (magnitudeByte(a, i) << bitShift) | (i > 0 ? magnitudeByte(a, i - 1) >> (8 - bitShift) : 0);
            if (bitShift == 0) v = magnitudeByte(a, i);
            storeByte(i + byteShift, result, v & 0xFF);
        }
    } else {
        byteShift = (-shift) >> 3;
        bitShift = (-shift) & 7;
        n = la - byteShift;
        if (n <= 0) return integerObjectOf(0);
        result = newLargeInteger(negative, n);
        if (result == 0) return 0;
        for (i = 0; i < n; i += 1)
            storeByte(i, result, ((magnitudeByte(a, i + byteShift) >> bitShift) | (magnitudeByte(a, i + byteShift + 1) << (8 - bitShift))) & 0xFF);
    }
    return normalizedInteger(result, negative);
}

void pushLargeResult(sqInt argCountToPop, sqInt result)
{
    if (result == 0) { primitiveFailFor(PrimErrNoMemory); return; }
    popThenPush(argCountToPop + 1, result);
}

/* dispatch by NamedPrimLarge* id; argumentCount arguments above the receiver */
void primitiveLargeIntegers(sqInt id)
{
    sqInt rcvr = stackValue(argumentCount), arg = argumentCount > 0 ? stackValue(argumentCount - 1) : nilObj, flag;
    if (!isAnyInteger(rcvr)) { primitiveFailFor(PrimErrBadReceiver); return; }
    if (id == NamedPrimLargeNormalizePositive || id == NamedPrimLargeNormalizeNegative) {
        pushLargeResult(0, isIntegerObject(rcvr) ? rcvr : normalizedInteger(rcvr, id == NamedPrimLargeNormalizeNegative));
        return;
    }
    if (!isAnyInteger(arg)) { primitiveFailFor(PrimErrBadArgument); return; }
    flag = argumentCount > 1 ? stackValue(0) : nilObj;
    if ((id == NamedPrimLargeMultiply || id == NamedPrimLargeDivide) && flag != trueObj && flag != falseObj) { primitiveFailFor(PrimErrBadArgument); return; }
    switch (id) {
    case NamedPrimLargeAdd: pushLargeResult(1, addMagnitudes(rcvr, arg, isNegativeInteger(rcvr))); return;
    case NamedPrimLargeSubtract:
        if (compareMagnitudes(rcvr, arg) >= 0) pushLargeResult(1, subtractMagnitudes(rcvr, arg, isNegativeInteger(rcvr)));
        else pushLargeResult(1, subtractMagnitudes(arg, rcvr, !isNegativeInteger(rcvr)));
        return;
    case NamedPrimLargeMultiply: pushLargeResult(2, multiplyMagnitudes(rcvr, arg, flag == trueObj)); return;
    case NamedPrimLargeDivide:
        if (significantLength(arg) == 0) { primitiveFailFor(PrimErrBadArgument); return; }
        pushLargeResult(2, divideMagnitudes(rcvr, arg, flag == trueObj, isNegativeInteger(rcvr)));
        return;
    case NamedPrimLargeCompare: popThenPush(2, integerObjectOf(compareMagnitudes(rcvr, arg))); return;
    case NamedPrimLargeBitAnd: case NamedPrimLargeBitOr: case NamedPrimLargeBitXor:
        if (isNegativeInteger(rcvr) || isNegativeInteger(arg)) { primitiveFailFor(PrimErrBadArgument); return; }
        pushLargeResult(1, bitOpMagnitudes(rcvr, arg, id - NamedPrimLargeBitAnd));
        return;
    case NamedPrimLargeBitShift:
        if (!isIntegerObject(arg) || integerValueOf(arg) > (sqInt)1 << 24) { primitiveFailFor(PrimErrBadArgument); return; }
        pushLargeResult(1, shiftMagnitude(rcvr, integerValueOf(arg), isNegativeInteger(rcvr)));
        return;
    default: primitiveFailFor(PrimErrNotFound); return;
    }
}
