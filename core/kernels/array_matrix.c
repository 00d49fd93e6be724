/* Ops on the inner matrices of a tensor: MatrixBandPart and the diagonal
 * ops MatrixDiag, MatrixDiagPart, MatrixSetDiag (V1, V2 and V3).
 *
 * A band of diagonals lower..upper (d = column - row) is stored as
 * [..., upper - lower + 1, max_len] (or [..., max_len] for one diagonal),
 * row 0 holding the uppermost. A diagonal shorter than max_len sits at the
 * left or right of its row as `align` says ("RIGHT_LEFT": superdiagonals
 * right, subdiagonals left; V1 and V2 align everything left). */
#include <string.h>

#include "kernels/array_internal.h"

typedef struct band {
    int64_t lower, upper;       /* diagonal indices */
    int64_t rows, cols;         /* matrix shape */
    int64_t max_len;            /* length of a stored diagonal */
    int left_super, left_sub;   /* alignment */
    int single;                 /* one diagonal: no diagonal-index dim */
} band;

static int64_t min64(int64_t a, int64_t b) { return a < b ? a : b; }
static int64_t max64(int64_t a, int64_t b) { return a > b ? a : b; }

static int64_t diag_len(const band *b, int64_t d)
{
    return min64(b->rows + min64(0, d), b->cols - max64(0, d));
}

/* Where diagonal d starts in its stored row. */
static int64_t diag_offset(const band *b, int64_t d)
{
    int left = (d >= 0 && b->left_super) || (d <= 0 && b->left_sub);
    return left ? 0 : b->max_len - diag_len(b, d);
}

/* The stored position (diagonal row * max_len + index) of matrix element
 * (i, j), or -1 when it lies outside the band. */
static int64_t band_position(const band *b, int64_t i, int64_t j)
{
    int64_t d = j - i;
    if (d < b->lower || d > b->upper)
        return -1;
    return (b->upper - d) * b->max_len + (d >= 0 ? i : j) + diag_offset(b, d);
}

/* k (scalar or [lower, upper]) and the align attr; V1 ops pass k_index -1. */
static ferry_status read_band(fy_kernel_ctx *ctx, int k_index, int version, band *b)
{
    b->lower = b->upper = 0;
    if (k_index >= 0) {
        const ferry_tensor *k = fy_input(ctx, k_index);
        int64_t v[2];
        if (!k)
            return FERRY_ERR_INVALID_ARGUMENT;
        if (k->rank > 1 || k->count < 1 || k->count > 2)
            return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "k must be a scalar or a vector of two");
        ferry_status st = fy_read_ints(ctx, k, v, 2, "k");
        if (st)
            return st;
        b->lower = v[0];
        b->upper = k->count == 2 ? v[1] : v[0];
        if (b->lower < INT32_MIN || b->upper > INT32_MAX)
            return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "k must fit int32");
        if (b->lower > b->upper)
            return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "lower diagonal index %lld must not exceed upper %lld",
                                  (long long)b->lower, (long long)b->upper);
    }
    char buf[16];
    const char *align = fy_attr_enum(ctx, "align", buf, sizeof(buf), version == 3 ? "RIGHT_LEFT" : "LEFT_LEFT");
    if (!align)
        return FERRY_ERR_INVALID_ARGUMENT;
    if (strcmp(align, "LEFT_RIGHT") && strcmp(align, "RIGHT_LEFT") && strcmp(align, "LEFT_LEFT") &&
        strcmp(align, "RIGHT_RIGHT"))
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT,
                              "align must be LEFT_RIGHT, RIGHT_LEFT, LEFT_LEFT or RIGHT_RIGHT, not '%s'", align);
    b->left_super = !strncmp(align, "LEFT", 4);
    b->left_sub = strlen(align) >= 4 && !strcmp(align + strlen(align) - 4, "LEFT");
    b->single = b->lower == b->upper;
    return FERRY_OK;
}

