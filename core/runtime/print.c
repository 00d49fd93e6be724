/* Where a model's Print and PrintV2 ops write: the caller's print function
 * from the load options, else standard error (standard output for the
 * "stdout" stream); nothing with FERRY_LOAD_DISCARD_PRINT. A "file://"
 * stream appends to that file, which only a load allowing file ops reaches
 * (fy_node_touches_outside). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "runtime/runtime.h"

#define FILE_PREFIX "file://"

static ferry_status append_to_file(const char *path, const char *text, size_t size, ferry_error **err)
{
    FILE *f = fopen(path, "ab");
    if (!f)
        return fy_fail(err, FERRY_ERR_IO, "cannot open '%s' to print to", path);
    size_t wrote = fwrite(text, 1, size, f);
    if (fclose(f) != 0 || wrote != size)
        return fy_fail(err, FERRY_ERR_IO, "cannot print to '%s'", path);
    return FERRY_OK;
}

static ferry_status runtime_print(const fy_print_sink *sink, const char *stream, const char *text, size_t size,
                                  ferry_error **err)
{
    const fy_runtime_config *config = &((const fy_runtime *)sink->owner)->config;
    if (config->flags & FERRY_LOAD_DISCARD_PRINT)
        return FERRY_OK;
    if (!strncmp(stream, FILE_PREFIX, strlen(FILE_PREFIX))) {
        if (!(config->flags & FERRY_LOAD_ALLOW_FILE_OPS))
            return fy_fail(err, FERRY_ERR_REFUSED, "printing to '%s' writes a file; load with "
                           "FERRY_LOAD_ALLOW_FILE_OPS to allow it", stream);
        return append_to_file(stream + strlen(FILE_PREFIX), text, size, err);
    }
    if (config->print) {
        config->print(config->print_context, stream, text, size);
        return FERRY_OK;
    }
    FILE *f = strcmp(stream, "stdout") ? stderr : stdout;
    fwrite(text, 1, size, f);
    fflush(f);
    return FERRY_OK;
}

static long runtime_times(const fy_print_sink *sink, const fy_node *node)
{
    const fy_runtime *rt = sink->owner;
    ptrdiff_t i = node - rt->graph.nodes;
    return i >= 0 && i < rt->print_nodes ? atomic_fetch_add(&rt->print_times[i], 1) : 0;
}

ferry_status fy_runtime_print_init(fy_runtime *rt, ferry_error **err)
{
    rt->print_sink = (fy_print_sink){ runtime_print, runtime_times, rt };
    rt->print_times = calloc((size_t)rt->graph.node_count + 1, sizeof(atomic_long));
    if (!rt->print_times)
        return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    rt->print_nodes = rt->graph.node_count;
    return FERRY_OK;
}

int fy_node_touches_outside(const fy_runtime *rt, int i)
{
    const fy_op_def *d = rt->ops[i];
    if (!d)
        return 0;
    if (d->traits & FY_OP_OUTSIDE)
        return 1;
    if (strcmp(d->name, "PrintV2"))
        return 0;
    char stream[16];
    fy_attr_string(&rt->graph.nodes[i], "output_stream", stream, sizeof(stream), "stderr");
    return !strncmp(stream, FILE_PREFIX, strlen(FILE_PREFIX));
}
