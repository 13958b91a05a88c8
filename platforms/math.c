/* Floating point for the spec: bit casts and libm. */
#include <math.h>
#include <string.h>

#include "platform.h"

uint64_t platformDoubleBits(double d) { uint64_t u; memcpy(&u, &d, 8); return u; }
double platformDoubleFromBits(uint64_t bits) { double d; memcpy(&d, &bits, 8); return d; }
double platformTruncate(double d) { return trunc(d); }
sqInt platformFrexpExponent(double d) { int e; frexp(d, &e); return e; }
double platformLdexp(double d, sqInt exponent)
{
    if (exponent > 100000) exponent = 100000;
    if (exponent < -100000) exponent = -100000;
    return ldexp(d, (int)exponent);
}
double platformSqrt(double d) { return sqrt(d); }
double platformSin(double d) { return sin(d); }
double platformArctan(double d) { return atan(d); }
double platformLn(double d) { return log(d); }
double platformExp(double d) { return exp(d); }
