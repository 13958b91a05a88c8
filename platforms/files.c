/* Files and directories for FilePlugin, by the platform's file number: a POSIX file descriptor
 * (0, 1, 2 the standard streams). Unbuffered, so that position, size and truncation always
 * agree with what was written. Names are bytes in VM memory (not NUL-terminated), passed on to
 * the system as they are, as Open-Smalltalk-VM's Unix FilePlugin does. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "platform_internal.h"

/* seconds from 1901-01-01 (Squeak's epoch) to 1970-01-01 (Unix's) */
#define SQUEAK_EPOCH_OFFSET 2177452800LL

/* a VM string as a NUL-terminated path; "." for an empty one when emptyIsDot; 0 if too long */
static int copyPath(char *out, size_t size, sqInt address, sqInt length, int emptyIsDot)
{
    if (length < 0 || (size_t)length >= size) return 0;
    if (length == 0) {
        strcpy(out, emptyIsDot ? "." : "");
        return 1;
    }
    memcpy(out, vmHostPointer(address, length), (size_t)length);
    out[length] = '\0';
    return (sqInt)strlen(out) == length; /* an embedded NUL would name another file */
}

static int openRetrying(const char *path, int flags, mode_t mode)
{
    int fd;
    do fd = open(path, flags | O_CLOEXEC, mode);
    while (fd < 0 && errno == EINTR);
    return fd;
}

/* Open-Smalltalk-VM's rules: for writing, the existing file read-write (write-only if it may not
 * be read), else a new one; never truncated; the position at the start */
sqInt platformFileOpen(sqInt nameAddress, sqInt nameLength, sqInt writable)
{
    char path[PATH_MAX];
    int fd;
    if (!copyPath(path, sizeof path, nameAddress, nameLength, 0) || !path[0]) return -1;
    if (!writable) return openRetrying(path, O_RDONLY, 0);
    fd = openRetrying(path, O_RDWR, 0);
    if (fd < 0 && errno == EACCES) fd = openRetrying(path, O_WRONLY, 0);
    else if (fd < 0 && errno == ENOENT) {
        fd = openRetrying(path, O_RDWR | O_CREAT | O_EXCL, 0666);
        if (fd < 0 && errno == EEXIST) fd = openRetrying(path, O_RDWR, 0);
    }
    return fd;
}

/* a file that must not exist yet, read-write (write-only if it may not be read): -2 if it exists */
sqInt platformFileOpenNew(sqInt nameAddress, sqInt nameLength)
{
    char path[PATH_MAX];
    int fd;
    if (!copyPath(path, sizeof path, nameAddress, nameLength, 0) || !path[0]) return -1;
    fd = openRetrying(path, O_RDWR | O_CREAT | O_EXCL, 0666);
    if (fd < 0 && errno == EACCES) fd = openRetrying(path, O_WRONLY | O_CREAT | O_EXCL, 0222);
    return fd >= 0 ? fd : errno == EEXIST ? -2 : -1;
}

/* the standard streams stay open (the VM reports through stderr): only the handle dies */
sqInt platformFileClose(sqInt file)
{
    if (file < 0) return -1;
    if (file <= 2) return 0;
    return close((int)file) == 0 ? 0 : -1;
}

sqInt platformFileRead(sqInt file, sqInt address, sqInt length)
{
    ssize_t n;
    if (file < 0 || length < 0) return -1;
    if (length == 0) return 0;
    if (file == 1 || file == 2) return -1;
    do n = read((int)file, vmHostPointer(address, length), (size_t)length);
    while (n < 0 && errno == EINTR);
    return n < 0 ? -1 : (sqInt)n;
}

/* stdout and stderr go through the console's buffered streams; files straight to the descriptor */
sqInt platformFileWrite(sqInt file, sqInt address, sqInt length)
{
    const char *p;
    sqInt done = 0;
    ssize_t n;
    if (file < 0 || length < 0) return -1;
    if (file == 1 || file == 2) return platformWrite(file, address, length);
    if (length == 0) return 0;
    if (file == 0) return -1;
    p = vmHostPointer(address, length);
    while (done < length) {
        n = write((int)file, p + done, (size_t)(length - done));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return done > 0 ? done : -1;
        done += n;
    }
    return done;
}

sqInt platformFileFlush(sqInt file)
{
    if (file == 1 || file == 2) return platformFlush(file) == 0 ? 0 : -1;
    return file >= 0 ? 0 : -1;
}

