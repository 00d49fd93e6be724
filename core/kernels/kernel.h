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
    const struct fy_chain_step *epilogue; /* Conv2D / depthwise: a chain to apply to the output as it is made */
    int epilogue_count;
    int epilogue_done;            /* set by a kernel that applied it */
    const int64_t *extra_pad;     /* Conv2D / depthwise (NHWC): zeros around the input, before and after
                                     each of its 4 dims, from a Pad the plan folded in; or NULL */
} fy_kernel_ctx;

typedef ferry_status (*fy_kernel_fn)(fy_kernel_ctx *ctx);

/* Kernel flags. */
#define FY_KERNEL_WRITES_STATE 0x1u  /* assigns variables: the run takes the state lock exclusively */
#define FY_KERNEL_READS_STATE 0x2u   /* reads variables: the run takes the state lock shared */
#define FY_KERNEL_CALLS_FUNCTIONS 0x4u /* runs functions named by attrs (control flow) */
#define FY_KERNEL_TAKES_REFS 0x8u      /* accepts an uninitialized variable as input 0 (Assign...) */

typedef struct fy_kernel_def {
    const char *op;
    fy_kernel_fn run;
    /* Output argument names with counts, for resolving "node:arg:i" in
     * function bodies when the file has no OpDef: "y" (one tensor),
     * "output:N" (count from int attr N), "output:Tout" (length of a type
     * list attr), comma-separated for several. NULL means one output. */
    const char *outputs;
    unsigned flags;
} fy_kernel_def;

/* All kernels of one family, terminated by an entry with op NULL. */
extern const fy_kernel_def fy_kernels_array[];
extern const fy_kernel_def fy_kernels_math[];
extern const fy_kernel_def fy_kernels_nn[];
extern const fy_kernel_def fy_kernels_strings[];
extern const fy_kernel_def fy_kernels_parse[];
extern const fy_kernel_def fy_kernels_list[];
extern const fy_kernel_def fy_kernels_random[];
extern const fy_kernel_def fy_kernels_sparse[];
extern const fy_kernel_def fy_kernels_rnn[];

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

/* A chain of per-channel elementwise ops run as one pass (runtime/fuse.c
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

/* Attribute readers; return the default when the attr is absent. */
int64_t fy_attr_int(const fy_node *n, const char *name, int64_t dflt);
float fy_attr_float(const fy_node *n, const char *name, float dflt);
int fy_attr_bool(const fy_node *n, const char *name, int dflt);
ferry_dtype fy_attr_type(const fy_node *n, const char *name, ferry_dtype dflt);
/* String attr (or dflt when absent) copied into buf, NUL-terminated and
 * cut to cap - 1 bytes; returns buf, or NULL when absent and dflt is NULL. */
const char *fy_attr_string(const fy_node *n, const char *name, char *buf, size_t cap, const char *dflt);
/* List-of-ints attr: count in *n_out (values in a borrowed array), NULL when absent. */
const int64_t *fy_attr_ints(const fy_node *n, const char *name, size_t *n_out);

/* Reads an integer tensor (int32 or int64) as int64 values into out (up to cap). */
ferry_status fy_read_ints(fy_kernel_ctx *ctx, const ferry_tensor *t, int64_t *out, size_t cap, const char *what);

#endif