/* The padding value (input `index`, a scalar of dtype), or NULL for zeros. */
static ferry_status padding(fy_kernel_ctx *ctx, int index, ferry_dtype dtype, const ferry_tensor **out)
{
    *out = NULL;
    if (index < 0)
        return FERRY_OK;
    if (!(*out = fy_input(ctx, index)))
        return FERRY_ERR_INVALID_ARGUMENT;
    if ((*out)->rank != 0 || (*out)->dtype != dtype)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "padding_value must be a scalar %s",
                              ferry_dtype_name(dtype));
    return FERRY_OK;
}

/* The diagonals tensor's [num_diags, max_len] tail, checked against the band. */
static ferry_status diag_shape(fy_kernel_ctx *ctx, const ferry_tensor *diag, band *b, int *batch_rank)
{
    int tail = b->single ? 1 : 2;
    if (diag->rank < tail)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "diagonal must be at least %d-D", tail);
    if (!b->single && diag->dims[diag->rank - 2] != b->upper - b->lower + 1)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "diagonal has %lld diagonals, k asks for %lld",
                              (long long)diag->dims[diag->rank - 2], (long long)(b->upper - b->lower + 1));
    b->max_len = diag->dims[diag->rank - 1];
    *batch_rank = diag->rank - tail;
    return FERRY_OK;
}

/* MatrixDiag[V2|V3](diagonal[, k, num_rows, num_cols, padding_value]). */
static ferry_status matrix_diag(fy_kernel_ctx *ctx, int version)
{
    const ferry_tensor *diag = fy_input(ctx, 0), *pad;
    band b;
    int batch_rank = 0;
    if (!diag)
        return FERRY_ERR_INVALID_ARGUMENT;
    ferry_status st = fy_arr_check_movable(ctx, diag);
    if (!st)
        st = read_band(ctx, version > 1 ? 1 : -1, version, &b);
    if (!st)
        st = diag_shape(ctx, diag, &b, &batch_rank);
    if (!st)
        st = padding(ctx, version > 1 ? 4 : -1, diag->dtype, &pad);
    int64_t rows = -1, cols = -1;
    if (!st && version > 1) {
        const ferry_tensor *rows_t = fy_input(ctx, 2), *cols_t = rows_t ? fy_input(ctx, 3) : NULL;
        st = cols_t ? fy_arr_scalar_int(ctx, rows_t, &rows, "num_rows") : FERRY_ERR_INVALID_ARGUMENT;
        if (!st)
            st = fy_arr_scalar_int(ctx, cols_t, &cols, "num_cols");
    }
    if (st)
        return st;
    int64_t min_rows = b.max_len - min64(b.upper, 0), min_cols = b.max_len + max64(b.lower, 0);
    if (rows < 0 && cols < 0)
        rows = cols = max64(min_rows, min_cols);
    else if (rows < 0)
        rows = min_rows;
    else if (cols < 0)
        cols = min_cols;
    if (rows != min_rows && cols != min_cols)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT,
                              "the number of rows or columns is not consistent with k and the diagonal");
    if (batch_rank + 2 > FERRY_MAX_RANK)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "the result would exceed rank %d", FERRY_MAX_RANK);
    b.rows = rows;
    b.cols = cols;
    int64_t dims[FERRY_MAX_RANK];
    memcpy(dims, diag->dims, (size_t)batch_rank * sizeof(int64_t));
    dims[batch_rank] = rows;
    dims[batch_rank + 1] = cols;
    ferry_tensor *out;
    if ((st = fy_arr_new_output(ctx, 0, diag->dtype, dims, batch_rank + 2, &out)) != FERRY_OK || out->count == 0)
        return st;
    int64_t per_batch = (b.upper - b.lower + 1) * b.max_len;
    for (int64_t at = 0; !st && at < out->count; at++) {
        int64_t m = at / (rows * cols), i = at / cols % rows, j = at % cols;
        int64_t p = band_position(&b, i, j);
        if (p >= 0)
            st = fy_arr_copy_one(ctx, out, at, diag, m * per_batch + p);
        else if (pad)
            st = fy_arr_copy_one(ctx, out, at, pad, 0);
    }
    return st;
}

