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
    /* Made by a rewrite: the node it took the place of, and the nodes whose
     * results it computes inside itself (a plan fed one of those runs the
     * nodes as written instead). */
    int replaces;                  /* -1 for nodes read from the file */
    const int *absorbs;
    int absorb_count;
} fy_node;

/* How many tensors each named output argument of an op yields, for ops the
 * file carries no OpDef for. Returns the flat index of `arg`'s element
 * `index`, or -1 when unknown. */
typedef int (*fy_output_index_fn)(const Tensorflow__NodeDef *node, const char *arg, int index);

/* An input that reads some output of a node. */
typedef struct fy_reader {
    int node, input;
} fy_reader;

typedef struct fy_graph {
    fy_node *nodes;
    int node_count, node_cap;
    fy_strmap by_name;
    /* Names of nodes whose outputs now live elsewhere (inlined calls, nodes
     * a rewrite replaced) lead there: fetching "call:0" reads forward[call][0].
     * Node inputs never point at such a node: they read the edge itself. */
    fy_edge **forward;             /* per node: NULL or output_count edges */
    char **strings;                /* names made while inlining */
    size_t string_count, string_cap;
    /* Who reads what, kept current by the edits in graph/edit.c. */
    fy_reader **readers;           /* per node: the inputs reading any of its outputs */
    int *reader_count, *reader_cap;
    int *waiters;                  /* per node: control edges waiting for it */
    void **owned;                  /* node defs and attrs rewrites made */
    size_t owned_count, owned_cap;
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

/* Frees what edit.c keeps (fy_graph_clear calls it). */
void fy_graph_edits_clear(fy_graph *g);

/* Node index by name, or -1. */
int fy_graph_find(const fy_graph *g, const char *name);

/* Parses "node", "node:2" into an edge (following forwarded names). */
ferry_status fy_graph_tensor(fy_edge *out, const fy_graph *g, const char *tensor_name, ferry_error **err);

static inline int fy_edge_same(fy_edge a, fy_edge b)
{
    return a.node == b.node && a.index == b.index;
}

/* ---- Reading and editing the graph (graph/edit.c) ---------------------- */

/* Builds the readers index anew (import does; so must a pass that changed
 * edges in place rather than through the edits below). */
ferry_status fy_graph_index(fy_graph *g, ferry_error **err);

/* How many node inputs read e; the first `cap` of them are noted in
 * nodes[] and inputs[] (either may be NULL when cap is 0). */
int fy_graph_readers(const fy_graph *g, fy_edge e, int *nodes, int *inputs, int cap);

/* A new node (its def, which holds its attrs, must outlive the graph: see
 * fy_graph_new_def) reading `inputs`; *index gets its place. Node pointers
 * taken before may move. */
ferry_status fy_graph_add_node(fy_graph *g, const Tensorflow__NodeDef *def, const fy_edge *inputs, int input_count,
                               int output_count, int *index, ferry_error **err);

/* Node `by` takes the place of node `old`: every input reading old's output
 * i reads by's output i, control edges waiting for old wait for by, and
 * old's name leads to by. Old stays in the graph, unread. */
ferry_status fy_graph_replace(fy_graph *g, int old, int by, ferry_error **err);

/* Notes the nodes whose results node `by` (a rewrite's) computes itself. */
ferry_status fy_graph_absorb(fy_graph *g, int by, const int *nodes, int count, ferry_error **err);

/* Makes input `input` of node `node` read e. */
ferry_status fy_graph_set_input(fy_graph *g, int node, int input, fy_edge e, ferry_error **err);

/* A new NodeDef owned by the graph, named `name`, of op `op`, with the
 * attrs of `like` (shared, not copied; may be NULL). NULL when out of memory. */
Tensorflow__NodeDef *fy_graph_new_def(fy_graph *g, const char *name, const char *op, const Tensorflow__NodeDef *like);

/* Adds or replaces attr `key` of a def made by fy_graph_new_def. */
ferry_status fy_graph_def_set_ints(fy_graph *g, Tensorflow__NodeDef *def, const char *key, const int64_t *values,
                                   size_t count, ferry_error **err);

/* Nodes whose inputs name outputs they do not have (after the runtime
 * learned every op's output count) are marked broken: only plans that
 * need them fail, naming the edge. Fails only when out of memory. */
ferry_status fy_graph_check_edges(fy_graph *g, ferry_error **err);

/* Keeps a malloc'd string for the graph's lifetime; NULL (and s freed)
 * when out of memory. */
const char *fy_graph_keep_string(fy_graph *g, char *s);

/* Attribute lookup with defaults from the op's definition. NULL when absent. */
const Tensorflow__AttrValue *fy_node_attr(const fy_node *n, const char *name);

#endif
