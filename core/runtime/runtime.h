/* The runtime: a model's imported graph, its variables, and prepared plans
 * that run parts of the graph. Plans are built once and run many times. */
#ifndef FERRY_RUNTIME_RUNTIME_H
#define FERRY_RUNTIME_RUNTIME_H

#include <pthread.h>
#include <stdatomic.h>

#include <ferry/ferry.h>

#include "graph/graph.h"
#include "kernels/kernel.h"

struct fy_table;
struct fy_budget;

/* What a model's load options say about running it, shared by the
 * functions it calls. */
typedef struct fy_runtime_config {
    unsigned flags;               /* FERRY_LOAD_* */
    ferry_print_fn print;         /* NULL: standard streams */
    void *print_context;
    struct fy_budget *budget;     /* memory limit, or NULL (owned by the model) */
    int64_t max_nodes;            /* the graph's most nodes after inlining; 0: no limit */
} fy_runtime_config;

/* A variable (TF1 ref variables and TF2 resource variables alike), or a
 * lookup table: the state a model keeps between runs. */
typedef struct fy_variable {
    const char *name;
    ferry_dtype dtype;
    int rank;                     /* declared shape ("shape" attr): -1 unknown rank, */
    int64_t dims[FERRY_MAX_RANK]; /* -1 an unknown dim */
    ferry_tensor *value;          /* NULL until restored or assigned */
    struct fy_table *table;       /* lookup tables only */
} fy_variable;

struct fy_function;

typedef struct fy_runtime {
    fy_graph graph;
    const Tensorflow__GraphDef *source;   /* for functions called by control flow */
    const Tensorflow__OpList *op_list;
    const char *what;             /* the model file, for messages */
    fy_variable *vars;
    size_t var_count;
    fy_strmap var_by_name;
    fy_variable **var_of_node;    /* variable nodes -> their variable */
    ferry_tensor **constants;     /* Const nodes, decoded once */
    const fy_op_def **ops;        /* per node: its op, or NULL when Ferry does not know it */
    struct fy_function ***functions;      /* per control-flow node: the functions it calls */
    struct fy_loop **loops;               /* per lowered TF1 loop (its LoopCond node) */
    unsigned *node_state;                 /* per node: state flags of the functions it calls */
    pthread_rwlock_t state_lock;
    pthread_mutex_t prepare_lock; /* lazy constant decoding */
    unsigned flags;               /* FERRY_LOAD_* (config.flags) */
    fy_runtime_config config;
    int depth;                    /* 0 for a model, n for a function called n levels down */
    const char *model_dir;        /* files inside it may be read by ops (vocabularies) */
    struct fy_pool *pool;         /* the model's intra-op threads (owned by the model) */
    fy_print_sink print_sink;     /* where Print ops write (config's print and flags) */
    atomic_long *print_times;     /* per imported node: how often it asked print_sink.times */
    int print_nodes;              /* entries of print_times */
    /* Frees what the passes prepared (functions, lowered loops); set by them. */
    void (*clear_prepared)(struct fy_runtime *rt);
} fy_runtime;

/* One prepared way of running: which nodes, in which order, fed and fetched. */
typedef struct fy_plan {
    int *order;
    int order_count;
    int max_inputs;               /* most inputs of any node in order */
    int *slot_base;               /* first value slot of each node */
    int slot_count;
    int *last_use;                /* per slot: last step (index in order) that reads it; INT_MAX: kept */
    int *input_at;                /* per step k: its inputs' slots start at input_slots[input_at[k]] */
    int *input_slots;             /* the slot each step's input i reads, edges resolved at build */
    fy_edge *feeds;
    int *feed_last_use;           /* per feed: the last step reading it (INT_MAX: fetched too) */
    ferry_dtype *feed_dtypes;     /* what each fed placeholder takes (INVALID: any) */
    int feed_count;
    fy_edge *fetches;
    int fetch_count;
    unsigned state;               /* FY_KERNEL_READS_STATE | FY_KERNEL_WRITES_STATE */
    int switches;                 /* nonzero when a step is a Switch: values may be dead (TF1 control flow) */
    int *folded_slots;            /* slots holding values folded at build time */
    fy_value *folded;             /* their values (owned by the plan, or constants) */
    int folded_count;
    struct fy_arena *arena;       /* memory laid out per feed shapes (base/arena.h); NULL: none */
} fy_plan;

