/* realpath is an XSI function; madvise a BSD/Linux one. */
#define _XOPEN_SOURCE 700
#define _DEFAULT_SOURCE
#include "base/file.h"

#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/error.h"

static ferry_status io_fail(ferry_error **err, const char *what, const char *path)
{
    int e = errno;
    ferry_status code = (e == ENOENT || e == ENOTDIR) ? FERRY_ERR_NOT_FOUND : FERRY_ERR_IO;
    return fy_fail(err, code, "%s: %s: %s", path, what, strerror(e));
}

static ferry_status open_regular(int *fd_out, struct stat *st, const char *path, ferry_error **err)
{
    /* Non-blocking, so a FIFO or device in a file's place is refused below
     * instead of blocking the open until a writer comes; a regular file
     * reads the same either way. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return io_fail(err, "cannot open", path);
    if (fstat(fd, st) != 0) {
        ferry_status s = io_fail(err, "cannot stat", path);
        close(fd);
        return s;
    }
    if (!S_ISREG(st->st_mode)) {
        close(fd);
        return fy_fail(err, FERRY_ERR_IO, "%s: not a regular file", path);
    }
    int flags = fcntl(fd, F_GETFL);
    if (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) != 0) {
        ferry_status s = io_fail(err, "cannot set blocking reads", path);
        close(fd);
        return s;
    }
    *fd_out = fd;
    return FERRY_OK;
}

ferry_status fy_read_file(char **data, size_t *size, const char *path, size_t max_size,
                          ferry_error **err)
{
    int fd = -1;
    struct stat st;
    ferry_status s = open_regular(&fd, &st, path, err);
    if (s)
        return s;
    if ((unsigned long long)st.st_size > max_size) {
        close(fd);
        return fy_fail(err, FERRY_ERR_UNSUPPORTED, "%s: file of %lld bytes is larger than %zu bytes",
                       path, (long long)st.st_size, max_size);
    }
    size_t n = (size_t)st.st_size;
    char *buf = malloc(n + 1);
    if (!buf) {
        close(fd);
        return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "%s: out of memory reading %zu bytes", path, n);
    }
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, buf + got, n - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            s = io_fail(err, "read failed", path);
            free(buf);
            close(fd);
            return s;
        }
        if (r == 0)
            break; /* the file shrank while we read it */
        got += (size_t)r;
    }
    close(fd);
    buf[got] = '\0';
    *data = buf;
    *size = got;
    return FERRY_OK;
}

ferry_status fy_map_file(fy_mapping *map, const char *path, ferry_error **err)
{
    int fd = -1;
    struct stat st;
    ferry_status s = open_regular(&fd, &st, path, err);
    if (s)
        return s;
    map->size = (size_t)st.st_size;
    map->data = NULL;
    if (map->size > 0) {
        void *p = mmap(NULL, map->size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (p == MAP_FAILED) {
            s = io_fail(err, "cannot map", path);
            close(fd);
            return s;
        }
        map->data = p;
    }
    close(fd);
    return FERRY_OK;
}

void fy_unmap_file(fy_mapping *map)
{
    if (map && map->data && map->size)
        munmap((void *)map->data, map->size);
    if (map) {
        map->data = NULL;
        map->size = 0;
    }
}

/* Linux 5.14's madvise advice; the values are fixed by its ABI. */
#if defined(__linux__) && !defined(MADV_POPULATE_READ)
#define MADV_POPULATE_READ 22
#define MADV_POPULATE_WRITE 23
#endif

#define PREFAULT_MIN ((size_t)256 << 10)

static void prefault(const void *p, size_t size, int advice)
{
    long page = sysconf(_SC_PAGESIZE);
    if (size < PREFAULT_MIN || page <= 0)
        return;
    uintptr_t start = ((uintptr_t)p + (uintptr_t)page - 1) & ~((uintptr_t)page - 1);
    uintptr_t end = ((uintptr_t)p + size) & ~((uintptr_t)page - 1);
    if (end > start)
        (void)madvise((void *)start, end - start, advice);
}

void fy_prefault_read(const void *p, size_t size)
{
#ifdef MADV_POPULATE_READ
    prefault(p, size, MADV_POPULATE_READ);
#else
    (void)p, (void)size;
#endif
}

void fy_prefault_write(void *p, size_t size)
{
#ifdef MADV_POPULATE_WRITE
    prefault(p, size, MADV_POPULATE_WRITE);
#else
    (void)p, (void)size;
#endif
}

int fy_path_kind(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return 0;
    if (S_ISREG(st.st_mode))
        return 1;
    if (S_ISDIR(st.st_mode))
        return 2;
    return 0;
}

char *fy_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *c = malloc(n);
    if (c)
        memcpy(c, s, n);
    return c;
}

char *fy_sprintf(const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (s)
        vsnprintf(s, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    return s;
}

char *fy_path_join(const char *dir, const char *name)
{
    size_t dl = strlen(dir);
    if (dl == 0)
        return fy_strdup(name);
    return fy_sprintf("%s%s%s", dir, dir[dl - 1] == '/' ? "" : "/", name);
}

char *fy_path_dirname(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return fy_strdup(".");
    if (slash == path)
        return fy_strdup("/");
    size_t n = (size_t)(slash - path);
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, path, n);
        d[n] = '\0';
    }
    return d;
}

int fy_path_inside(const char *path, const char *dir)
{
    char p[PATH_MAX], d[PATH_MAX];
    if (!realpath(path, p) || !realpath(dir, d))
        return 0;
    size_t n = strlen(d);
    return strncmp(p, d, n) == 0 && (p[n] == '/' || (n == 1 && d[0] == '/'));
}

int fy_path_would_be_inside(const char *path, const char *dir)
{
    char p[PATH_MAX], d[PATH_MAX];
    if (realpath(path, p))
        return fy_path_inside(path, dir);
    char *parent = fy_path_dirname(path);
    int inside = parent && realpath(parent, p) && realpath(dir, d) &&
                 (!strcmp(p, d) || fy_path_inside(parent, dir));
    free(parent);
    return inside;
}
