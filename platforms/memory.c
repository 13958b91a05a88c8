/* Production VM memory: a real reservation; VM addresses are host addresses. The reservation
 * is address space only (PROT_NONE): the spec commits what it uses (old space grows by
 * segments) and gives back what it no longer needs. */
#include <stddef.h>
#include <sys/mman.h>
#include <unistd.h>

#include "platform_internal.h"

void *vmHostPointer(sqInt address, sqInt length)
{
    (void)length;
    return (void *)address;
}

/* A 32-bit flavour's oops are 32-bit addresses: its heap must lie below 4 GiB. */
sqInt platformReserveMemory(sqInt bytes, sqInt wantLowAddress)
{
    void *p = MAP_FAILED;
    if (wantLowAddress) {
        uintptr_t hint;
        if ((uint64_t)bytes >= 0xF0000000ULL) return 0;
        for (hint = 0x10000000; p == MAP_FAILED && hint + (uintptr_t)bytes < 0x100000000ULL; hint += 0x10000000) {
            p = mmap((void *)hint, (size_t)bytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);
            if (p != MAP_FAILED && (uintptr_t)p != hint) { munmap(p, (size_t)bytes); p = MAP_FAILED; }
        }
        if (p == MAP_FAILED) p = mmap(NULL, (size_t)bytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_32BIT, -1, 0);
    } else {
        p = mmap(NULL, (size_t)bytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    }
    return p == MAP_FAILED ? 0 : (sqInt)(uintptr_t)p;
}

static uintptr_t pageSize(void)
{
    static uintptr_t size;
    if (!size) size = (uintptr_t)sysconf(_SC_PAGESIZE);
    return size;
}

sqInt platformCommitMemory(sqInt address, sqInt bytes)
{
    uintptr_t start = (uintptr_t)address & ~(pageSize() - 1);
    uintptr_t end = ((uintptr_t)address + (uintptr_t)bytes + pageSize() - 1) & ~(pageSize() - 1);
    return mprotect((void *)start, end - start, PROT_READ | PROT_WRITE) == 0;
}

void platformDecommitMemory(sqInt address, sqInt bytes)
{
    uintptr_t start = ((uintptr_t)address + pageSize() - 1) & ~(pageSize() - 1);
    uintptr_t end = ((uintptr_t)address + (uintptr_t)bytes) & ~(pageSize() - 1);
    if (end <= start) return;
    madvise((void *)start, end - start, MADV_DONTNEED);
    mprotect((void *)start, end - start, PROT_NONE);
}

void platformReleasePages(sqInt address, sqInt bytes)
{
    uintptr_t start = ((uintptr_t)address + pageSize() - 1) & ~(pageSize() - 1);
    uintptr_t end = ((uintptr_t)address + (uintptr_t)bytes) & ~(pageSize() - 1);
    if (end > start) madvise((void *)start, end - start, MADV_DONTNEED);
}

void platformFatalHook(void) {}
void platformSimStats(void) {}
void platformSimUsage(FILE *out) { (void)out; }
int platformSimExit(int status) { return status; }
int platformSimOption(int argc, char **argv, int *i) { (void)argc; (void)argv; (void)i; return 0; }