sqInt platformFileSync(sqInt file)
{
    if (file == 1 || file == 2) platformFlush(file);
    return file >= 0 && fsync((int)file) == 0 ? 0 : -1;
}

sqInt platformFileGetPosition(sqInt file)
{
    off_t at;
    if (file < 0) return -1;
    if (file == 1 || file == 2) platformFlush(file);
    at = lseek((int)file, 0, SEEK_CUR);
    return at < 0 ? -1 : (sqInt)at;
}

sqInt platformFileSetPosition(sqInt file, sqInt position)
{
    if (file < 0 || position < 0) return -1;
    if (file == 1 || file == 2) platformFlush(file);
    return lseek((int)file, (off_t)position, SEEK_SET) < 0 ? -1 : 0;
}

sqInt platformFileSize(sqInt file)
{
    struct stat st;
    if (file < 0) return -1;
    if (file == 1 || file == 2) platformFlush(file);
    return fstat((int)file, &st) != 0 ? -1 : S_ISREG(st.st_mode) ? (sqInt)st.st_size : 0;
}

/* at the end: a regular file's position at or beyond its size; the output streams never; other
 * streams (a terminal, a pipe) when nothing more is waiting and the writer has gone */
sqInt platformFileAtEnd(sqInt file)
{
    struct stat st;
    off_t at;
    if (file < 0) return -1;
    if (file == 1 || file == 2) return 0;
    if (fstat((int)file, &st) != 0) return -1;
    if (S_ISREG(st.st_mode)) {
        at = lseek((int)file, 0, SEEK_CUR);
        return at < 0 ? -1 : at >= st.st_size;
    }
    return 0;
}

sqInt platformFileTruncate(sqInt file, sqInt size)
{
    if (file < 0 || size < 0) return -1;
    return ftruncate((int)file, (off_t)size) == 0 ? 0 : -1;
}

/* Open-Smalltalk-VM's sqFileDescriptorType: 1 a terminal, 2 a pipe, 3 a file, -1 an error */
sqInt platformFileDescriptorType(sqInt fd)
{
    struct stat st;
    if (fd < 0 || fd > INT_MAX) return -1;
    if (isatty((int)fd)) return 1;
    if (fstat((int)fd, &st) != 0) return -1;
    return S_ISFIFO(st.st_mode) ? 2 : 3;
}

sqInt platformFileDelete(sqInt nameAddress, sqInt nameLength)
{
    char path[PATH_MAX];
    if (!copyPath(path, sizeof path, nameAddress, nameLength, 0) || !path[0]) return -1;
    return remove(path) == 0 ? 0 : -1;
}

sqInt platformFileRename(sqInt oldAddress, sqInt oldLength, sqInt newAddress, sqInt newLength)
{
    char from[PATH_MAX], to[PATH_MAX];
    if (!copyPath(from, sizeof from, oldAddress, oldLength, 0) || !copyPath(to, sizeof to, newAddress, newLength, 0)
        || !from[0] || !to[0])
        return -1;
    return rename(from, to) == 0 ? 0 : -1;
}

sqInt platformDirectoryCreate(sqInt pathAddress, sqInt pathLength)
{
    char path[PATH_MAX];
    if (!copyPath(path, sizeof path, pathAddress, pathLength, 0) || !path[0]) return -1;
    return mkdir(path, 0777) == 0 ? 0 : -1;
}

/* ---- directory entries: the last one found, read field by field ---- */
static struct {
    char name[NAME_MAX + 1];
    sqInt nameLength, created, modified, isDirectory, size, permissions, isSymlink;
} entry;

/* the open directory of the last lookup, kept so that listing entry 1, 2, 3... reads on */
static DIR *lookupDir;
static char lookupPath[PATH_MAX];
static sqInt lookupIndex;

static void forgetLookupDir(void)
{
    if (lookupDir) closedir(lookupDir);
    lookupDir = NULL;
    lookupPath[0] = '\0';
    lookupIndex = 0;
}

sqInt platformDirectoryDelete(sqInt pathAddress, sqInt pathLength)
{
    char path[PATH_MAX];
    if (!copyPath(path, sizeof path, pathAddress, pathLength, 0) || !path[0]) return -1;
    if (lookupDir && !strcmp(path, lookupPath)) forgetLookupDir();
    return rmdir(path) == 0 ? 0 : -1;
}

