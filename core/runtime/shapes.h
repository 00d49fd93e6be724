/* Static shape inference over a prepared plan (see shapes.c). */
#ifndef FERRY_RUNTIME_SHAPES_H
#define FERRY_RUNTIME_SHAPES_H

#include "kernels/shape.h"
#include "runtime/runtime.h"

/* The static shape of every value slot of plan p (shapes[slot_count]), from
 * the placeholders' declared shapes, the plan's constants, variables'
 * declared shapes, the shapes TensorFlow recorded on nodes, and each op's
 * shape rule. Fails (INVALID_ARGUMENT, naming the node) when shapes known
 * before any run contradict each other, as TensorFlow refuses such a graph
 * when it is built. */
ferry_status fy_plan_infer_shapes(const fy_plan *p, const fy_runtime *rt, fy_shape *shapes, ferry_error **err);

#endif
