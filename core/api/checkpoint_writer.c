/* The checkpoint-writing part of the C ABI. */
#include <stdlib.h>

#include <ferry/ferry.h>

#include "api/options.h"
#include "base/error.h"
#include "base/file.h"
#include "format/bundle_writer.h"
#include "format/checkpoint_path.h"

struct ferry_checkpoint_writer {
    fy_bundle_writer *bundle;
    char *prefix;
    int update_state_file;
};

ferry_status ferry_checkpoint_writer_new(ferry_checkpoint_writer **out, const char *prefix,
                                         const ferry_writer_options *given, ferry_error **err)
{
    FY_API_ENTRY(err);
    if (!out || !prefix || !prefix[0])
        return fy_fail(err, FERRY_ERR_INVALID_ARGUMENT, "ferry_checkpoint_writer_new: out and prefix are required");
    ferry_writer_options opts;
    if (fy_writer_options_read(&opts, given, err))
        return FERRY_ERR_INVALID_ARGUMENT;
    const ferry_writer_options *options = &opts;
    ferry_checkpoint_writer *w = calloc(1, sizeof(*w));
    if (!w || !(w->prefix = fy_strdup(prefix))) {
        free(w);
        return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    }
    w->update_state_file = options->update_state_file;
    ferry_status st = fy_bundle_writer_new(&w->bundle, prefix, options->num_shards ? options->num_shards : 1, err);
    if (st) {
        free(w->prefix);
        free(w);
        return st;
    }
    *out = w;
    return FERRY_OK;
}

ferry_status ferry_checkpoint_writer_add(ferry_checkpoint_writer *w, const char *name,
                                         const ferry_tensor *tensor, ferry_error **err)
{
    FY_API_ENTRY(err);
    if (!w)
        return fy_fail(err, FERRY_ERR_INVALID_ARGUMENT, "ferry_checkpoint_writer_add: writer is NULL");
    return fy_bundle_writer_add(w->bundle, name, tensor, err);
}

ferry_status ferry_checkpoint_writer_add_slice(ferry_checkpoint_writer *w, const char *name,
                                               const int64_t *full_dims, int rank,
                                               const int64_t *start, const ferry_tensor *slice,
                                               ferry_error **err)
{
    FY_API_ENTRY(err);
    if (!w)
        return fy_fail(err, FERRY_ERR_INVALID_ARGUMENT, "ferry_checkpoint_writer_add_slice: writer is NULL");
    return fy_bundle_writer_add_slice(w->bundle, name, full_dims, rank, start, slice, err);
}

ferry_status ferry_checkpoint_writer_finish(ferry_checkpoint_writer *w, ferry_error **err)
{
    FY_API_ENTRY(err);
    if (!w)
        return fy_fail(err, FERRY_ERR_INVALID_ARGUMENT, "ferry_checkpoint_writer_finish: writer is NULL");
    ferry_status st = fy_bundle_writer_finish(w->bundle, err);
    if (!st && w->update_state_file)
        st = fy_checkpoint_state_record(w->prefix, err);
    return st;
}

void ferry_checkpoint_writer_free(ferry_checkpoint_writer *w)
{
    if (!w)
        return;
    fy_bundle_writer_free(w->bundle);
    free(w->prefix);
    free(w);
}
