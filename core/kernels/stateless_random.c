/* Stateless random ops: the same bits as TensorFlow's for the same seed
 * (Philox, kernels/philox.h). Element i of the output comes from the
 * generator call i / k after the seed's counter, where k is how many values
 * one call makes (4 floats, 2 doubles, 4 int32, 2 int64), so the values do
 * not depend on how the work is split. */
#include "kernels/array_internal.h"
#include "kernels/elementwise.h"
#include "kernels/philox.h"

typedef enum dist { UNIFORM, NORMAL, UNIFORM_INT, UNIFORM_FULL_INT } dist;

/* Values per generator call: 64-bit values take two of its four outputs. */
static int per_call(ferry_dtype dt)
{
    return dt == FERRY_DT_DOUBLE || dt == FERRY_DT_INT64 || dt == FERRY_DT_UINT64 ? 2 : 4;
}

typedef struct range {
    int64_t lo;
    uint64_t span; /* maxval - minval, > 0 */
} range;

/* Fills out from g (positioned at the output's first call). */
static void fill(fy_philox *g, dist d, const range *r, ferry_tensor *out)
{
    int k = per_call(out->dtype);
    uint32_t x[4];
    for (int64_t i = 0; i < out->count; i++) {
        int j = (int)(i % k);
        if (j == 0)
            fy_philox_next(g, x);
        switch (out->dtype) {
        case FERRY_DT_FLOAT:
            if (d == NORMAL) {
                float f[2];
                fy_philox_normal_f32(x[j & ~1], x[j | 1], &f[0], &f[1]);
                ((float *)out->data)[i] = f[j & 1];
            } else {
                ((float *)out->data)[i] = fy_philox_float(x[j]);
            }
            break;
        case FERRY_DT_DOUBLE:
            if (d == NORMAL) {
                double v[2];
                fy_philox_normal_f64(x, &v[0], &v[1]);
                ((double *)out->data)[i] = v[j];
            } else {
                ((double *)out->data)[i] = fy_philox_double(x[2 * j], x[2 * j + 1]);
            }
            break;
        case FERRY_DT_HALF:
            if (d == NORMAL) {
                float f[2];
                fy_philox_normal_f32(x[j & ~1], x[j | 1], &f[0], &f[1]);
                ((uint16_t *)out->data)[i] = fy_float_to_half(f[j & 1]);
            } else {
                ((uint16_t *)out->data)[i] = fy_philox_half(x[j]);
            }
            break;
        case FERRY_DT_BFLOAT16:
            if (d == NORMAL) {
                float f[2];
                fy_philox_normal_f32(x[j & ~1], x[j | 1], &f[0], &f[1]);
                ((uint16_t *)out->data)[i] = fy_float_to_bfloat16(f[j & 1]);
            } else {
                ((uint16_t *)out->data)[i] = fy_philox_bfloat16(x[j]);
            }
            break;
        case FERRY_DT_INT32:
        case FERRY_DT_UINT32:
            if (d == UNIFORM_FULL_INT)
                ((uint32_t *)out->data)[i] = x[j];
            else
                ((int32_t *)out->data)[i] = (int32_t)(uint32_t)((uint64_t)r->lo + x[j] % (uint32_t)r->span);
            break;
        default: { /* int64, uint64: two outputs make one value, low word first */
            uint64_t v = (uint64_t)x[2 * j] | (uint64_t)x[2 * j + 1] << 32;
            ((uint64_t *)out->data)[i] = d == UNIFORM_FULL_INT ? v : (uint64_t)r->lo + v % r->span;
        }
        }
    }
}

static ferry_status read_shape(fy_kernel_ctx *ctx, int64_t *dims, int *rank)
{
    const ferry_tensor *shape = fy_input(ctx, 0);
    if (!shape)
        return FERRY_ERR_INVALID_ARGUMENT;
    return fy_arr_read_dims(ctx, shape, dims, rank, 0, "shape");
}

static ferry_status check_dtype(fy_kernel_ctx *ctx, dist d, ferry_dtype dt)
{
    int real = dt == FERRY_DT_FLOAT || dt == FERRY_DT_DOUBLE || dt == FERRY_DT_HALF || dt == FERRY_DT_BFLOAT16;
    int integer = dt == FERRY_DT_INT32 || dt == FERRY_DT_INT64 || dt == FERRY_DT_UINT32 || dt == FERRY_DT_UINT64;
    if ((d == UNIFORM || d == NORMAL) ? real : integer)
        return FERRY_OK;
    return fy_kernel_fail(ctx, FERRY_ERR_UNSUPPORTED, "not defined for %s", ferry_dtype_name(dt));
}

