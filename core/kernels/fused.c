/* _FusedMatMul and _FusedConv2D: what TensorFlow's graph optimizer leaves
 * in frozen graphs when it merges a product with the ops after it. The
 * product runs as MatMul / Conv2D (same attrs), then the fused ops apply in
 * place: BiasAdd (one extra input) or FusedBatchNorm (scale, offset, mean,
 * variance), then at most one activation. */
#include <math.h>
#include <string.h>

#include "base/parallel.h"
#include "kernels/nn_internal.h"
#include "kernels/simd.h"

#define MAX_FUSED 3

/* Adds a per-channel vector (the last dim) to y. */
static void add_channels(float *y, int64_t count, const float *v, int64_t channels)
{
    for (int64_t i = 0; i < count; i += channels)
        for (int64_t c = 0; c < channels; c++)
            y[i + c] += v[c];
}

/* (y - mean) * scale / sqrt(variance + epsilon) + offset, per channel. */
static ferry_status batch_norm(fy_kernel_ctx *ctx, float *y, int64_t count, int64_t channels)
{
    const ferry_tensor *p[4];
    for (int k = 0; k < 4; k++) {
        p[k] = fy_input(ctx, 2 + k);
        if (!p[k])
            return FERRY_ERR_INVALID_ARGUMENT;
        if (p[k]->dtype != FERRY_DT_FLOAT || p[k]->count != channels)
            return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "batch norm input %d must be %lld floats", k,
                                  (long long)channels);
    }
    const float *scale = p[0]->data, *offset = p[1]->data, *mean = p[2]->data, *variance = p[3]->data;
    float eps = fy_attr_float(ctx->node, "epsilon", 0.0001f);
    for (int64_t i = 0; i < count; i += channels)
        for (int64_t c = 0; c < channels; c++) {
            float factor = scale[c] / sqrtf(variance[c] + eps);
            y[i + c] = (y[i + c] - mean[c]) * factor + offset[c];
        }
    return FERRY_OK;
}

static void gelu(float *y, int64_t n, int exact)
{
    for (int64_t i = 0; i < n; i++) {
        float v = y[i];
        y[i] = exact ? 0.5f * v * (1.0f + erff(v * 0.70710678118654752f))
                     : 0.5f * v * (1.0f + tanhf(0.7978845608028654f * (v + 0.044715f * v * v * v)));
    }
}

typedef ferry_status (*product_fn)(fy_kernel_ctx *ctx, const int64_t *pads);

static ferry_status fused(fy_kernel_ctx *ctx, product_fn product, const int64_t *pads)
{
    const Tensorflow__AttrValue *ops = fy_node_attr(ctx->node, "fused_ops");
    size_t n_ops = ops && ops->value_case == TENSORFLOW__ATTR_VALUE__VALUE_LIST ? ops->list->n_s : 0;
    if (n_ops > MAX_FUSED)
        return fy_kernel_fail(ctx, FERRY_ERR_UNSUPPORTED, "%zu fused ops", n_ops);
    char names[MAX_FUSED][32];
    for (size_t i = 0; i < n_ops; i++) {
        size_t len = ops->list->s[i].len < sizeof(names[i]) - 1 ? ops->list->s[i].len : sizeof(names[i]) - 1;
        if (len) /* an empty one's data is NULL */
            memcpy(names[i], ops->list->s[i].data, len);
        names[i][len] = '\0';
    }
    int64_t num_args = fy_attr_int(ctx->node, "num_args", 0);
    if (num_args < 0 || 2 + num_args > ctx->input_count)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "num_args %lld does not fit %d inputs",
                              (long long)num_args, ctx->input_count);
    fy_kernel_ctx base = *ctx;
    base.input_count = 2;
    base.donatable = 0;
    ferry_status st = product(&base, pads);
    if (st)
        return st;
    ferry_tensor *y = ctx->outputs[0].t;
    if (y->dtype != FERRY_DT_FLOAT && n_ops > 0)
        return fy_kernel_fail(ctx, FERRY_ERR_UNSUPPORTED, "fused ops on %s", ferry_dtype_name(y->dtype));
    int64_t channels = y->rank > 0 ? y->dims[y->rank - 1] : 1;
    if (channels == 0 || y->count == 0)
        return FERRY_OK;
    for (size_t i = 0; !st && i < n_ops; i++) {
        const char *op = names[i];
        if (i == 0 && !strcmp(op, "BiasAdd") && num_args == 1) {
            const ferry_tensor *bias = fy_input(ctx, 2);
            if (!bias)
                return FERRY_ERR_INVALID_ARGUMENT;
            if (bias->dtype != FERRY_DT_FLOAT || bias->count != channels)
                return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "a bias of %lld values does not fit %lld channels",
                                      (long long)bias->count, (long long)channels);
            add_channels(y->data, y->count, bias->data, channels);
        } else if (i == 0 && !strcmp(op, "FusedBatchNorm") && num_args == 4) {
            st = batch_norm(ctx, y->data, y->count, channels);
        } else if (i > 0 && (!strcmp(op, "GeluExact") || !strcmp(op, "GeluApproximate"))) {
            gelu(y->data, y->count, !strcmp(op, "GeluExact"));
        } else if (i == 0 || !fy_nn_activation_f32(ctx, op, fy_attr_float(ctx->node, "leakyrelu_alpha", 0.2f),
                                                    y->data, y->count)) {
            return fy_kernel_fail(ctx, FERRY_ERR_UNSUPPORTED, "fused op '%s' in this position", op);
        }
    }
    return st;
}

