#include "api/options.h"

#include <stddef.h>
#include <string.h>

#include "base/error.h"

/* Copies the first `sizes[version]` bytes of a caller's struct over the
 * defaults: a caller built against an older header has only those. */
static ferry_status read_versioned(void *out, const void *given, unsigned version, const size_t *sizes,
                                   unsigned current, const char *what, ferry_error **err)
{
    if (version < 1 || version > current)
        return fy_fail(err, FERRY_ERR_INVALID_ARGUMENT, "%s version %u is not one this library knows (1 to %u)",
                       what, version, current);
    memcpy(out, given, sizes[version]);
    return FERRY_OK;
}

ferry_status fy_model_options_read(ferry_model_options *out, const ferry_model_options *given, ferry_error **err)
{
    static const size_t sizes[] = { 0, offsetof(ferry_model_options, print), sizeof(ferry_model_options) };
    *out = (ferry_model_options)FERRY_MODEL_OPTIONS_INIT;
    if (!given)
        return FERRY_OK;
    ferry_status st = read_versioned(out, given, given->version, sizes, FERRY_MODEL_OPTIONS_VERSION,
                                     "ferry_model_options", err);
    out->version = FERRY_MODEL_OPTIONS_VERSION;
    return st;
}

ferry_status fy_writer_options_read(ferry_writer_options *out, const ferry_writer_options *given,
                                    ferry_error **err)
{
    static const size_t sizes[] = { 0, sizeof(ferry_writer_options) };
    *out = (ferry_writer_options)FERRY_WRITER_OPTIONS_INIT;
    if (!given)
        return FERRY_OK;
    ferry_status st = read_versioned(out, given, given->version, sizes, FERRY_WRITER_OPTIONS_VERSION,
                                     "ferry_writer_options", err);
    out->version = FERRY_WRITER_OPTIONS_VERSION;
    return st;
}

ferry_status fy_run_options_read(ferry_run_options *out, const ferry_run_options *given, ferry_error **err)
{
    static const size_t sizes[] = { 0, sizeof(ferry_run_options) };
    *out = (ferry_run_options)FERRY_RUN_OPTIONS_INIT;
    if (!given)
        return FERRY_OK;
    ferry_status st = read_versioned(out, given, given->version, sizes, FERRY_RUN_OPTIONS_VERSION,
                                     "ferry_run_options", err);
    out->version = FERRY_RUN_OPTIONS_VERSION;
    if (!st && out->timeout_ms < 0)
        st = fy_fail(err, FERRY_ERR_INVALID_ARGUMENT, "ferry_run_options: timeout_ms %lld is negative",
                     (long long)out->timeout_ms);
    return st;
}
