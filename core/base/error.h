/* Building ferry_error objects inside the library. */
#ifndef FERRY_BASE_ERROR_H
#define FERRY_BASE_ERROR_H

#include <ferry/ferry.h>

#if defined(__GNUC__)
#define FY_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define FY_PRINTF(fmt, args)
#endif

/* Sets *err (when err is not NULL and *err is NULL) to a new error with a
 * formatted one-line message; returns code so callers can `return fy_fail(...)`. */
ferry_status fy_fail(ferry_error **err, ferry_status code, const char *fmt, ...) FY_PRINTF(3, 4);

/* Puts "context: " in front of the message of *err, if there is one; returns
 * the error's code (or FERRY_OK when there is none). */
ferry_status fy_error_prefix(ferry_error **err, const char *fmt, ...) FY_PRINTF(2, 3);

/* Every fallible ferry_* function starts with this: a non-NULL *err on
 * entry fails the call at once, leaving *err as it was (ferry.h). */
#define FY_API_ENTRY(err)                      \
    do {                                       \
        if ((err) && *(err))                   \
            return FERRY_ERR_INVALID_ARGUMENT; \
    } while (0)

/* Moves a local error to the caller's out-parameter (or frees it). */
ferry_status fy_error_pass(ferry_error **out, ferry_error *local, ferry_status code);

#endif