/* Imports `graph` (with `op_list` for attr defaults and output names). */
ferry_status fy_runtime_init(fy_runtime *rt, const Tensorflow__GraphDef *graph,
                             const Tensorflow__OpList *op_list, const char *what,
                             const fy_runtime_config *config, ferry_error **err);
void fy_runtime_clear(fy_runtime *rt);

/* A node a rewrite makes (graph.h, fy_graph_add_node), of op `op`, with the
 * runtime's per-node arrays grown to match. */
ferry_status fy_runtime_add_node(fy_runtime *rt, const Tensorflow__NodeDef *def, const fy_op_def *op,
                                 const fy_edge *inputs, int input_count, int output_count, int *index,
                                 ferry_error **err);

/* The order and value slots of a plan: the nodes its fetches and targets
 * need given its feeds; every op it needs must have a kernel, otherwise the
 * error lists each missing op with the nodes that use it. The analyses that
 * make it ready to run follow (runtime/passes.h: fy_passes_plan). */
ferry_status fy_plan_build(fy_plan **out, fy_runtime *rt, const char *const *feeds, int feed_count,
                           const char *const *fetches, int fetch_count, const char *const *targets,
                           int target_count, ferry_error **err);
void fy_plan_free(fy_plan *p);

/* Plan analysis: the last step reading each slot and the slot each step's
 * inputs read (after folding, which changes the order). */
ferry_status fy_plan_lifetimes(fy_plan *p, const fy_runtime *rt, ferry_error **err);

/* What may end a run early: the caller's cancel flag and a deadline. */
typedef struct fy_bounds {
    const atomic_int *cancel;     /* nonzero once cancelled; NULL: none */
    int64_t deadline_ns;          /* on CLOCK_MONOTONIC; 0: none */
} fy_bounds;

/* Runs a plan. outputs[i] gets fetch i as in ferry_signature_run: NULL slots
 * receive new tensors, others are written into. `bounds` may be NULL. */
ferry_status fy_plan_run(const fy_plan *p, fy_runtime *rt, const ferry_tensor *const *feeds,
                         ferry_tensor **outputs, const fy_bounds *bounds, ferry_error **err);

/* Registry: the public op of that name (what an imported node may be), or
 * NULL. It may have no kernel (FY_OP_NOT_RUN). */
const fy_op_def *fy_op_find(const char *name);

/* An op of Ferry's own rewrites, or NULL. */
const fy_op_def *fy_internal_op(const char *name);

/* The registry's tables, public or internal, for its self-test and fuzzer. */
void fy_op_tables(const fy_op_def *const **tables, size_t *count, int internal);

/* The public ops with kernels, sorted; *count of them. */
const char *const *fy_op_names(size_t *count);

/* Nonzero for ops that read or write files: refused at load unless the
 * caller allows file ops. */
int fy_op_touches_outside(const char *op);

/* Runs the initializers of static lookup tables found in the graph
 * (runtime/table_init.c); fails only when out of memory. */
ferry_status fy_runtime_init_tables(fy_runtime *rt, ferry_error **err);

/* Sets rt->print_sink from rt->config, once the graph is imported (runtime/print.c). */
ferry_status fy_runtime_print_init(fy_runtime *rt, ferry_error **err);

/* Whether node i reads or writes files: its op does, or it prints to a
 * "file://" stream. */
int fy_node_touches_outside(const fy_runtime *rt, int i);

/* Output index of "arg:index" for ops Ferry knows, for graphs without OpDefs. */
int fy_op_output_index(const Tensorflow__NodeDef *node, const char *arg, int index);

/* How many outputs a node of an op Ferry knows has, or -1. */
int fy_op_output_total(const Tensorflow__NodeDef *node);

/* Ops implemented by the runtime itself (constants, placeholders, variables,
 * control flow, tables), ops it never runs, and internal ones. */
extern const fy_op_def fy_runtime_ops[];
extern const fy_op_def fy_control_ops[];
extern const fy_op_def fy_table_ops[];
extern const fy_op_def fy_not_run_ops[];
extern const fy_op_def fy_loop_ops[];
extern const fy_op_def fy_hoist_ops[];

#endif
