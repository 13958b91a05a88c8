/* The image file: opened by main, read into VM memory by the spec's loader. */
#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "platform_internal.h"

static int imageFd = -1;
static sqInt imageSize;
static const char *imagePath = "";
static const char *snapshotPath;
static char imageFullPath[PATH_MAX];

void platformSetSnapshotPath(const char *path) { snapshotPath = path; }

int platformOpenImage(const char *path)
{
    struct stat st;
    imagePath = path;
    imageFd = open(path, O_RDONLY);
    if (imageFd < 0) return 0;
    if (fstat(imageFd, &st) != 0) return 0;
    /* the image knows itself by its full path, as under Open-Smalltalk-VM (Pharo derives its
     * directory, and the names of images it saves, from it) */
    if (realpath(path, imageFullPath)) imagePath = imageFullPath;
    imageSize = (sqInt)st.st_size;
    return 1;
}

void platformCloseImage(void)
{
    if (imageFd >= 0) close(imageFd);
    imageFd = -1;
}

const char *platformImagePath(void) { return imagePath; }
sqInt platformImageFileSize(void) { return imageSize; }

sqInt platformReadImageBytes(sqInt fileOffset, sqInt address, sqInt length)
{
    char *dst = vmHostPointer(address, length);
    sqInt done = 0;
    while (done < length) {
        ssize_t n = pread(imageFd, dst + done, (size_t)(length - done), (off_t)(fileOffset + done));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        done += n;
    }
    return done == length ? done : (done > 0 ? done : -1);
}

static int writeAll(int fd, const char *p, sqInt n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, (size_t)n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return 0;
        p += w;
        n -= w;
    }
    return 1;
}

sqInt platformWriteImageFile(sqInt target, sqInt headerAddress, sqInt headerLength, sqInt bodyAddress, sqInt bodyLength,
                             sqInt trailerAddress, sqInt trailerLength)
{
    const char *path = target != 0 ? platformCrashSnapshotPath(target) : snapshotPath ? snapshotPath : imagePath;
    char tmp[4096 + 16];
    int fd, ok;
    if (!path || strlen(path) > 4096) return -1;
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) return -1;
    ok = writeAll(fd, vmHostPointer(headerAddress, headerLength), headerLength)
         && writeAll(fd, vmHostPointer(bodyAddress, bodyLength), bodyLength)
         && (trailerLength == 0 || writeAll(fd, vmHostPointer(trailerAddress, trailerLength), trailerLength));
    if (close(fd) != 0) ok = 0;
    if (!ok || rename(tmp, path) != 0) {
        unlink(tmp);
        return -1;
    }
    return 0;
}

sqInt platformImageNameLength(void) { return (sqInt)strlen(imagePath); }

sqInt platformCopyImageName(sqInt address, sqInt maxLength)
{
    sqInt n = (sqInt)strlen(imagePath);
    if (n > maxLength) n = maxLength;
    memcpy(vmHostPointer(address, n), imagePath, (size_t)n);
    return n;
}
