/* MiscPrimitivePlugin: the byte-string primitives Squeak and Pharo call by name (hash, compare,
 * search, translate), with Open-Smalltalk-VM's answers. The receiver is never used (these are
 * class-side helpers). Arguments are checked: a table must have 256 entries and indices must lie
 * inside the string, or the primitive fails and the image's Smalltalk version runs. */
#include "internal.h"

/* a bytes object of at least n bytes */
sqInt isByteTable(sqInt oop, sqInt n) { return isBytesObject(oop) && numBytesOf(oop) >= n; }

/* stringHash: aString initialHash: speciesHash — SmallInteger>>hashMultiply over the bytes */
void primitiveStringHash(void)
{
    sqInt string, initial, hash, low, i, n;
    if (!pluginArgumentCountIs(2)) return;
    string = stackValue(1);
    initial = stackValue(0);
    if (!isBytesObject(string) || !isIntegerObject(initial)) { primitiveFailFor(PrimErrBadArgument); return; }
    hash = integerValueOf(initial) & 0x0FFFFFFF;
    n = numBytesOf(string);
    for (i = 0; i < n; i += 1) {
        hash += fetchByte(i, string);
        low = hash & 16383;
        hash = (0x260D * low + (((0x260D * (hash >> 14) + 0x0065 * low) & 16383) * 16384)) & 0x0FFFFFFF;
    }
    popThenPush(3, integerObjectOf(hash));
}

/* compare: string1 with: string2 collated: order — 1, 2, 3 as string1 sorts before, with or
 * after string2, bytes compared through order */
void primitiveCompareString(void)
{
    sqInt s1, s2, order, n1, n2, n, i, c1, c2, result = 0;
    if (!pluginArgumentCountIs(3)) return;
    s1 = stackValue(2);
    s2 = stackValue(1);
    order = stackValue(0);
    if (!isBytesObject(s1) || !isBytesObject(s2) || !isByteTable(order, 256)) { primitiveFailFor(PrimErrBadArgument); return; }
    n1 = numBytesOf(s1);
    n2 = numBytesOf(s2);
    n = n1 < n2 ? n1 : n2;
    for (i = 0; i < n && result == 0; i += 1) {
        c1 = fetchByte(fetchByte(i, s1), order);
        c2 = fetchByte(fetchByte(i, s2), order);
        if (c1 != c2) result = c1 < c2 ? 1 : 3;
    }
    if (result == 0) result = n1 == n2 ? 2 : n1 < n2 ? 1 : 3;
    popThenPush(4, integerObjectOf(result));
}

/* findSubstring: key in: body startingAt: start matchTable: matchTable — the index of the first
 * match at or after start, 0 if none (or if key is empty) */
void primitiveFindSubstring(void)
{
    sqInt key, body, table, start, keySize, bodySize, at, k, found = 0;
    if (!pluginArgumentCountIs(4)) return;
    key = stackValue(3);
    body = stackValue(2);
    table = stackValue(0);
    if (!isBytesObject(key) || !isBytesObject(body) || !isIntegerObject(stackValue(1)) || !isByteTable(table, 256)) {
        primitiveFailFor(PrimErrBadArgument);
        return;
    }
    start = integerValueOf(stackValue(1));
    if (start < 1) { primitiveFailFor(PrimErrBadIndex); return; }
    keySize = numBytesOf(key);
    bodySize = numBytesOf(body);
    if (keySize > 0)
        for (at = start; at <= bodySize - keySize + 1 && found == 0; at += 1) {
            k = 0;
            while (k < keySize && fetchByte(fetchByte(at - 1 + k, body), table) == fetchByte(fetchByte(k, key), table)) k += 1;
            if (k == keySize) found = at;
        }
    popThenPush(5, integerObjectOf(found));
}

/* findFirstInString: aString inSet: inclusionMap startingAt: start — the index of the first
 * byte at or after start whose map entry is not 0; 0 if none or if the map is not 256 bytes */
void primitiveFindFirstInString(void)
{
    sqInt string, map, start, size, i;
    if (!pluginArgumentCountIs(3)) return;
    string = stackValue(2);
    map = stackValue(1);
    if (!isBytesObject(string) || !isBytesObject(map) || !isIntegerObject(stackValue(0))) { primitiveFailFor(PrimErrBadArgument); return; }
    start = integerValueOf(stackValue(0));
    if (start < 1) { primitiveFailFor(PrimErrBadIndex); return; }
    if (numBytesOf(map) != 256) { popThenPush(4, integerObjectOf(0)); return; }
    size = numBytesOf(string);
    i = start;
    while (i <= size && fetchByte(fetchByte(i - 1, string), map) == 0) i += 1;
    popThenPush(4, integerObjectOf(i > size ? 0 : i));
}

/* indexOfAscii: anInteger inString: aString startingAt: start — 0 if absent */
void primitiveIndexOfAsciiInString(void)
{
    sqInt value, string, start, size, i, found = 0;
    if (!pluginArgumentCountIs(3)) return;
    string = stackValue(1);
    if (!isIntegerObject(stackValue(2)) || !isBytesObject(string) || !isIntegerObject(stackValue(0))) { primitiveFailFor(PrimErrBadArgument); return; }
    value = integerValueOf(stackValue(2));
    start = integerValueOf(stackValue(0));
    if (start < 1) { primitiveFailFor(PrimErrBadIndex); return; }
    size = numBytesOf(string);
    for (i = start; i <= size && found == 0; i += 1)
        if (fetchByte(i - 1, string) == value) found = i;
    popThenPush(4, integerObjectOf(found));
}

/* translate: aString from: start to: stop table: table — each byte replaced by its table entry,
 * in place; answers the receiver */
void primitiveTranslateStringWithTable(void)
{
    sqInt string, table, start, stop, i;
    if (!pluginArgumentCountIs(4)) return;
    string = stackValue(3);
    table = stackValue(0);
    if (!isBytesObject(string) || !isIntegerObject(stackValue(2)) || !isIntegerObject(stackValue(1)) || !isByteTable(table, 256)) {
        primitiveFailFor(PrimErrBadArgument);
        return;
    }
    start = integerValueOf(stackValue(2));
    stop = integerValueOf(stackValue(1));
    if (start <= stop && (start < 1 || stop > numBytesOf(string))) { primitiveFailFor(PrimErrBadIndex); return; }
    if ((headerOf(string) & ImmutableBit) != 0) { primitiveFailFor(PrimErrNoModification); return; }
    for (i = start; i <= stop; i += 1) storeByte(i - 1, string, fetchByte(fetchByte(i - 1, string), table));
    popN(4);
}

/* convert8bitSignedFrom: aByteArray to16Bit: aSoundBuffer — each signed byte times 256 as a
 * 16-bit sample; answers the receiver */
void primitiveConvert8BitSigned(void)
{
    sqInt bytes, samples, n, i, s;
    if (!pluginArgumentCountIs(2)) return;
    bytes = stackValue(1);
    samples = stackValue(0);
    if (!isBytesObject(bytes) || bitsElementBytes(samples) == 0) { primitiveFailFor(PrimErrBadArgument); return; }
    n = numBytesOf(bytes);
    if (numBytesOf(samples) < n * 2) { primitiveFailFor(PrimErrBadIndex); return; }
    for (i = 0; i < n; i += 1) {
        s = fetchByte(i, bytes);
        storeShort16(i, samples, ((s > 127 ? s - 256 : s) * 256) & 0xFFFF);
    }
    popN(2);
}
