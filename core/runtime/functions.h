/* Functions run by control-flow ops (While, If, Case): each is imported as
 * a small graph of its own, with a plan from its arguments to its results. */
#ifndef FERRY_RUNTIME_FUNCTIONS_H
#define FERRY_RUNTIME_FUNCTIONS_H

#include "runtime/hoist.h"
#include "runtime/runtime.h"

typedef struct fy_function {
    fy_runtime rt;
    fy_plan *plan;
    int arg_count, result_count;
    /* The synthetic graph: one placeholder per argument, and a call. */
    Tensorflow__GraphDef graph;
    Tensorflow__NodeDef *nodes;
    Tensorflow__NodeDef **node_ptrs;
    char **strings;
    size_t string_count;
    /* A While body: the same body with products hoisted out of the loop
     * (runtime/hoist.h), or NULL; in that version, what to make first. */
    struct fy_function *hoisted;
    fy_hoist *hoists;
    int hoist_count;
} fy_function;

/* Prepares the functions node `node` calls (by its func attrs) and returns
 * the state flags their plans need. Called while building plans. */
ferry_status fy_functions_prepare(fy_runtime *rt, int node, unsigned *state, ferry_error **err);

/* In a function's graph: the edge argument i is fed at, and the edge its
 * result i resolves to ({-1, -1} when absent). */
fy_edge fy_function_arg(const fy_graph *g, int i);
fy_edge fy_function_result(const fy_graph *g, int i);

/* Frees every function a runtime prepared. */
void fy_functions_clear(fy_runtime *rt);

#endif
