/* _FerryLSTMCell: the elementwise part of a Keras LSTM step in one pass
 * (runtime/cells.c makes these nodes). Inputs: the split dimension; z, the
 * gate pre-activations (input, forget, cell and output gates, in that order
 * along the split dimension); optionally a bias added along z's last
 * dimension first, as a BiasAdd does; and the cell state c. Outputs:
 *
 *   c' = sigmoid(z_f) * c + sigmoid(z_i) * tanh(z_g)
 *   h' = sigmoid(z_o) * tanh(c')
 *
 * with the ops' own float operations in their order, so the bits are those
 * of the ops run one by one. */
#include <stdlib.h>
#include <string.h>

#include "base/parallel.h"
#include "kernels/fast_math.h"
#include "kernels/kernel.h"
#include "kernels/nn_internal.h"

typedef void (*float_map)(const float *x, float *y, int64_t n);

typedef struct cell_job {
    const float *z, *bias, *c;
    float *c_out, *h_out;
    int64_t outer, span;   /* z is [outer, 4, span]; c, c' and h' are [outer, span] */
    int64_t last;          /* z's last dim, which the bias runs along */
    int bias_by_gate;      /* split along the last dim: gate k's bias starts at k * span */
    float_map sigmoid, tanh_map;
    int64_t rows_per_part;
} cell_job;

enum { CHUNK = 64 };

static void cell_row(const cell_job *j, int64_t o)
{
    float gates[4][CHUNK], squashed[CHUNK];
    const float *row = j->z + o * 4 * j->span;
    for (int64_t j0 = 0; j0 < j->span; j0 += CHUNK) {
        int64_t len = j->span - j0 < CHUNK ? j->span - j0 : CHUNK;
        for (int k = 0; k < 4; k++) {
            const float *src = row + k * j->span + j0;
            if (!j->bias) {
                memcpy(gates[k], src, (size_t)len * sizeof(float));
            } else if (j->bias_by_gate) {
                const float *b = j->bias + k * j->span + j0;
                for (int64_t i = 0; i < len; i++)
                    gates[k][i] = src[i] + b[i];
            } else {
                int64_t at = (o * 4 + k) * j->span + j0;
                for (int64_t i = 0; i < len; i++)
                    gates[k][i] = src[i] + j->bias[(at + i) % j->last];
            }
        }
        j->sigmoid(gates[0], gates[0], len);
        j->sigmoid(gates[1], gates[1], len);
        j->tanh_map(gates[2], gates[2], len);
        j->sigmoid(gates[3], gates[3], len);
        const float *c = j->c + o * j->span + j0;
        float *c_out = j->c_out + o * j->span + j0, *h_out = j->h_out + o * j->span + j0;
        for (int64_t i = 0; i < len; i++) {
            float kept = gates[1][i] * c[i], fresh = gates[0][i] * gates[2][i];
            c_out[i] = kept + fresh;
        }
        j->tanh_map(c_out, squashed, len);
        for (int64_t i = 0; i < len; i++)
            h_out[i] = gates[3][i] * squashed[i];
    }
}

static void cell_part(void *ctx, int part)
{
    const cell_job *j = ctx;
    for (int64_t o = part * j->rows_per_part; o < j->outer && o < (part + 1) * j->rows_per_part; o++)
        cell_row(j, o);
}

/* c spread to the piece's shape, when it broadcasts to it; NULL otherwise
 * (or when out of memory: *oom set). */
static float *broadcast_state(const ferry_tensor *c, const int64_t *dims, int rank, int64_t count, int *oom)
{
    if (c->rank > rank)
        return NULL;
    int64_t strides[FERRY_MAX_RANK] = { 0 }, stride = 1;
    for (int d = rank - 1, e = c->rank - 1; d >= 0; d--, e--) {
        int64_t size = e >= 0 ? c->dims[e] : 1;
        if (size != 1 && size != dims[d])
            return NULL;
        strides[d] = size == 1 ? 0 : stride;
        stride *= size;
    }
    float *out = malloc((size_t)count * sizeof(float) + 1);
    if (!out) {
        *oom = 1;
        return NULL;
    }
    for (int64_t p = 0; p < count; p++) {
        int64_t rest = p, at = 0;
        for (int d = rank - 1; d >= 0; d--) {
            at += rest % dims[d] * strides[d];
            rest /= dims[d];
        }
        out[p] = ((const float *)c->data)[at];
    }
    return out;
}

