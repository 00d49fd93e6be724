/* The contract between the runtime and the kernels that compute ops.
 *
 * A kernel reads its inputs (never writes them), reads attributes through
 * the node, and produces each output either as a new tensor it allocates
 * (owned by the run) or by forwarding a tensor that outlives the run step
 * (an input or a constant). Kernels know nothing of files or variables. */
#ifndef FERRY_KERNELS_KERNEL_H
#define FERRY_KERNELS_KERNEL_H

#include <ferry/ferry.h>

#include "base/error.h"
#include "base/tensor.h"
#include "graph/graph.h"
#include "kernels/shape.h"

struct fy_variable;
struct fy_pool;

/* A value flowing along an edge during a run. */
typedef struct fy_value {
    ferry_tensor *t;              /* NULL for resource handles */
    int owned;                    /* the run frees t */
    struct fy_variable *var;      /* resource handles and TF1 ref edges */
    int ref;                      /* a TF1 ref edge: read the variable when consumed */
    int dead;                     /* on an untaken branch of TF1 control flow (Switch) */
} fy_value;

/* Where Print and PrintV2 write: the runtime's, made from the load options
 * (kernels pass the op's output stream and text and learn no more). */
typedef struct fy_print_sink {
    ferry_status (*write)(const struct fy_print_sink *sink, const char *stream, const char *text, size_t size,
                          ferry_error **err);
    /* How often `node` asked this before (for Print's first_n), counting this time. */
    long (*times)(const struct fy_print_sink *sink, const fy_node *node);
    const void *owner;            /* the runtime's, for write and times */
} fy_print_sink;

typedef struct fy_kernel_ctx {
    const fy_node *node;
    const fy_value *inputs;
    int input_count;
    fy_value *outputs;
    int output_count;
    void *runtime;                /* for ops the runtime implements itself */
    ferry_error **err;
    unsigned donatable;           /* inputs (bit i) the run reads no more: see fy_output_reuse */
    unsigned donated;             /* inputs a kernel took as an output */
    struct fy_pool *pool;         /* threads for big kernels (base/parallel.h); NULL: this thread */
    struct fy_arena_run *arena;   /* where new outputs' bytes come from (base/arena.h); NULL: the pool */
    struct fy_budget *budget;     /* the model's memory limit new outputs are charged to, or NULL */
    const fy_print_sink *print;   /* NULL: standard error (standard output for "stdout") */
} fy_kernel_ctx;

typedef ferry_status (*fy_kernel_fn)(fy_kernel_ctx *ctx);

/* Traits of an op: what passes and the executor may assume of it. */
#define FY_OP_WRITES_STATE 0x1u     /* assigns variables: the run takes the state lock exclusively */
#define FY_OP_READS_STATE 0x2u      /* reads variables: the run takes the state lock shared */
#define FY_OP_CALLS_FUNCTIONS 0x4u  /* runs functions named by attrs (control flow) */
#define FY_OP_TAKES_REFS 0x8u       /* accepts an uninitialized variable as input 0 (Assign...) */
#define FY_OP_NEVER_FOLD 0x10u      /* runs every time, even on constant inputs (random numbers,
                                       handles to state, control flow, what a run is fed) */
#define FY_OP_OUTSIDE 0x20u         /* reads or writes files: refused unless the caller allows it */
#define FY_OP_DYNAMIC_SHAPE 0x40u   /* no static shape rule: its output shapes are left to run time */
#define FY_OP_NOT_RUN 0x80u         /* read from files but never run (Ferry restores and saves
                                       variables itself): has an output spec and no kernel */
#define FY_OP_FORWARDS 0x100u       /* output 0 is input 0 unchanged (Identity and its kin) */
#define FY_OP_SWITCH 0x200u         /* TF1 control flow: one output is dead */
#define FY_OP_MERGE 0x400u          /* TF1 control flow: runs when any input lives */
#define FY_OP_PLACEHOLDER 0x800u    /* fed by the caller; without a feed it has its declared shape */
#define FY_OP_TYPED 0x1000u         /* output 0's dtype is the "dtype" attr (what it may be fed) */
#define FY_OP_TAKES_PADS 0x2000u    /* a convolution (NHWC) that can take a Pad before it as its
                                       own padding (kernel.h, extra_pad) */
#define FY_OP_TAKES_CHAIN 0x4000u   /* a float convolution (NHWC) that can apply a chain of
                                       per-channel steps to its output as it makes it */
#define FY_OP_INTERNAL 0x8000u      /* made by Ferry's own rewrites; files cannot name it */
#define FY_OP_WHILE 0x10000u        /* a While loop: cond and body functions */

/* The role an op can play in a chain of per-channel elementwise steps
 * fused into one pass (kernels/chain.c). */
