/* Option structs as callers built them, against any header version from 1
 * to this one: each is read into this library's own layout, members the
 * caller's version lacks taking their defaults. */
#ifndef FERRY_API_OPTIONS_H
#define FERRY_API_OPTIONS_H

#include <ferry/ferry.h>

/* *out = the caller's options (NULL: the defaults). Fails (INVALID_ARGUMENT)
 * for a version this library does not know. */
ferry_status fy_model_options_read(ferry_model_options *out, const ferry_model_options *given, ferry_error **err);
ferry_status fy_writer_options_read(ferry_writer_options *out, const ferry_writer_options *given,
                                    ferry_error **err);
ferry_status fy_run_options_read(ferry_run_options *out, const ferry_run_options *given, ferry_error **err);

/* The cancel flag behind a handle. */
#include <stdatomic.h>
const atomic_int *fy_cancel_flag(const ferry_cancel *cancel);

#endif