/* Smalltalk's seconds: local time since 1901, as Open-Smalltalk-VM's convertToSqueakTime */
static sqInt squeakSeconds(time_t t)
{
    struct tm local;
    long offset = 0;
    if (localtime_r(&t, &local)) offset = local.tm_gmtoff;
    return (sqInt)t + offset + SQUEAK_EPOCH_OFFSET;
}

/* fills entry for name in dir (an existing directory path); an entry that cannot be examined
 * keeps only its name, as Open-Smalltalk-VM answers it */
static void describeEntry(const char *dir, const char *name)
{
    char full[PATH_MAX * 2 + 2];
    struct stat st, lst;
    size_t n = strlen(name);
    memset(&entry, 0, sizeof entry);
    if (n > NAME_MAX) n = NAME_MAX;
    memcpy(entry.name, name, n);
    entry.nameLength = (sqInt)n;
    snprintf(full, sizeof full, "%s/%s", dir, name);
    if (lstat(full, &lst) == 0 && S_ISLNK(lst.st_mode)) entry.isSymlink = 1;
    if (stat(full, &st) != 0 && lstat(full, &st) != 0) return;
    entry.created = squeakSeconds(st.st_ctime);
    entry.modified = squeakSeconds(st.st_mtime);
    entry.isDirectory = S_ISDIR(st.st_mode) ? 1 : 0;
    entry.size = entry.isDirectory ? 0 : (sqInt)st.st_size;
    entry.permissions = (sqInt)(st.st_mode & 07777);
}

/* the index-th entry (from 1, '.' and '..' left out) of the directory at path (empty: the
 * current one): 0 found (read it with platformDirEntry*), 1 no such entry, 2 not a directory */
sqInt platformDirectoryLookup(sqInt pathAddress, sqInt pathLength, sqInt index)
{
    char path[PATH_MAX];
    struct dirent *d;
    if (!copyPath(path, sizeof path, pathAddress, pathLength, 1)) return 2;
    if (!lookupDir || strcmp(path, lookupPath) != 0) {
        forgetLookupDir();
        lookupDir = opendir(path);
        if (!lookupDir) return 2;
        strcpy(lookupPath, path);
    }
    if (index < 1) return 1;
    if (index != lookupIndex + 1) { /* not the next one: read again from the start */
        rewinddir(lookupDir);
        lookupIndex = 0;
    }
    for (;;) {
        errno = 0;
        d = readdir(lookupDir);
        if (!d) {
            forgetLookupDir(); /* a later listing sees the directory as it is then */
            return 1;
        }
        if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, "..")) continue;
        lookupIndex += 1;
        if (lookupIndex == index) break;
    }
    describeEntry(path, d->d_name);
    return 0;
}

/* the entry name in the directory at path: 0 found, 1 no such entry, 2 not a directory */
sqInt platformDirectoryEntry(sqInt pathAddress, sqInt pathLength, sqInt nameAddress, sqInt nameLength)
{
    char path[PATH_MAX], name[NAME_MAX + 1], full[PATH_MAX * 2 + 2];
    struct stat st;
    if (!copyPath(path, sizeof path, pathAddress, pathLength, 1)) return 2;
    if (!copyPath(name, sizeof name, nameAddress, nameLength, 0)) return 1;
    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) return 2;
    snprintf(full, sizeof full, "%s/%s", path, name);
    if (stat(full, &st) != 0 && lstat(full, &st) != 0) return 1;
    describeEntry(path, name);
    return 0;
}

sqInt platformDirEntryNameLength(void) { return entry.nameLength; }

sqInt platformDirEntryCopyName(sqInt address, sqInt maxLength)
{
    sqInt n = entry.nameLength < maxLength ? entry.nameLength : maxLength;
    if (n > 0) memcpy(vmHostPointer(address, n), entry.name, (size_t)n);
    return n;
}

/* a field of the entry found last: 0 creation and 1 modification time (Smalltalk seconds),
 * 2 is a directory, 3 size in bytes, 4 POSIX permissions, 5 is a symbolic link */
sqInt platformDirEntryField(sqInt field)
{
    switch (field) {
    case 0: return entry.created;
    case 1: return entry.modified;
    case 2: return entry.isDirectory;
    case 3: return entry.size;
    case 4: return entry.permissions;
    case 5: return entry.isSymlink;
    default: return 0;
    }
}