/* minval, maxval (scalars of the output dtype) of the UniformInt ops. */
static ferry_status read_range(fy_kernel_ctx *ctx, int first, ferry_dtype dt, range *r)
{
    const ferry_tensor *lo = fy_input(ctx, first), *hi = lo ? fy_input(ctx, first + 1) : NULL;
    int64_t a, b;
    if (!hi)
        return FERRY_ERR_INVALID_ARGUMENT;
    if (lo->dtype != dt || hi->dtype != dt || lo->count != 1 || hi->count != 1)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "minval and maxval must be %s scalars",
                              ferry_dtype_name(dt));
    if (dt == FERRY_DT_INT32) {
        a = *(const int32_t *)lo->data;
        b = *(const int32_t *)hi->data;
    } else {
        a = *(const int64_t *)lo->data;
        b = *(const int64_t *)hi->data;
    }
    if (a >= b)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "Need minval < maxval: %lld >= %lld", (long long)a,
                              (long long)b);
    *r = (range){ a, (uint64_t)b - (uint64_t)a };
    return FERRY_OK;
}

static ferry_status run(fy_kernel_ctx *ctx, dist d, fy_philox *g, ferry_dtype dt, int range_input)
{
    int64_t dims[FERRY_MAX_RANK];
    int rank = 0;
    range r = { 0, 1 };
    ferry_status st = read_shape(ctx, dims, &rank);
    if (!st)
        st = check_dtype(ctx, d, dt);
    if (!st && d == UNIFORM_INT)
        st = read_range(ctx, range_input, dt, &r);
    if (st)
        return st;
    ferry_tensor *out = fy_output_new_uninit(ctx, 0, dt, dims, rank);
    if (!out)
        return FERRY_ERR_OUT_OF_MEMORY;
    fill(g, d, &r, out);
    return FERRY_OK;
}

/* seed: an int32 or int64 [2] tensor. */
static ferry_status seeded(fy_kernel_ctx *ctx, int at, fy_philox *g)
{
    const ferry_tensor *seed = fy_input(ctx, at);
    int64_t s[2];
    if (!seed)
        return FERRY_ERR_INVALID_ARGUMENT;
    if (seed->rank != 1 || seed->count != 2)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "seed must have shape [2], not %lld elements",
                              (long long)seed->count);
    ferry_status st = fy_read_ints(ctx, seed, s, 2, "seed");
    if (!st)
        fy_philox_from_seed(g, (uint64_t)s[0], (uint64_t)s[1]);
    return st;
}

/* V2 ops: key uint64 [1], counter uint64 [2] (Philox uses the first), alg. */
static ferry_status keyed(fy_kernel_ctx *ctx, fy_philox *g)
{
    const ferry_tensor *key = fy_input(ctx, 1), *counter = key ? fy_input(ctx, 2) : NULL;
    const ferry_tensor *alg = counter ? fy_input(ctx, 3) : NULL;
    int64_t a;
    if (!alg)
        return FERRY_ERR_INVALID_ARGUMENT;
    if (key->dtype != FERRY_DT_UINT64 || key->count != 1 || counter->dtype != FERRY_DT_UINT64 || counter->count < 2)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "key must be uint64 [1] and counter uint64 [2]");
    ferry_status st = fy_arr_scalar_int(ctx, alg, &a, "alg");
    if (st)
        return st;
    if (a != 1 && a != 3) /* 1: Philox; 3: auto-select, which is Philox on CPU */
        return fy_kernel_fail(ctx, FERRY_ERR_UNSUPPORTED, "RNG algorithm %lld (only Philox runs here)", (long long)a);
    uint64_t k = *(const uint64_t *)key->data;
    const uint64_t *c = counter->data;
    *g = (fy_philox){ { (uint32_t)k, (uint32_t)(k >> 32) },
                      { (uint32_t)c[0], (uint32_t)(c[0] >> 32), (uint32_t)c[1], (uint32_t)(c[1] >> 32) } };
    return FERRY_OK;
}

static ferry_dtype out_dtype(fy_kernel_ctx *ctx, ferry_dtype dflt)
{
    return fy_attr_type(ctx->node, "dtype", dflt);
}

#define SEEDED(NAME, DIST, DFLT, RANGE)                                              \
    static ferry_status NAME(fy_kernel_ctx *ctx)                                    \
    {                                                                              \
        fy_philox g;                                                               \
        ferry_status st = seeded(ctx, 1, &g);                                      \
        return st ? st : run(ctx, DIST, &g, out_dtype(ctx, DFLT), RANGE);          \
    }