typedef enum fy_step_kind {
    FY_STEP_NONE = 0,
    FY_STEP_MUL,                  /* x * v or v * x */
    FY_STEP_ADD,                  /* x + v or v + x */
    FY_STEP_SUB,                  /* x - v or v - x */
    FY_STEP_BIAS,                 /* BiasAdd: x + v, x first, NHWC only */
    FY_STEP_RELU,
    FY_STEP_RELU6,
} fy_step_kind;

/* One op: the single place that says how it runs and what passes may know
 * of it. Tables of these, one per family, make up the registry. */
typedef struct fy_op_def {
    const char *name;
    fy_kernel_fn run;             /* NULL only for FY_OP_NOT_RUN */
    /* Output argument names with counts, for resolving "node:arg:i" in
     * function bodies when the file has no OpDef: "y" (one tensor),
     * "output:N" (count from int attr N), "output:Tout" (length of a type
     * list attr), comma-separated for several. NULL means one output. */
    const char *outputs;
    unsigned traits;              /* FY_OP_* */
    fy_shape_fn shape;            /* static shape rule; NULL only with FY_OP_DYNAMIC_SHAPE */
    fy_step_kind step;            /* its role in a per-channel chain, if any */
    /* Products by a weight (input 1) that stays the same from run to run:
     * lays it out once the way `run` will read it (kernels/packed.h). */
    void (*prepack)(const fy_node *n, const ferry_tensor *weight);
} fy_op_def;

/* All ops of one family, terminated by an entry with name NULL. */
extern const fy_op_def fy_kernels_array[];
extern const fy_op_def fy_kernels_math[];
extern const fy_op_def fy_kernels_bitwise[];
extern const fy_op_def fy_kernels_segment[];
extern const fy_op_def fy_kernels_stateless_random[];
extern const fy_op_def fy_kernels_partition[];
extern const fy_op_def fy_kernels_sparse_dense[];
extern const fy_op_def fy_kernels_string_split[];
extern const fy_op_def fy_kernels_string_convert[];
extern const fy_op_def fy_kernels_string_edit[];
extern const fy_op_def fy_kernels_complex[];
extern const fy_op_def fy_kernels_fft[];
extern const fy_op_def fy_kernels_quantize[];
extern const fy_op_def fy_kernels_linalg[];
extern const fy_op_def fy_kernels_nms[];
extern const fy_op_def fy_kernels_image[];
extern const fy_op_def fy_kernels_nn[];
extern const fy_op_def fy_kernels_strings[];
extern const fy_op_def fy_kernels_parse[];
extern const fy_op_def fy_kernels_list[];
extern const fy_op_def fy_kernels_random[];
extern const fy_op_def fy_kernels_sparse[];
extern const fy_op_def fy_kernels_rnn[];
extern const fy_op_def fy_kernels_fused_internal[];
extern const fy_op_def fy_kernels_logging[];

/* ---- helpers for kernels ------------------------------------------------ */

/* Fails with "node 'x' (Op): message". */
ferry_status fy_kernel_fail(fy_kernel_ctx *ctx, ferry_status code, const char *fmt, ...) FY_PRINTF(3, 4);

/* The input tensor at i; fails (NULL) when it is a resource or missing. */
const ferry_tensor *fy_input(fy_kernel_ctx *ctx, int i);

/* A new zeroed output tensor at i, or NULL (error set). */
ferry_tensor *fy_output_new(fy_kernel_ctx *ctx, int i, ferry_dtype dtype, const int64_t *dims, int rank);

/* fy_output_new for a kernel that writes every element itself: the bytes
 * start unwritten (saving a pass over memory). Sanitizer builds fill them
 * with 0xff, so a kernel that misses some gives NaNs the tests catch. */
ferry_tensor *fy_output_new_uninit(fy_kernel_ctx *ctx, int i, ferry_dtype dtype, const int64_t *dims, int rank);

/* Output i for a kernel that writes every element j of it from element j of
 * input `input` (and anything else): that input's own buffer when the run
 * reads it no more and it has this dtype and element count (its shape then
 * becomes dims), else a new tensor as from fy_output_new_uninit. Saves an allocation and the page
 * faults of fresh memory on chains of elementwise ops. NULL on error. */
ferry_tensor *fy_output_reuse(fy_kernel_ctx *ctx, int i, int input, ferry_dtype dtype, const int64_t *dims, int rank);

/* Working memory for one kernel call: n elements of `elem` bytes, not
 * zeroed, from the run's planned memory when it has some. NULL (error set)
 * when out of memory. Each is given back with fy_scratch_free before the
 * kernel returns. */
void *fy_scratch_alloc(fy_kernel_ctx *ctx, int64_t n, size_t elem);
void fy_scratch_free(fy_kernel_ctx *ctx, void *p);

/* Output i is the given tensor, not owned (it must outlive the run). */
void fy_output_forward(fy_kernel_ctx *ctx, int i, int input);