static ferry_status matmul_product(fy_kernel_ctx *ctx, const int64_t *pads)
{
    (void)pads;
    return fy_nn_matmul(ctx);
}

ferry_status fy_nn_fused_matmul(fy_kernel_ctx *ctx)
{
    return fused(ctx, matmul_product, NULL);
}

static ferry_status conv_product(fy_kernel_ctx *ctx, const int64_t *pads)
{
    fy_conv_extras extras = { pads, NULL, 0, 0 };
    return fy_nn_conv2d_with(ctx, &extras);
}

ferry_status fy_nn_fused_conv2d_with(fy_kernel_ctx *ctx, const int64_t *pads)
{
    char format[8];
    const char *f = fy_attr_enum(ctx, "data_format", format, sizeof(format), "NHWC");
    if (!f)
        return FERRY_ERR_INVALID_ARGUMENT;
    if (strcmp(f, "NHWC") != 0)
        return fy_kernel_fail(ctx, FERRY_ERR_UNSUPPORTED, "data_format %s (only NHWC)", f);
    return fused(ctx, conv_product, pads);
}

ferry_status fy_nn_fused_conv2d(fy_kernel_ctx *ctx)
{
    return fy_nn_fused_conv2d_with(ctx, NULL);
}

/* ---- per-channel chains ------------------------------------------------ */

int fy_channel_chain_fits_shape(int rank, int64_t channels, const fy_chain_step *steps, int n)
{
    if (rank < 1)
        return 0;
    for (int i = 0; i < n; i++) {
        const ferry_tensor *v = steps[i].v;
        if (!v)
            continue;
        if (v->dtype != FERRY_DT_FLOAT || v->rank > rank || (v->count != 1 && v->count != channels))
            return 0;
        if (v->count != 1 && (v->rank == 0 || v->dims[v->rank - 1] != channels))
            return 0;
    }
    return 1;
}

int fy_channel_chain_fits(const ferry_tensor *x, const fy_chain_step *steps, int n)
{
    return x && x->dtype == FERRY_DT_FLOAT && x->rank >= 1 &&
           fy_channel_chain_fits_shape(x->rank, x->dims[x->rank - 1], steps, n);
}

typedef struct chain_job {
    const fy_chain_step *steps;
    int n;
    const float *x;
    float *y;
    int64_t channels, rows, step;
} chain_job;

/* One step over `len` channels; v is the step's operand for those channels. */
static void chain_step_span(float *restrict row, int64_t len, fy_chain_op op, const float *restrict v)
{
    switch (op) {
    case FY_CHAIN_MUL:
        for (int64_t c = 0; c < len; c++)
            row[c] = row[c] * v[c];
        break;
    case FY_CHAIN_ADD:
        for (int64_t c = 0; c < len; c++)
            row[c] = row[c] + v[c];
        break;
    case FY_CHAIN_SUB:
        for (int64_t c = 0; c < len; c++)
            row[c] = row[c] - v[c];
        break;
    case FY_CHAIN_SUB_FROM:
        for (int64_t c = 0; c < len; c++)
            row[c] = v[c] - row[c];
        break;
    case FY_CHAIN_RELU:
        for (int64_t c = 0; c < len; c++)
            row[c] = row[c] > 0 || row[c] != row[c] ? row[c] : 0.0f;
        break;
    case FY_CHAIN_RELU6:
        for (int64_t c = 0; c < len; c++)
            row[c] = row[c] != row[c] ? row[c] : row[c] < 0 ? 0.0f : row[c] > 6 ? 6.0f : row[c];
        break;
    }
}

