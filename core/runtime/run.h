/* What one run carries besides its values: the runtime whose nodes run, and
 * variable values replaced during the run, kept until the outermost run
 * ends since earlier readers may still hold them. */
#ifndef FERRY_RUNTIME_RUN_H
#define FERRY_RUNTIME_RUN_H

#include "runtime/runtime.h"

typedef struct fy_retired {
    ferry_tensor **tensors;
    size_t count, cap;
} fy_retired;

typedef struct fy_run {
    fy_runtime *rt;
    fy_retired *retired;      /* shared by nested function runs */
    struct fy_arena_run *arena; /* the outermost plan's planned memory, or NULL */
    const fy_bounds *bounds;  /* shared by nested function runs; NULL: unbounded */
} fy_run;

/* Now on CLOCK_MONOTONIC, in nanoseconds. */
int64_t fy_monotonic_ns(void);

/* Fails with CANCELLED or DEADLINE_EXCEEDED when the run must end; checked
 * between steps and at every loop iteration. */
ferry_status fy_run_check(const fy_run *run, ferry_error **err);

/* Replaces a variable's value with `value` (taken); the old one is retired. */
ferry_status fy_run_assign(fy_run *run, fy_variable *var, ferry_tensor *value, ferry_error **err);

/* Executes a plan inside a run (no locking). outs[i] receives fetch i; an
 * owned value's tensor now belongs to the caller. With `consume`, the run
 * takes the feeds the caller owns, success or not (the caller then no longer
 * owns them), and may free or overwrite them once read: loops hand each
 * iteration's state to the body this way. */
ferry_status fy_plan_exec(const fy_plan *p, fy_run *run, const fy_value *feeds, int consume, fy_value *outs,
                          ferry_error **err);

/* After a consuming fy_plan_exec: the caller's values are the run's now. */
void fy_values_disown(fy_value *v, int n);

/* Frees an owned value and clears it. */
void fy_value_release(fy_value *v);

/* Loops: moves the values of one iteration (cur) to the next (next). A
 * value the step passed through unchanged keeps its ownership; the rest of
 * cur is released. */
void fy_values_advance(fy_value *cur, fy_value *next, int n);

#endif
