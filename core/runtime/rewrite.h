/* What graph rewrites share (runtime/passes.c runs them): the graph's
 * static shapes, and the edits that make a rewrite's node take the place of
 * the nodes it absorbs. A rule is called for each node of the ops it names,
 * in an order where a node comes after what it reads. */
#ifndef FERRY_RUNTIME_REWRITE_H
#define FERRY_RUNTIME_REWRITE_H

#include "runtime/runtime.h"
#include "runtime/shapes.h"

typedef struct fy_rewrite {
    fy_runtime *rt;
    fy_graph_shapes shapes;       /* as the graph was when the pass began */
    unsigned char *absorbed;      /* per node (of those shapes know): taken into a rewrite's node */
    int results;                  /* a function's graph: how many results it returns ("__call:i") */
    ferry_error **err;
} fy_rewrite;

typedef ferry_status (*fy_rule_fn)(fy_rewrite *r, int node);

typedef struct fy_rule {
    const char *op;
    fy_rule_fn fn;
} fy_rule;

/* The static shape at edge e; a rewrite's node has the shapes of the node it replaced. */
const fy_shape *fy_rewrite_shape(const fy_rewrite *r, fy_edge e);

/* The one node input reading e, when exactly one does and no control edge
 * waits for e's node; else -1. */
int fy_rewrite_sole_reader(const fy_rewrite *r, fy_edge e, int *input);

/* A constant value at e (a Const node), or NULL. */
const ferry_tensor *fy_rewrite_constant(const fy_rewrite *r, fy_edge e);

/* Whether node n may be taken into a rewrite: known, whole, one output, no
 * control inputs, not taken already. */
int fy_rewrite_takeable(const fy_rewrite *r, int node);

/* A new NodeDef for a rewrite's node named after `base`, of internal op
 * `op`, with the attrs of `like`. NULL when out of memory. */
Tensorflow__NodeDef *fy_rewrite_def(fy_rewrite *r, const char *base, const char *op, const Tensorflow__NodeDef *like);

/* Adds the node (its def from fy_rewrite_def) reading `inputs`, in place of
 * node `replaced`, computing the `absorbed` nodes' results itself. */
ferry_status fy_rewrite_emit(fy_rewrite *r, Tensorflow__NodeDef *def, const fy_edge *inputs, int input_count,
                             int replaced, const int *absorbed, int absorbed_count);

/* The rules (rewrite_pads.c, rewrite_chains.c). */
ferry_status fy_rule_absorb_pad(fy_rewrite *r, int pad);
ferry_status fy_rule_fuse_chain(fy_rewrite *r, int head);

#endif