/* The chains convolutions end in, batch norm as a multiply and an add (after
 * a bias add or not), or a bias add alone, then an activation, run by vector loops that load and store each
 * value once where a step at a time would load and store it once per step.
 * Same operations in the same order as chain_step_span. Activations on
 * vectors: min and max pick their second operand when unordered or when
 * both are zero, so Relu6 passes NaN and keeps -0, and Relu (which turns -0
 * into +0, as max(x, 0) does) puts NaN back where it was. */
enum { CHAIN_OTHER, CHAIN_MUL_ADD, CHAIN_ADD_MUL_ADD, CHAIN_ADD };

#define CHAIN_LOOP(W, V, LOAD, STORE, EXPR)                                                         \
    for (; c + W <= len; c += W) {                                                                  \
        V x = LOAD(row + c);                                                                        \
        STORE(row + c, EXPR);                                                                       \
    }

/* The three patterns with each activation or none. */
#define CHAIN_PATTERNS(W, V, LOAD, STORE, ADD, MUL, ACT)                                            \
    if (pattern == CHAIN_MUL_ADD)                                                                   \
        CHAIN_LOOP(W, V, LOAD, STORE, ACT(ADD(MUL(x, LOAD(v[0] + c)), LOAD(v[1] + c))))             \
    else if (pattern == CHAIN_ADD_MUL_ADD)                                                          \
        CHAIN_LOOP(W, V, LOAD, STORE, ACT(ADD(MUL(ADD(x, LOAD(v[0] + c)), LOAD(v[1] + c)), LOAD(v[2] + c)))) \
    else if (pattern == CHAIN_ADD)                                                                  \
        CHAIN_LOOP(W, V, LOAD, STORE, ACT(ADD(x, LOAD(v[0] + c))))

#define CHAIN_NO_ACT(x) (x)

/* Defines NAME(row, c, len, pattern, act, v): channels [c, len) of row, W at a
 * time, v the operands of the pattern's steps; returns where it stopped. */
#define DEFINE_CHAIN_LOOPS(NAME, ATTR, W, V, LOAD, STORE, ADD, MUL, RELU, RELU6)                     \
    ATTR static int64_t NAME(float *row, int64_t c, int64_t len, int pattern, int act, const float *const *v) \
    {                                                                                               \
        if (act == FY_CHAIN_RELU6) {                                                                \
            CHAIN_PATTERNS(W, V, LOAD, STORE, ADD, MUL, RELU6)                                      \
        } else if (act == FY_CHAIN_RELU) {                                                          \
            CHAIN_PATTERNS(W, V, LOAD, STORE, ADD, MUL, RELU)                                       \
        } else {                                                                                    \
            CHAIN_PATTERNS(W, V, LOAD, STORE, ADD, MUL, CHAIN_NO_ACT)                               \
        }                                                                                           \
        return c;                                                                                   \
    }

#ifdef __SSE__
static __m128 relu_sse(__m128 x)
{
    __m128 nan = _mm_cmpunord_ps(x, x);
    return _mm_or_ps(_mm_and_ps(nan, x), _mm_andnot_ps(nan, _mm_max_ps(x, _mm_setzero_ps())));
}

static __m128 relu6_sse(__m128 x)
{
    return _mm_min_ps(_mm_set1_ps(6.0f), _mm_max_ps(_mm_setzero_ps(), x));
}

DEFINE_CHAIN_LOOPS(chain_loops_sse, , 4, __m128, _mm_loadu_ps, _mm_storeu_ps, _mm_add_ps, _mm_mul_ps, relu_sse,
                   relu6_sse)
#endif

#ifdef FY_AVX512
FY_TARGET_AVX512 static __m512 relu_avx512(__m512 x)
{
    return _mm512_mask_blend_ps(_mm512_cmp_ps_mask(x, x, _CMP_UNORD_Q), _mm512_max_ps(x, _mm512_setzero_ps()), x);
}

FY_TARGET_AVX512 static __m512 relu6_avx512(__m512 x)
{
    return _mm512_min_ps(_mm512_set1_ps(6.0f), _mm512_max_ps(_mm512_setzero_ps(), x));
}

DEFINE_CHAIN_LOOPS(chain_loops_avx512, FY_TARGET_AVX512, 16, __m512, _mm512_loadu_ps, _mm512_storeu_ps, _mm512_add_ps,
                   _mm512_mul_ps, relu_avx512, relu6_avx512)
#endif

