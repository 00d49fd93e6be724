/* The internal graph: a GraphDef and the functions it calls, imported into
 * one flat list of nodes whose inputs are resolved to (node, output) edges.
 * Function calls (PartitionedCall, StatefulPartitionedCall, direct calls)
 * are inlined here, so later layers see plain ops only. */
#ifndef FERRY_GRAPH_GRAPH_H
#define FERRY_GRAPH_GRAPH_H

#include <stddef.h>

#include <ferry/ferry.h>

#include "base/strmap.h"
#include "graph.pb-c.h"

/* One output of one node. */
typedef struct fy_edge {
    int node;
    int index;
} fy_edge;

typedef struct fy_node {
    const char *name;              /* unique; inlined nodes are "call/body_node" */
    const char *op;
    const Tensorflow__NodeDef *def;/* attrs live here */
    const Tensorflow__OpDef *opdef;/* for attr defaults, when the file carries it */
    fy_edge *inputs;
    int input_count;
    int *controls;                 /* nodes that must run first */
    int control_count;
    int output_count;              /* -1 when not known */
    int inlined_call;              /* a call whose body was inlined: it only joins */
    const char *broken;            /* why an input could not be resolved; fails plans that need it */
} fy_node;

/* How many tensors each named output argument of an op yields, for ops the
 * file carries no OpDef for. Returns the flat index of `arg`'s element
 * `index`, or -1 when unknown. */
typedef int (*fy_output_index_fn)(const Tensorflow__NodeDef *node, const char *arg, int index);

typedef struct fy_graph {
    fy_node *nodes;
    int node_count, node_cap;
    fy_strmap by_name;
    /* Outputs of inlined calls forward to edges inside their bodies. */
    fy_edge **forward;             /* per node: NULL or output_count edges */
    char **strings;                /* names made while inlining */
    size_t string_count, string_cap;
} fy_graph;

typedef struct fy_graph_source {
    const Tensorflow__GraphDef *graph;
    const Tensorflow__OpList *op_list;   /* stripped_op_list, may be NULL */
    fy_output_index_fn output_index;     /* fallback for ops without an OpDef */
    const char *what;                    /* the file, for messages */
    int64_t max_nodes;                   /* most nodes once calls are inlined; 0: no limit */
} fy_graph_source;

ferry_status fy_graph_import(fy_graph *g, const fy_graph_source *src, ferry_error **err);
void fy_graph_clear(fy_graph *g);

/* Node index by name, or -1. */
int fy_graph_find(const fy_graph *g, const char *name);

/* Parses "node", "node:2" into an edge (following inlined calls). */
ferry_status fy_graph_tensor(fy_edge *out, const fy_graph *g, const char *tensor_name, ferry_error **err);

/* The edge an input resolves to after following inlined calls. */
fy_edge fy_graph_resolve(const fy_graph *g, fy_edge e);

static inline int fy_edge_same(fy_edge a, fy_edge b)
{
    return a.node == b.node && a.index == b.index;
}

/* How many node inputs read e (resolved); the first `cap` of them are noted
 * in nodes[] and inputs[] (either may be NULL when cap is 0). */
int fy_graph_readers(const fy_graph *g, fy_edge e, int *nodes, int *inputs, int cap);

/* Keeps a malloc'd string for the graph's lifetime; NULL (and s freed)
 * when out of memory. */
const char *fy_graph_keep_string(fy_graph *g, char *s);

/* Attribute lookup with defaults from the op's definition. NULL when absent. */
const Tensorflow__AttrValue *fy_node_attr(const fy_node *n, const char *name);

#endif
