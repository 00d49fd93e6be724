/* Products hoisted out of While loops (see hoist.c). */
#ifndef FERRY_RUNTIME_HOIST_H
#define FERRY_RUNTIME_HOIST_H

#include "runtime/runtime.h"

/* One product a loop body makes of each item of a list it passes through
 * unchanged, by a matrix it does not change. */
typedef struct fy_hoist {
    int list_arg;               /* the body's argument holding the list */
    int weight_arg;             /* the argument holding the matrix or its variable, or -1 */
    const ferry_tensor *weight; /* when weight_arg is -1: the matrix, a constant of the body */
    int transpose;              /* the product's transpose_b */
} fy_hoist;

/* Finds such products in a While body (imported, not yet planned) with
 * `arg_count` arguments, and turns each product node into one that passes
 * its list item on (op _FerryHoistedProduct). *hoists (malloc'd) gets one entry per product; *count
 * may be 0, and then the graph is unchanged. */
ferry_status fy_hoist_find(fy_runtime *rt, int arg_count, fy_hoist **hoists, int *count, ferry_error **err);

/* Whether anything in a function's graph reads argument `arg`. */
int fy_hoist_arg_is_read(const fy_graph *g, int arg);

/* At the start of a loop, with its values `cur`: makes each hoisted product
 * for every item of its list and puts the new list (owned) in place of the
 * list in cur. *made is 0, and cur unchanged, when the values do not fit
 * (the loop then runs the body as written). */
ferry_status fy_hoist_begin(const fy_hoist *hoists, int count, fy_value *cur, struct fy_pool *pool, int *made,
                            ferry_error **err);

#endif
