/* Reading, mapping and atomically writing files, with errors that name them. */
#ifndef FERRY_BASE_FILE_H
#define FERRY_BASE_FILE_H

#include <stddef.h>

#include <ferry/ferry.h>

/* Reads a whole regular file into a new malloc'd buffer (NUL-terminated
 * for convenience; *size excludes it). Files over `max_size` are refused. */
ferry_status fy_read_file(char **data, size_t *size, const char *path, size_t max_size,
                          ferry_error **err);

/* A read-only memory map of a whole file. */
typedef struct fy_mapping {
    const unsigned char *data;
    size_t size;
} fy_mapping;

ferry_status fy_map_file(fy_mapping *map, const char *path, ferry_error **err);
void fy_unmap_file(fy_mapping *map);

/* Asks the system to map in the pages of [p, p + size) now, in one call,
 * rather than one fault per page as they are first read (fy_prefault_read:
 * a file mapping about to be read whole) or written (fy_prefault_write:
 * fresh memory about to be filled). Only for spans of 256 KiB and more; a
 * hint, ignored where the system has no such call. */
void fy_prefault_read(const void *p, size_t size);
void fy_prefault_write(void *p, size_t size);

/* 1 for a regular file, 2 for a directory, 0 when absent or something else. */
int fy_path_kind(const char *path);

/* Joins dir and name with one '/', into a new string; NULL when out of memory. */
char *fy_path_join(const char *dir, const char *name);

/* The directory part of path ("." when there is none), as a new string. */
char *fy_path_dirname(const char *path);

/* 1 when path, with symlinks resolved, lies inside dir; 0 otherwise or when
 * either does not exist. */
int fy_path_inside(const char *path, const char *dir);

/* As fy_path_inside for a path that may not exist: when it does not, its
 * directory (resolved) must be dir or lie inside it. */
int fy_path_would_be_inside(const char *path, const char *dir);

/* malloc'd copy of s, NULL when out of memory. */
char *fy_strdup(const char *s);

/* malloc'd printf, NULL when out of memory. */
char *fy_sprintf(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

#endif
