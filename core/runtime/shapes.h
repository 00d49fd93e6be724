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

/* The static shapes of a whole graph, before any plan: from declared
 * shapes, constants and the ops' rules (nothing is folded, nothing fed but
 * placeholders), for rewrites to decide by. */
typedef struct fy_graph_shapes {
    int *base;                    /* per node: its first output's entry in shapes */
    fy_shape *shapes;
    int slot_count, node_count;
    int *order;                   /* nodes after what they read; cycles left out */
    int order_count;
} fy_graph_shapes;

ferry_status fy_graph_infer_shapes(fy_graph_shapes *out, const fy_runtime *rt, ferry_error **err);

/* The shape at edge e (unknown for nodes added after inference). */
const fy_shape *fy_graph_shape(const fy_graph_shapes *s, fy_edge e);

void fy_graph_shapes_clear(fy_graph_shapes *s);

#endif
