/* The checkpoint-reading part of the C ABI (the reader is format/checkpoint). */
#include <ferry/ferry.h>

#include "base/error.h"
#include "format/checkpoint.h"

ferry_status ferry_checkpoint_open(ferry_checkpoint **out, const char *path, ferry_error **err)
{
    FY_API_ENTRY(err);
    return fy_checkpoint_open(out, path, err);
}

void ferry_checkpoint_free(ferry_checkpoint *c)
{
    fy_checkpoint_free(c);
}

const char *ferry_checkpoint_prefix(const ferry_checkpoint *c)
{
    return fy_checkpoint_prefix(c);
}

size_t ferry_checkpoint_variable_count(const ferry_checkpoint *c)
{
    return fy_checkpoint_variable_count(c);
}

const ferry_variable_info *ferry_checkpoint_variable(const ferry_checkpoint *c, size_t index)
{
    return fy_checkpoint_variable(c, index);
}

const ferry_variable_info *ferry_checkpoint_find(const ferry_checkpoint *c, const char *name)
{
    return fy_checkpoint_find(c, name);
}

ferry_status ferry_checkpoint_read(ferry_tensor **out, const ferry_checkpoint *c, const char *name,
                                   ferry_error **err)
{
    FY_API_ENTRY(err);
    return fy_checkpoint_read(out, c, name, err);
}

ferry_status ferry_checkpoint_read_into(const ferry_checkpoint *c, const char *name, void *buffer,
                                        size_t size, ferry_error **err)
{
    FY_API_ENTRY(err);
    return fy_checkpoint_read_into(c, name, buffer, size, err);
}

ferry_status ferry_checkpoint_read_slice(ferry_tensor **out, const ferry_checkpoint *c,
                                         const char *name, const int64_t *start,
                                         const int64_t *length, int rank, ferry_error **err)
{
    FY_API_ENTRY(err);
    return fy_checkpoint_read_slice(out, c, name, start, length, rank, err);
}

ferry_status ferry_checkpoint_view(const void **data, size_t *size, const ferry_checkpoint *c,
                                   const char *name, ferry_error **err)
{
    FY_API_ENTRY(err);
    return fy_checkpoint_view(data, size, c, name, err);
}
