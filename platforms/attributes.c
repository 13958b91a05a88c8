/* What Smalltalk getSystemAttribute: answers, and the session id. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "platform_internal.h"
#include "../vmspec/vm.h"


static char vmPath[4096];
static char vmVersion[128];
static struct utsname host;

/* the text of attribute n, or NULL */
static const char *attribute(sqInt n)
{
    /* deterministic mode: the same answers from talc and talc-sim */
    if (n == 0 && platformDeterministic()) return "talc";
    if (n == 1004 && platformDeterministic()) {
        snprintf(vmVersion, sizeof vmVersion, "Talc %s deterministic (%d-bit)", TALC_VERSION, (int)vmWordBytes() * 8);
        return vmVersion;
    }
    if (n == 0) {
        if (!vmPath[0]) {
            ssize_t len = readlink("/proc/self/exe", vmPath, sizeof vmPath - 1);
            if (len < 0) len = 0;
            vmPath[len] = '\0';
        }
        return vmPath;
    }
    if (n == 1) return platformImagePath();
    if (n < 0) return platformVMOption(-n - 1);
    if (n >= 2 && n - 2 < platformArgumentCount()) return platformArgument(n - 2);
    if (n == 1004) {
        if (!vmVersion[0])
            snprintf(vmVersion, sizeof vmVersion, "Talc %s %s (%d-bit)", TALC_VERSION, TALC_FLAVOUR, (int)vmWordBytes() * 8);
        return vmVersion;
    }
    /* 1005-1009 as Open-Smalltalk-VM answers them; Pharo's VirtualMachine>>version (used by
     * its error reports) concatenates them and fails on a nil */
    if (n == 1005) return "none";
    if (n == 1006) return "Talc " TALC_VERSION " " TALC_FLAVOUR;
    if (n == 1007) return "StackInterpreter (Talc " TALC_FLAVOUR ")";
    if (n == 1008) return "no JIT";
    if (n == 1009) return "Talc " TALC_VERSION;
    if (n >= 1001 && n <= 1003) {
        if (!host.sysname[0]) uname(&host);
        return n == 1001 ? "unix" : n == 1002 ? host.release : host.machine;
    }
    return NULL;
}

sqInt platformAttributeLength(sqInt n)
{
    const char *a = attribute(n);
    return a ? (sqInt)strlen(a) : -1;
}

sqInt platformCopyAttribute(sqInt n, sqInt address, sqInt maxLength)
{
    const char *a = attribute(n);
    sqInt len;
    if (!a) return -1;
    len = (sqInt)strlen(a);
    if (len > maxLength) len = maxLength;
    if (len > 0) memcpy(vmHostPointer(address, len), a, (size_t)len);
    return len;
}

sqInt platformSessionId(void)
{
    static sqInt session;
    while (session == 0) session = (sqInt)(((unsigned)time(NULL) ^ ((unsigned)getpid() << 16)) & 0x7FFFFFFF);
    return session;
}
