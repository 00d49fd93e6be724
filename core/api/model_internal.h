/* The model handle, shared by the files of the C ABI that describe and run it. */
#ifndef FERRY_API_MODEL_INTERNAL_H
#define FERRY_API_MODEL_INTERNAL_H

#include <ferry/ferry.h>

#include <pthread.h>

#include "base/budget.h"
#include "format/model_file.h"
#include "runtime/runtime.h"

struct ferry_signature {
    const ferry_model *model;
    const char *key;
    const char *method;
    ferry_tensor_info *inputs, *outputs;  /* sorted by logical name */
    size_t input_count, output_count;
    fy_plan *plan;                        /* NULL when it cannot run; see not_runnable */
    ferry_dtype *feed_dtypes;             /* what the graph takes for each input */
    const char *not_runnable;             /* why, for signatures Ferry cannot run */
};

/* Plans made on demand by ferry_model_run, keyed by feeds|fetches|targets. */
typedef struct fy_cached_plan {
    char *key;
    fy_plan *plan;
    struct fy_cached_plan *next;
} fy_cached_plan;

struct ferry_model {
    fy_model_file file;
    unsigned flags;
    ferry_signature *signatures;          /* sorted by key */
    size_t signature_count;
    ferry_node_info *nodes;
    const char **ops;                     /* sorted, unique */
    size_t op_count;
    const char **stripped_ops;
    size_t stripped_op_count;
    ferry_collection *collections;
    size_t collection_count;
    ferry_saver_info saver;
    int has_saver;
    ferry_asset_info *assets;
    size_t asset_count;
    fy_runtime runtime;
    int has_runtime;
    fy_budget budget;                     /* the memory limit, when one was set */
    fy_cached_plan *plans;
    pthread_mutex_t plans_lock;
    /* Everything above points into `file` or into these allocations. */
    void **owned;
    size_t owned_count, owned_cap;
};

/* Remembers an allocation to free with the model; returns p, or NULL (and
 * frees p) when out of memory. */
void *fy_model_keep(ferry_model *m, void *p);

/* Imports the graph, restores variables, runs init ops and prepares every
 * signature's plan. */
ferry_status fy_model_prepare(ferry_model *m, const ferry_model_options *options, ferry_error **err);

/* Releases what fy_model_prepare made. */
void fy_model_unprepare(ferry_model *m);

/* Fills nodes, ops, stripped ops, collections, saver and assets. */
ferry_status fy_model_describe(ferry_model *m, ferry_error **err);

#endif
