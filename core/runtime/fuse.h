/* Fusing chains of per-channel elementwise ops at plan build (see fuse.c). */
#ifndef FERRY_RUNTIME_FUSE_H
#define FERRY_RUNTIME_FUSE_H

#include "runtime/runtime.h"
#include "runtime/shapes.h"

/* Steps head .. head + length - 1 of a plan's order, run as one pass when
 * their operands fit (fy_channel_chain_fits) and one by one otherwise; or
 * by the convolution before them, as it makes its output. */
typedef struct fy_chain {
    int head, length;
    int x_input;                  /* the head's input carrying the activation */
    int conv;                     /* step head - 1 is a Conv2D or depthwise convolution making that
                                     activation, which may apply the chain as it goes */
    struct {
        fy_chain_op op;
        int vector_input;         /* the step's input holding the vector, or -1 */
        int vector_slot;          /* the plan slot it reads, or -1 */
        int through;              /* the step's input carrying the chain */
    } steps[FY_CHAIN_MAX];
} fy_chain;

/* Finds the chains in p (shapes from fy_plan_infer_shapes) and reorders the
 * plan so that each chain's steps are adjacent. Call before the lifetimes. */
ferry_status fy_plan_fuse(fy_plan *p, const fy_runtime *rt, const fy_shape *shapes, ferry_error **err);

#endif