/* A chain of per-channel elementwise ops run as one pass (runtime/rewrite_chains.c
 * finds them): batch norm's multiply and add and the activation after a
 * convolution, which separately would each read and write the whole tensor. */
#define FY_CHAIN_MAX 4            /* the most steps in one chain */

typedef enum fy_chain_op {
    FY_CHAIN_MUL, FY_CHAIN_ADD, FY_CHAIN_SUB /* y - v */, FY_CHAIN_SUB_FROM /* v - y */, FY_CHAIN_RELU,
    FY_CHAIN_RELU6,
} fy_chain_op;

typedef struct fy_chain_step {
    fy_chain_op op;
    const ferry_tensor *v;        /* the vector operand; NULL for activations */
} fy_chain_step;

/* Whether the chain can run on x: float32 throughout, each vector float32
 * with one element or x's last dim, shaped to broadcast along that dim only. */
int fy_channel_chain_fits(const ferry_tensor *x, const fy_chain_step *steps, int n);

/* The same for a float32 value of `rank` dims whose last is `channels`. */
int fy_channel_chain_fits_shape(int rank, int64_t channels, const fy_chain_step *steps, int n);

/* Applies the chain (at most FY_CHAIN_MAX steps) in place to `rows` rows of
 * `channels` floats. */
void fy_channel_chain_apply(float *y, int64_t rows, int64_t channels, const fy_chain_step *steps, int n);

/* Output 0 = the chain applied to input `x_input`, with the same float
 * operations in the same order as the ops one by one. */
ferry_status fy_channel_chain(fy_kernel_ctx *ctx, int x_input, const fy_chain_step *steps, int n);

/* Each item of a TensorList times w (transposed when transpose_w), as a new
 * list: the products a loop would make one item per step, made as one
 * product (split over the pool's threads). The items must be set float
 * matrices of one shape and w a float matrix that fits them; otherwise *out
 * is left NULL and FERRY_OK returned, for the caller to multiply step by
 * step. Fails only when out of memory. */
ferry_status fy_list_matmul(ferry_tensor **out, const ferry_tensor *list, const ferry_tensor *w, int transpose_w,
                            struct fy_pool *pool, ferry_error **err);

/* Writes text to the op's output stream through ctx->print. */
ferry_status fy_kernel_print(fy_kernel_ctx *ctx, const char *stream, const char *text, size_t size);

/* Attribute readers; return the default when the attr is absent. */
/* a * b for sizes and element counts; -1 when either is negative or the
 * product overflows int64. */
int64_t fy_mul_sizes(int64_t a, int64_t b);

/* A possibly negative axis of a tensor of this rank made non-negative; 0
 * when it is outside [-rank, rank). fy_kernel_axis fails the kernel then. */
int fy_axis_in_rank(int64_t *axis, int rank);
ferry_status fy_kernel_axis(fy_kernel_ctx *ctx, int64_t axis, int rank, int *out);

/* "[2,3]": dims as TF writes shapes in messages; returns buf. */
const char *fy_dims_str(char *buf, size_t cap, const int64_t *dims, int rank);

int64_t fy_attr_int(const fy_node *n, const char *name, int64_t dflt);
float fy_attr_float(const fy_node *n, const char *name, float dflt);
int fy_attr_bool(const fy_node *n, const char *name, int dflt);
ferry_dtype fy_attr_type(const fy_node *n, const char *name, ferry_dtype dflt);
/* 1 when the node has a string attr `name`, even an empty one. */
int fy_attr_has_string(const fy_node *n, const char *name);
/* String attr copied into buf, NUL-terminated and cut to cap - 1 bytes;
 * returns buf, never NULL. An absent attr gives dflt (NULL: ""); a present
 * empty one gives "", never dflt. */
const char *fy_attr_string(const fy_node *n, const char *name, char *buf, size_t cap, const char *dflt);
/* A string attr's bytes in place, any length, NULs included; absent or
 * empty gives "" and 0. */
void fy_attr_bytes(const fy_node *n, const char *name, const char **data, size_t *size);
/* A string attr that must name a choice (padding, data_format, mode...):
 * as fy_attr_string, but an empty attr, or an absent one without dflt,
 * fails ctx naming the attr and returns NULL. */
const char *fy_attr_enum(fy_kernel_ctx *ctx, const char *name, char *buf, size_t cap, const char *dflt);
/* List-of-ints attr: count in *n_out (values in a borrowed array), NULL when absent. */
const int64_t *fy_attr_ints(const fy_node *n, const char *name, size_t *n_out);

/* Reads an integer tensor (int32 or int64) as int64 values into out (up to cap). */
ferry_status fy_read_ints(fy_kernel_ctx *ctx, const ferry_tensor *t, int64_t *out, size_t cap, const char *what);

#endif
