/* Clocks and sleeping. */
#include <errno.h>
#include <time.h>

#include "platform.h"

/* seconds from 1901-01-01 (Squeak's epoch) to 1970-01-01 */
#define SqueakEpochOffsetSeconds 2177452800LL

sqInt platformMicroseconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (sqInt)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

sqInt platformUTCMicroseconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return ((sqInt)ts.tv_sec + SqueakEpochOffsetSeconds) * 1000000 + ts.tv_nsec / 1000;
}

sqInt platformLocalOffsetMicroseconds(void)
{
    time_t now = time(NULL);
    struct tm local;
    localtime_r(&now, &local);
    return (sqInt)local.tm_gmtoff * 1000000;
}

void platformSleepUntil(sqInt microseconds)
{
    sqInt delta = microseconds - platformMicroseconds();
    struct timespec ts;
    if (delta <= 0) return;
    ts.tv_sec = delta / 1000000;
    ts.tv_nsec = (delta % 1000000) * 1000;
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {}
}