#define KEYED(NAME, DIST, DFLT, RANGE)                                               \
    static ferry_status NAME(fy_kernel_ctx *ctx)                                    \
    {                                                                              \
        fy_philox g;                                                               \
        ferry_status st = keyed(ctx, &g);                                          \
        return st ? st : run(ctx, DIST, &g, out_dtype(ctx, DFLT), RANGE);          \
    }
SEEDED(k_uniform, UNIFORM, FERRY_DT_FLOAT, 0)
SEEDED(k_normal, NORMAL, FERRY_DT_FLOAT, 0)
SEEDED(k_uniform_int, UNIFORM_INT, FERRY_DT_INT64, 2)
SEEDED(k_uniform_full_int, UNIFORM_FULL_INT, FERRY_DT_UINT64, 0)
KEYED(k_uniform_v2, UNIFORM, FERRY_DT_FLOAT, 0)
KEYED(k_normal_v2, NORMAL, FERRY_DT_FLOAT, 0)
KEYED(k_uniform_int_v2, UNIFORM_INT, FERRY_DT_INT64, 4)
KEYED(k_uniform_full_int_v2, UNIFORM_FULL_INT, FERRY_DT_UINT64, 0)

/* StatelessRandomGetKeyCounter(seed) -> key uint64 [1], counter uint64 [2]. */
static ferry_status key_counter(fy_kernel_ctx *ctx, int with_alg)
{
    fy_philox g;
    ferry_status st = seeded(ctx, 0, &g);
    if (st)
        return st;
    int64_t one = 1, two = 2;
    ferry_tensor *key = fy_output_new(ctx, 0, FERRY_DT_UINT64, &one, 1);
    ferry_tensor *counter = key ? fy_output_new(ctx, 1, FERRY_DT_UINT64, &two, 1) : NULL;
    ferry_tensor *alg = counter && with_alg ? fy_output_new(ctx, 2, FERRY_DT_INT32, NULL, 0) : NULL;
    if (!counter || (with_alg && !alg))
        return FERRY_ERR_OUT_OF_MEMORY;
    *(uint64_t *)key->data = (uint64_t)g.key[1] << 32 | g.key[0];
    ((uint64_t *)counter->data)[0] = (uint64_t)g.counter[1] << 32 | g.counter[0];
    ((uint64_t *)counter->data)[1] = (uint64_t)g.counter[3] << 32 | g.counter[2];
    if (alg)
        *(int32_t *)alg->data = 1;
    return FERRY_OK;
}

static ferry_status k_get_key_counter(fy_kernel_ctx *ctx)
{
    return key_counter(ctx, 0);
}

static ferry_status k_get_key_counter_alg(fy_kernel_ctx *ctx)
{
    return key_counter(ctx, 1);
}

static ferry_status k_get_alg(fy_kernel_ctx *ctx)
{
    ferry_tensor *alg = fy_output_new(ctx, 0, FERRY_DT_INT32, NULL, 0);
    if (!alg)
        return FERRY_ERR_OUT_OF_MEMORY;
    *(int32_t *)alg->data = 1; /* Philox, TF's choice on CPU */
    return FERRY_OK;
}

#define DYN FY_OP_DYNAMIC_SHAPE
const fy_op_def fy_kernels_stateless_random[] = {
    { .name = "StatelessRandomUniform", .run = k_uniform, .traits = DYN },
    { .name = "StatelessRandomNormal", .run = k_normal, .traits = DYN },
    { .name = "StatelessRandomUniformInt", .run = k_uniform_int, .traits = DYN },
    { .name = "StatelessRandomUniformFullInt", .run = k_uniform_full_int, .traits = DYN },
    { .name = "StatelessRandomUniformV2", .run = k_uniform_v2, .traits = DYN },
    { .name = "StatelessRandomNormalV2", .run = k_normal_v2, .traits = DYN },
    { .name = "StatelessRandomUniformIntV2", .run = k_uniform_int_v2, .traits = DYN },
    { .name = "StatelessRandomUniformFullIntV2", .run = k_uniform_full_int_v2, .traits = DYN },
    { .name = "StatelessRandomGetKeyCounter", .run = k_get_key_counter, .outputs = "key,counter", .traits = DYN },
    { .name = "StatelessRandomGetKeyCounterAlg", .run = k_get_key_counter_alg, .outputs = "key,counter,alg",
      .traits = DYN },
    { .name = "StatelessRandomGetAlg", .run = k_get_alg, .traits = DYN },
    { .name = NULL },
};
