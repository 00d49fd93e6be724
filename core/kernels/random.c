/* Random ops, which inference graphs reach through variable initializers
 * and dropout. Ferry's stream is deterministic per node (seeded from the
 * seed attrs) but is not TensorFlow's Philox stream: values differ from TF's,
 * which is only visible where a graph's outputs depend on them. */
#include <math.h>
#include <string.h>

#include "kernels/elementwise.h"

static uint64_t next(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* Uniform in [0, 1) with 53 random bits. */
static double uniform(uint64_t *state)
{
    return (double)(next(state) >> 11) * (1.0 / 9007199254740992.0);
}

static double normal(uint64_t *state)
{
    double u = uniform(state), v = uniform(state);
    return sqrt(-2.0 * log(1.0 - u)) * cos(6.283185307179586 * v);
}

typedef enum dist { UNIFORM, NORMAL, TRUNCATED } dist;

static ferry_status random_op(fy_kernel_ctx *ctx, dist d)
{
    const ferry_tensor *shape = fy_input(ctx, 0);
    if (!shape)
        return FERRY_ERR_INVALID_ARGUMENT;
    int64_t dims[FERRY_MAX_RANK];
    if (shape->rank != 1 || fy_read_ints(ctx, shape, dims, FERRY_MAX_RANK, "shape"))
        return shape->rank != 1 ? fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "shape must be a vector")
                                : FERRY_ERR_INVALID_ARGUMENT;
    ferry_dtype dtype = fy_attr_type(ctx->node, "dtype", FERRY_DT_FLOAT);
    if (dtype != FERRY_DT_FLOAT && dtype != FERRY_DT_DOUBLE && dtype != FERRY_DT_HALF && dtype != FERRY_DT_BFLOAT16)
        return fy_kernel_fail(ctx, FERRY_ERR_UNSUPPORTED, "dtype %s", ferry_dtype_name(dtype));
    ferry_tensor *out = fy_output_new(ctx, 0, dtype, dims, (int)shape->count);
    if (!out)
        return FERRY_ERR_OUT_OF_MEMORY;
    uint64_t state = (uint64_t)fy_attr_int(ctx->node, "seed", 0) * 1000003u + (uint64_t)fy_attr_int(ctx->node, "seed2", 0);
    for (const char *p = ctx->node->name; *p; p++)
        state = state * 131 + (unsigned char)*p;
    for (int64_t i = 0; i < out->count; i++) {
        double v = d == UNIFORM ? uniform(&state) : normal(&state);
        while (d == TRUNCATED && fabs(v) > 2.0)
            v = normal(&state);
        switch (dtype) {
        case FERRY_DT_DOUBLE: ((double *)out->data)[i] = v; break;
        case FERRY_DT_HALF: ((uint16_t *)out->data)[i] = fy_float_to_half((float)v); break;
        case FERRY_DT_BFLOAT16: ((uint16_t *)out->data)[i] = fy_float_to_bfloat16((float)v); break;
        default: ((float *)out->data)[i] = (float)v; break;
        }
    }
    return FERRY_OK;
}

static ferry_status k_uniform(fy_kernel_ctx *ctx) { return random_op(ctx, UNIFORM); }
static ferry_status k_normal(fy_kernel_ctx *ctx) { return random_op(ctx, NORMAL); }
static ferry_status k_truncated(fy_kernel_ctx *ctx) { return random_op(ctx, TRUNCATED); }

const fy_op_def fy_kernels_random[] = {
    { .name = "RandomUniform", .run = k_uniform, .traits = FY_OP_NEVER_FOLD | FY_OP_DYNAMIC_SHAPE },
    { .name = "RandomStandardNormal", .run = k_normal, .traits = FY_OP_NEVER_FOLD | FY_OP_DYNAMIC_SHAPE },
    { .name = "TruncatedNormal", .run = k_truncated, .traits = FY_OP_NEVER_FOLD | FY_OP_DYNAMIC_SHAPE },
    { .name = NULL },
};
