/* The pass pipeline: everything that turns an imported graph into plans
 * ready to run, in one declared order (passes.c). */
#ifndef FERRY_RUNTIME_PASSES_H
#define FERRY_RUNTIME_PASSES_H

#include "runtime/runtime.h"

/* Stage 1, once per runtime after fy_runtime_init: the graph rewrites. */
ferry_status fy_passes_rewrite(fy_runtime *rt, ferry_error **err);

/* Stage 2, per plan: fy_plan_build, then the plan analyses in order, then
 * the functions its control-flow steps call (each a runtime of its own,
 * through both stages). Safe to call from several threads: the runtime's
 * prepare lock guards the functions it shares. */
ferry_status fy_passes_plan(fy_plan **out, fy_runtime *rt, const char *const *feeds, int feed_count,
                            const char *const *fetches, int fetch_count, const char *const *targets, int target_count,
                            ferry_error **err);

/* The ops the rewrite rules name, for the registry's self-test. */
const char *const *fy_pass_rule_ops(size_t *count);

#endif