/* The matrix shape of the input and checks of the band against it. */
static ferry_status matrix_input(fy_kernel_ctx *ctx, const ferry_tensor *in, band *b)
{
    if (in->rank < 2)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "input must be at least 2-D, not of rank %d", in->rank);
    b->rows = in->dims[in->rank - 2];
    b->cols = in->dims[in->rank - 1];
    if ((b->lower <= -b->rows && b->lower != 0) || (b->upper >= b->cols && b->upper != 0))
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "diagonal indices %lld..%lld do not fit a %lldx%lld matrix",
                              (long long)b->lower, (long long)b->upper, (long long)b->rows, (long long)b->cols);
    b->max_len = max64(0, min64(b->rows + min64(b->upper, 0), b->cols - max64(b->lower, 0)));
    return fy_arr_check_movable(ctx, in);
}

/* MatrixDiagPart[V2|V3](input[, k, padding_value]). */
static ferry_status matrix_diag_part(fy_kernel_ctx *ctx, int version)
{
    const ferry_tensor *in = fy_input(ctx, 0), *pad;
    band b;
    if (!in)
        return FERRY_ERR_INVALID_ARGUMENT;
    ferry_status st = read_band(ctx, version > 1 ? 1 : -1, version, &b);
    if (!st)
        st = matrix_input(ctx, in, &b);
    if (!st)
        st = padding(ctx, version > 1 ? 2 : -1, in->dtype, &pad);
    if (st)
        return st;
    int64_t dims[FERRY_MAX_RANK], n = b.upper - b.lower + 1;
    int rank = in->rank - 2;
    memcpy(dims, in->dims, (size_t)rank * sizeof(int64_t));
    if (!b.single)
        dims[rank++] = n;
    dims[rank++] = b.max_len;
    ferry_tensor *out;
    if ((st = fy_arr_new_output(ctx, 0, in->dtype, dims, rank, &out)) != FERRY_OK || out->count == 0)
        return st;
    for (int64_t at = 0; !st && at < out->count; at++) {
        int64_t m = at / (n * b.max_len), d = b.upper - at / b.max_len % n;
        int64_t idx = at % b.max_len - diag_offset(&b, d);
        if (idx >= 0 && idx < diag_len(&b, d)) {
            int64_t i = d >= 0 ? idx : idx - d;
            st = fy_arr_copy_one(ctx, out, at, in, (m * b.rows + i) * b.cols + i + d);
        } else if (pad) {
            st = fy_arr_copy_one(ctx, out, at, pad, 0);
        }
    }
    return st;
}

/* MatrixSetDiag[V2|V3](input, diagonal[, k]). */
static ferry_status matrix_set_diag(fy_kernel_ctx *ctx, int version)
{
    const ferry_tensor *in = fy_input(ctx, 0), *diag = in ? fy_input(ctx, 1) : NULL;
    band b;
    int batch_rank = 0;
    if (!diag)
        return FERRY_ERR_INVALID_ARGUMENT;
    ferry_status st = read_band(ctx, version > 1 ? 2 : -1, version, &b);
    if (!st)
        st = matrix_input(ctx, in, &b);
    if (st)
        return st;
    int64_t want = b.max_len;
    if ((st = diag_shape(ctx, diag, &b, &batch_rank)) != FERRY_OK)
        return st;
    if (diag->dtype != in->dtype || b.max_len != want || batch_rank != in->rank - 2 ||
        memcmp(diag->dims, in->dims, (size_t)batch_rank * sizeof(int64_t)) != 0)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "diagonal does not match the input's batch shape and band");
    ferry_tensor *out;
    if ((st = fy_arr_new_output(ctx, 0, in->dtype, in->dims, in->rank, &out)) != FERRY_OK)
        return st;
    int64_t per_batch = (b.upper - b.lower + 1) * b.max_len, per_matrix = b.rows * b.cols;
    for (int64_t at = 0; !st && at < in->count; at++) {
        int64_t i = at / b.cols % b.rows, j = at % b.cols, p = band_position(&b, i, j);
        st = p >= 0 ? fy_arr_copy_one(ctx, out, at, diag, at / per_matrix * per_batch + p)
                    : fy_arr_copy_one(ctx, out, at, in, at);
    }
    return st;
}

