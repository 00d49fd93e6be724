/* Constant folding at plan build (see fold.c). */
#ifndef FERRY_RUNTIME_FOLD_H
#define FERRY_RUNTIME_FOLD_H

#include "runtime/runtime.h"

/* Runs the plan's constant-only nodes now and drops them from its order;
 * their results needed later become p->folded. A node that fails here is
 * left to fail when the plan runs, as it would without folding. Fails only
 * when out of memory. Call after the order and slots are laid out, before
 * the lifetimes. */
ferry_status fy_plan_fold(fy_plan *p, fy_runtime *rt, ferry_error **err);

/* The value folded into `slot`, or NULL. */
const ferry_tensor *fy_plan_folded(const fy_plan *p, int slot);

/* Frees the folded values. */
void fy_plan_fold_clear(fy_plan *p);

#endif
