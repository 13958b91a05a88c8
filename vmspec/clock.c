/* The clocks and the session the image sees: the platform's, or in deterministic mode (talc
 * --deterministic: the lockstep check, exact resumes of crash snapshots) a virtual clock that is
 * the bytecode count, so that time depends only on what the image did and talc and talc-sim
 * agree on it. A wait with nothing to run then moves the count on, as if bytecodes had run. */
#include "internal.h"

void setDeterministic(sqInt on) { deterministicMode = on; }

/* the monotonic clock, in microseconds */
sqInt clockMicroseconds(void)
{
    if (deterministicMode) return DeterministicClockStart + bytecodeCount / DeterministicBytecodesPerMicrosecond;
    return platformMicroseconds();
}

/* microseconds since 1901-01-01 UTC */
sqLong clockUTCMicroseconds(void)
{
    if (deterministicMode) return DeterministicUTCStart + bytecodeCount / DeterministicBytecodesPerMicrosecond;
    return platformUTCMicroseconds();
}

sqInt clockLocalOffsetMicroseconds(void) { return deterministicMode ? 0 : platformLocalOffsetMicroseconds(); }

/* until the monotonic clock reads usecs: sleep, or move the virtual clock on */
void sleepUntilMicroseconds(sqInt usecs)
{
    sqInt count;
    if (!deterministicMode) {
        platformSleepUntil(usecs);
        return;
    }
    count = (usecs - DeterministicClockStart) * DeterministicBytecodesPerMicrosecond;
    if (count > bytecodeCount) bytecodeCount = count;
}

/* the id FilePlugin puts in handles: fixed in deterministic mode, the original session's in a
 * resumed crash snapshot (its handles stay valid), else this run's */
sqInt currentSessionId(void)
{
    if (deterministicMode) return DeterministicSessionId;
    if (resumedSessionId != 0) return resumedSessionId;
    return platformSessionId();
}