/* MatrixBandPart(input, num_lower, num_upper): keeps the band of every
 * inner matrix (a negative bound keeps that whole triangle), zeroes the rest. */
ferry_status fy_arr_matrix_band_part(fy_kernel_ctx *ctx)
{
    const ferry_tensor *in = fy_input(ctx, 0), *lo_t = in ? fy_input(ctx, 1) : NULL;
    const ferry_tensor *up_t = lo_t ? fy_input(ctx, 2) : NULL;
    int64_t lower, upper;
    if (!up_t)
        return FERRY_ERR_INVALID_ARGUMENT;
    ferry_status st = fy_arr_check_movable(ctx, in);
    if (!st)
        st = fy_arr_scalar_int(ctx, lo_t, &lower, "num_lower");
    if (!st)
        st = fy_arr_scalar_int(ctx, up_t, &upper, "num_upper");
    if (st)
        return st;
    if (in->rank < 2)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "input must be at least 2-D, not of rank %d", in->rank);
    int64_t rows = in->dims[in->rank - 2], cols = in->dims[in->rank - 1];
    if (lower > rows || upper > cols)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT,
                              "num_lower (%lld) and num_upper (%lld) must be negative or at most the rows (%lld) and "
                              "columns (%lld)", (long long)lower, (long long)upper, (long long)rows, (long long)cols);
    ferry_tensor *out;
    if ((st = fy_arr_new_output(ctx, 0, in->dtype, in->dims, in->rank, &out)) != FERRY_OK || in->count == 0)
        return st;
    for (int64_t r = 0; !st && r < in->count / cols; r++) {
        int64_t i = r % rows;
        int64_t first = lower < 0 || i - lower < 0 ? 0 : i - lower;
        int64_t end = upper < 0 || i + upper >= cols ? cols : i + upper + 1;
        if (first < end)
            st = fy_arr_copy(ctx, out, r * cols + first, in, r * cols + first, end - first);
    }
    return st;
}

ferry_status fy_arr_matrix_diag(fy_kernel_ctx *ctx) { return matrix_diag(ctx, 1); }
ferry_status fy_arr_matrix_diag_v2(fy_kernel_ctx *ctx) { return matrix_diag(ctx, 2); }
ferry_status fy_arr_matrix_diag_v3(fy_kernel_ctx *ctx) { return matrix_diag(ctx, 3); }
ferry_status fy_arr_matrix_diag_part(fy_kernel_ctx *ctx) { return matrix_diag_part(ctx, 1); }
ferry_status fy_arr_matrix_diag_part_v2(fy_kernel_ctx *ctx) { return matrix_diag_part(ctx, 2); }
ferry_status fy_arr_matrix_diag_part_v3(fy_kernel_ctx *ctx) { return matrix_diag_part(ctx, 3); }
ferry_status fy_arr_matrix_set_diag(fy_kernel_ctx *ctx) { return matrix_set_diag(ctx, 1); }
ferry_status fy_arr_matrix_set_diag_v2(fy_kernel_ctx *ctx) { return matrix_set_diag(ctx, 2); }
ferry_status fy_arr_matrix_set_diag_v3(fy_kernel_ctx *ctx) { return matrix_set_diag(ctx, 3); }
