/* TF1 dataflow loops, lowered at load to a loop op with two plans. */
#ifndef FERRY_RUNTIME_LOOPS_H
#define FERRY_RUNTIME_LOOPS_H

#include "runtime/runtime.h"

typedef struct fy_loop {
    fy_plan *cond;      /* loop values + invariants -> the condition */
    fy_plan *body;      /* loop values + invariants -> next loop values */
    int vars, invariants;
} fy_loop;

/* Makes a ready plan from feeds to fetches (runtime/passes.c passes its own). */
typedef ferry_status (*fy_plan_maker)(fy_plan **out, fy_runtime *rt, const char *const *feeds, int feed_count,
                                      const char *const *fetches, int fetch_count, ferry_error **err);

/* Lowers every loop frame of the runtime's graph, each with a plan for its
 * condition and one for its body made by `make`. A frame Ferry cannot lower
 * marks its nodes so that only plans needing it fail. */
ferry_status fy_loops_lower(fy_runtime *rt, fy_plan_maker make, ferry_error **err);
void fy_loops_clear(fy_runtime *rt);

#endif