#ifdef __SSE__
/* Which of the vector loops fits a chain, and its activation (-1: none). */
static int chain_pattern(const fy_chain_step *steps, int n, int *act)
{
    *act = n > 0 && (steps[n - 1].op == FY_CHAIN_RELU || steps[n - 1].op == FY_CHAIN_RELU6) ? (int)steps[n - 1].op
                                                                                              : -1;
    int affine = *act < 0 ? n : n - 1;
    if (affine == 2 && steps[0].op == FY_CHAIN_MUL && steps[1].op == FY_CHAIN_ADD)
        return CHAIN_MUL_ADD;
    if (affine == 3 && steps[0].op == FY_CHAIN_ADD && steps[1].op == FY_CHAIN_MUL && steps[2].op == FY_CHAIN_ADD)
        return CHAIN_ADD_MUL_ADD;
    return affine == 1 && steps[0].op == FY_CHAIN_ADD ? CHAIN_ADD : CHAIN_OTHER;
}
#endif

/* Channels are taken CHAIN_SPAN at a time, all steps on one span before the
 * next, so the data stays in registers or L1 however long the chain. */
#define CHAIN_SPAN 256

void fy_channel_chain_apply(float *y, int64_t rows, int64_t ch, const fy_chain_step *steps, int n)
{
    float scalars[FY_CHAIN_MAX][CHAIN_SPAN]; /* scalar operands, broadcast */
    const float *vec[FY_CHAIN_MAX], *at[FY_CHAIN_MAX];
    for (int s = 0; s < n; s++) {
        const ferry_tensor *v = steps[s].v;
        vec[s] = v ? v->data : NULL;
        if (v && v->count == 1) {
            for (int c = 0; c < CHAIN_SPAN; c++)
                scalars[s][c] = ((const float *)v->data)[0];
            vec[s] = NULL;
        }
    }
#ifdef __SSE__
    int act, pattern = chain_pattern(steps, n, &act);
#ifdef FY_AVX512
    int avx512 = pattern != CHAIN_OTHER && fy_cpu_has_avx512();
#endif
#endif
    for (int64_t r = 0; r < rows; r++, y += ch)
        for (int64_t c0 = 0; c0 < ch; c0 += CHAIN_SPAN) {
            int64_t span = ch - c0 < CHAIN_SPAN ? ch - c0 : CHAIN_SPAN, done = 0;
            for (int s = 0; s < n; s++)
                at[s] = steps[s].v ? vec[s] ? vec[s] + c0 : scalars[s] : NULL;
#ifdef __SSE__
#ifdef FY_AVX512
            if (avx512)
                done = chain_loops_avx512(y + c0, done, span, pattern, act, at);
#endif
            done = chain_loops_sse(y + c0, done, span, pattern, act, at);
#endif
            for (int s = 0; done < span && s < n; s++)
                chain_step_span(y + c0 + done, span - done, steps[s].op, at[s] ? at[s] + done : NULL);
        }
}

/* Rows [r0, r1), a few at a time so that each step finds them in the cache. */
static void chain_rows(void *ctx, int part)
{
    const chain_job *j = ctx;
    int64_t r0 = part * j->step, r1 = r0 + j->step < j->rows ? r0 + j->step : j->rows, ch = j->channels;
    int64_t batch = ch >= 1024 ? 1 : 1024 / ch;
    for (int64_t r = r0; r < r1; r += batch) {
        int64_t nr = r1 - r < batch ? r1 - r : batch;
        if (j->y != j->x)
            memcpy(j->y + r * ch, j->x + r * ch, (size_t)(nr * ch) * sizeof(float));
        fy_channel_chain_apply(j->y + r * ch, nr, ch, j->steps, j->n);
    }
}

ferry_status fy_channel_chain(fy_kernel_ctx *ctx, int x_input, const fy_chain_step *steps, int n)
{
    const ferry_tensor *x = fy_input(ctx, x_input);
    if (!x)
        return FERRY_ERR_INVALID_ARGUMENT;
    if (!fy_channel_chain_fits(x, steps, n))
        return fy_kernel_fail(ctx, FERRY_ERR_INTERNAL, "a fused chain does not fit its operands");
    ferry_tensor *out = fy_output_reuse(ctx, 0, x_input, FERRY_DT_FLOAT, x->dims, x->rank);
    if (!out)
        return FERRY_ERR_OUT_OF_MEMORY;
    int64_t channels = x->dims[x->rank - 1];
    if (out->count == 0 || channels == 0)
        return FERRY_OK;
    chain_job j = { steps, n, x->data, out->data, channels, out->count / channels, 0 };
    int threads = out->count < ((int64_t)1 << 16) ? 1 : fy_pool_threads(ctx->pool);
    int64_t parts = threads == 1 ? 1 : (int64_t)threads * 4 < j.rows ? (int64_t)threads * 4 : j.rows;
    j.step = (j.rows + parts - 1) / parts;
    fy_pool_run(threads == 1 ? NULL : ctx->pool, fy_pool_parts(j.rows, j.step), chain_rows, &j);
    return FERRY_OK;
}