static void pick_maps(float_map *sigmoid, float_map *tanh_map)
{
#ifdef FY_AVX512
    if (fy_cpu_has_avx512()) {
        *sigmoid = fy_sigmoid_array_f32_avx512;
        *tanh_map = fy_tanh_array_f32_avx512;
        return;
    }
#endif
    *sigmoid = fy_sigmoid_array_f32;
    *tanh_map = fy_tanh_array_f32;
}

#define PARALLEL_MIN_ELEMENTS ((int64_t)1 << 16)

static ferry_status k_lstm_cell(fy_kernel_ctx *ctx)
{
    if (ctx->input_count != 3 && ctx->input_count != 4)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "takes 3 or 4 inputs, given %d", ctx->input_count);
    int with_bias = ctx->input_count == 4;
    const ferry_tensor *dim = fy_input(ctx, 0), *z = dim ? fy_input(ctx, 1) : NULL;
    const ferry_tensor *bias = z && with_bias ? fy_input(ctx, 2) : NULL, *c = z ? fy_input(ctx, 2 + with_bias) : NULL;
    if (!c || (with_bias && !bias))
        return FERRY_ERR_INVALID_ARGUMENT;
    int64_t axis;
    if (dim->count != 1)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "the split dimension must be a scalar");
    ferry_status st = fy_read_ints(ctx, dim, &axis, 1, "split_dim");
    if (st)
        return st;
    char a[96], b[96];
    if (z->dtype != FERRY_DT_FLOAT || c->dtype != FERRY_DT_FLOAT || (bias && bias->dtype != FERRY_DT_FLOAT))
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "gates, bias and cell state must be float32");
    if (axis < 0)
        axis += z->rank;
    if (axis < 0 || axis >= z->rank || z->dims[axis] % 4 != 0)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "cannot split gates %s in four along dimension %lld",
                              fy_dims_str(a, sizeof(a), z->dims, z->rank), (long long)axis);
    int64_t last = z->rank > 0 ? z->dims[z->rank - 1] : 1;
    if (bias && (z->rank < 2 || bias->rank != 1 || bias->dims[0] != last))
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "bias %s does not match the channels of %s",
                              fy_dims_str(a, sizeof(a), bias->dims, bias->rank),
                              fy_dims_str(b, sizeof(b), z->dims, z->rank));
    int64_t dims[FERRY_MAX_RANK];
    memcpy(dims, z->dims, (size_t)z->rank * sizeof(int64_t));
    dims[axis] /= 4;
    int64_t outer = 1, span = 1;
    for (int d = 0; d < z->rank; d++)
        *(d < axis ? &outer : &span) *= dims[d];
    float *spread = NULL;
    int same = c->rank == z->rank && !memcmp(c->dims, dims, (size_t)z->rank * sizeof(int64_t)), oom = 0;
    if (!same && !(spread = broadcast_state(c, dims, z->rank, outer * span, &oom)))
        return oom ? fy_kernel_fail(ctx, FERRY_ERR_OUT_OF_MEMORY, "out of memory")
                   : fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "cell state %s does not broadcast to gates of %s",
                                    fy_dims_str(a, sizeof(a), c->dims, c->rank),
                                    fy_dims_str(b, sizeof(b), dims, z->rank));
    ferry_tensor *c_out = fy_output_new_uninit(ctx, 0, FERRY_DT_FLOAT, dims, z->rank);
    ferry_tensor *h_out = c_out ? fy_output_new_uninit(ctx, 1, FERRY_DT_FLOAT, dims, z->rank) : NULL;
    if (!h_out) {
        free(spread);
        return FERRY_ERR_OUT_OF_MEMORY;
    }
    cell_job j = { z->data, bias ? bias->data : NULL, spread ? spread : c->data, c_out->data, h_out->data, outer,
                   span, last, axis == z->rank - 1, NULL, NULL, outer };
    pick_maps(&j.sigmoid, &j.tanh_map);
    int threads = outer * span < PARALLEL_MIN_ELEMENTS ? 1 : fy_pool_threads(ctx->pool);
    if (threads > 1 && outer > 1) {
        j.rows_per_part = (outer + threads - 1) / threads;
        fy_pool_run(ctx->pool, fy_pool_parts(outer, j.rows_per_part), cell_part, &j);
    } else {
        cell_part(&j, 0);
    }
    free(spread);
    return FERRY_OK;
}

const fy_op_def fy_kernels_rnn[] = {
    { .name = "_FerryLSTMCell", .run = k_lstm_cell,
      .outputs = "c,h", .traits = FY_OP_INTERNAL | FY_OP_DYNAMIC_SHAPE },
    { .name = NULL },
};
