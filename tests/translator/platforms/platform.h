/* The fixture's platform interface. */
#ifndef FIXTURE_PLATFORM_H
#define FIXTURE_PLATFORM_H

#include <stdint.h>

typedef intptr_t sqInt;

void platformPrintInteger(sqInt value);
_Noreturn void vmAssertFailed(const char *expr, const char *file, int line);

#endif
