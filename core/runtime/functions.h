/* Functions run by control-flow ops (While, If, Case): each is imported as
 * a small graph of its own, with a plan from its arguments to its results. */
#ifndef FERRY_RUNTIME_FUNCTIONS_H
#define FERRY_RUNTIME_FUNCTIONS_H

#include "runtime/runtime.h"

struct fy_hoist;

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
    struct fy_hoist *hoists;
    int hoist_count;
} fy_function;

/* Imports function `name` of the parent's library as a graph of its own:
 * one placeholder per argument ("__arg_i") and a call of it ("__call"),
 * inlined; the runtime is initialised, nothing rewritten or planned yet
 * (runtime/passes.c does that). */
ferry_status fy_function_open(fy_function **out, fy_runtime *parent, const char *name, ferry_error **err);
void fy_function_free(fy_function *f);

/* The functions a control-flow node calls (its func attrs), in the order
 * its kernel expects: up to cap names into names; returns how many. */
int fy_function_calls(const fy_node *n, const char **names, int cap);

/* In a function's graph: the edge argument i is fed at, and the edge its
 * result i resolves to ({-1, -1} when absent). */
fy_edge fy_function_arg(const fy_graph *g, int i);
fy_edge fy_function_result(const fy_graph *g, int i);

/* Frees every function a runtime prepared. */
void fy_functions_clear(fy_runtime *rt);

#endif
