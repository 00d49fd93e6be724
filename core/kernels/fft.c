/* Discrete Fourier transforms over the innermost 1, 2 or 3 dims: FFT,
 * IFFT, RFFT, IRFFT and their 2D / 3D forms. Computed in double (radix 2,
 * and Bluestein's chirp-z for other lengths) and rounded once to the
 * output's precision. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kernels/array_internal.h"

#define PI 3.14159265358979323846

/* In-place radix-2 transform of n = 2^k points (re, im interleaved);
 * sign -1 forward, +1 inverse (unscaled). */
static void radix2(double *x, int64_t n, int sign)
{
    for (int64_t i = 1, j = 0; i < n; i++) {
        int64_t bit = n >> 1;
        for (; j & bit; bit >>= 1)
            j ^= bit;
        j ^= bit;
        if (i < j) {
            double tr = x[2 * i], ti = x[2 * i + 1];
            x[2 * i] = x[2 * j], x[2 * i + 1] = x[2 * j + 1];
            x[2 * j] = tr, x[2 * j + 1] = ti;
        }
    }
    for (int64_t len = 2; len <= n; len <<= 1) {
        for (int64_t k = 0; k < len / 2; k++) {
            double a = sign * 2 * PI * (double)k / (double)len, wr = cos(a), wi = sin(a);
            for (int64_t i = k; i < n; i += len) {
                double *u = x + 2 * i, *v = x + 2 * (i + len / 2);
                double vr = v[0] * wr - v[1] * wi, vi = v[0] * wi + v[1] * wr;
                v[0] = u[0] - vr, v[1] = u[1] - vi;
                u[0] += vr, u[1] += vi;
            }
        }
    }
}

/* One transform of n points in place: radix 2 when n is a power of two,
 * else Bluestein's convolution of length m (the power of two >= 2n - 1).
 * Returns 0 when out of memory. */
static int dft(double *x, int64_t n, int sign)
{
    if (n <= 1)
        return 1;
    if (!(n & (n - 1))) {
        radix2(x, n, sign);
        return 1;
    }
    int64_t m = 1;
    while (m < 2 * n - 1)
        m <<= 1;
    double *a = calloc((size_t)(4 * m), sizeof(double)), *b = a ? a + 2 * m : NULL;
    double *w = malloc((size_t)(2 * n) * sizeof(double));
    if (!a || !w) {
        free(a);
        free(w);
        return 0;
    }
    for (int64_t k = 0; k < n; k++) { /* chirp w_k = exp(sign i pi k^2 / n): x_j's weight
                                    * in X_k is w_k w_j conj(w_(k-j)) */
        double ang = sign * PI * (double)((k * k) % (2 * n)) / (double)n;
        w[2 * k] = cos(ang), w[2 * k + 1] = sin(ang);
    }
    for (int64_t k = 0; k < n; k++) { /* a = x * w, b = conj(w) around 0 */
        a[2 * k] = x[2 * k] * w[2 * k] - x[2 * k + 1] * w[2 * k + 1];
        a[2 * k + 1] = x[2 * k + 1] * w[2 * k] + x[2 * k] * w[2 * k + 1];
        b[2 * k] = w[2 * k], b[2 * k + 1] = -w[2 * k + 1];
        if (k) {
            b[2 * (m - k)] = w[2 * k], b[2 * (m - k) + 1] = -w[2 * k + 1];
        }
    }
    radix2(a, m, -1);
    radix2(b, m, -1);
    for (int64_t k = 0; k < m; k++) {
        double re = a[2 * k] * b[2 * k] - a[2 * k + 1] * b[2 * k + 1];
        double im = a[2 * k] * b[2 * k + 1] + a[2 * k + 1] * b[2 * k];
        a[2 * k] = re, a[2 * k + 1] = im;
    }
    radix2(a, m, 1);
    for (int64_t k = 0; k < n; k++) { /* x = w * conv / m */
        double re = a[2 * k] / (double)m, im = a[2 * k + 1] / (double)m;
        x[2 * k] = re * w[2 * k] - im * w[2 * k + 1];
        x[2 * k + 1] = im * w[2 * k] + re * w[2 * k + 1];
    }
    free(a);
    free(w);
    return 1;
}

/* Transforms a [outer, n, inner] view of x along its middle dim. */
static int along(double *x, int64_t outer, int64_t n, int64_t inner, int sign)
{
    double *line = malloc((size_t)(2 * (n ? n : 1)) * sizeof(double));
    int ok = line != NULL;
    for (int64_t o = 0; ok && o < outer; o++)
        for (int64_t i = 0; ok && i < inner; i++) {
            double *base = x + 2 * (o * n * inner + i);
            for (int64_t k = 0; k < n; k++)
                line[2 * k] = base[2 * k * inner], line[2 * k + 1] = base[2 * k * inner + 1];
            ok = dft(line, n, sign);
            for (int64_t k = 0; ok && k < n; k++)
                base[2 * k * inner] = line[2 * k], base[2 * k * inner + 1] = line[2 * k + 1];
        }
    free(line);
    return ok;
}

typedef enum kind { C2C, R2C, C2R } kind;

/* Element i of x as a complex number (real inputs have imaginary part 0). */
static void load(const ferry_tensor *x, int64_t i, double *re, double *im)
{
    switch (x->dtype) {
    case FERRY_DT_COMPLEX64: *re = ((const float *)x->data)[2 * i], *im = ((const float *)x->data)[2 * i + 1]; break;
    case FERRY_DT_COMPLEX128: *re = ((const double *)x->data)[2 * i], *im = ((const double *)x->data)[2 * i + 1]; break;
    case FERRY_DT_FLOAT: *re = ((const float *)x->data)[i], *im = 0; break;
    default: *re = ((const double *)x->data)[i], *im = 0; break;
    }
}

static ferry_status transform(fy_kernel_ctx *ctx, int dims_n, kind k, int inverse)
{
    const ferry_tensor *x = fy_input(ctx, 0);
    if (!x)
        return FERRY_ERR_INVALID_ARGUMENT;
    int real_in = x->dtype == FERRY_DT_FLOAT || x->dtype == FERRY_DT_DOUBLE;
    int complex_in = x->dtype == FERRY_DT_COMPLEX64 || x->dtype == FERRY_DT_COMPLEX128;
    if ((k == R2C && !real_in) || (k != R2C && !complex_in))
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "not defined for %s", ferry_dtype_name(x->dtype));
    if (x->rank < dims_n)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "input must have rank at least %d, not %d", dims_n,
                              x->rank);
    int first = x->rank - dims_n, wide = x->dtype == FERRY_DT_DOUBLE || x->dtype == FERRY_DT_COMPLEX128;
    int64_t len[3]; /* the transform's lengths */
    for (int d = 0; d < dims_n; d++)
        len[d] = x->dims[first + d];
    if (k != C2C) {
        const ferry_tensor *fl = fy_input(ctx, 1);
        int64_t v[3];
        if (!fl)
            return FERRY_ERR_INVALID_ARGUMENT;
        if (fl->rank != 1 || fl->count != dims_n)
            return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "fft_length must have %d elements", dims_n);
        ferry_status st = fy_read_ints(ctx, fl, v, 3, "fft_length");
        if (st)
            return st;
        for (int d = 0; d < dims_n; d++) {
            /* TF's real transforms crop but never pad their input */
            int64_t need = k == C2R && d == dims_n - 1 ? v[d] / 2 + 1 : v[d];
            if (v[d] < 0)
                return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "fft_length must be non-negative");
            if (x->dims[first + d] < need)
                return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT,
                                      "Input dimension %d must have length of at least %lld but got: %lld", first + d,
                                      (long long)need, (long long)x->dims[first + d]);
            len[d] = v[d];
        }
    }
    /* the output's dims: a real transform keeps n/2 + 1 of the last axis */
    int64_t out_dims[FERRY_MAX_RANK], work_dims[FERRY_MAX_RANK];
    memcpy(out_dims, x->dims, (size_t)x->rank * sizeof(int64_t));
    memcpy(work_dims, x->dims, (size_t)x->rank * sizeof(int64_t));
    for (int d = 0; d < dims_n; d++)
        out_dims[first + d] = work_dims[first + d] = len[d];
    if (k == R2C)
        out_dims[x->rank - 1] = len[dims_n - 1] / 2 + 1;
    int64_t outer = fy_arr_product(x->dims, 0, first), work_n = fy_arr_product(work_dims, first, x->rank);
    ferry_dtype out_type = k == C2R ? (wide ? FERRY_DT_DOUBLE : FERRY_DT_FLOAT)
                                    : (wide ? FERRY_DT_COMPLEX128 : FERRY_DT_COMPLEX64);
    ferry_tensor *out = fy_output_new(ctx, 0, out_type, out_dims, x->rank);
    if (!out)
        return FERRY_ERR_OUT_OF_MEMORY;
    if (out->count == 0)
        return FERRY_OK;
    double *w = malloc((size_t)(2 * work_n) * sizeof(double));
    if (!w)
        return fy_kernel_fail(ctx, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    int ok = 1;
    for (int64_t o = 0; ok && o < outer; o++) {
        /* the input block, cropped to the transform's lengths (complex
         * transforms have their input's own lengths); a C2R input holds only
         * n/2 + 1 of its last axis, the rest follows from Hermitian symmetry */
        memset(w, 0, (size_t)(2 * work_n) * sizeof(double));
        int64_t in_block = fy_arr_product(x->dims, first, x->rank);
        for (int64_t e = 0; e < work_n; e++) {
            int64_t rest = e, src = 0, mult = 1, coord[3];
            for (int d = dims_n - 1; d >= 0; d--) {
                coord[d] = rest % len[d];
                rest /= len[d];
            }
            int inside = 1;
            for (int d = dims_n - 1; d >= 0; d--) {
                int64_t c = coord[d];
                if (k == C2R && d == dims_n - 1 && c > len[d] / 2)
                    c = -1; /* filled by symmetry below */
                if (c < 0 || c >= x->dims[first + d])
                    inside = 0;
                src += c * mult;
                mult *= x->dims[first + d];
            }
            if (inside)
                load(x, o * in_block + src, &w[2 * e], &w[2 * e + 1]);
        }
        if (k == C2R) {
            /* inverse over the leading axes first, then the last one made
             * whole from the half spectrum */
            int64_t n_last = len[dims_n - 1], rows = work_n / (n_last ? n_last : 1);
            for (int d = 0; ok && d < dims_n - 1; d++)
                ok = along(w, fy_arr_product(len, 0, d), len[d], fy_arr_product(len, d + 1, dims_n), 1);
            for (int64_t r = 0; ok && r < rows; r++) {
                double *line = w + 2 * r * n_last;
                for (int64_t c = n_last / 2 + 1; c < n_last; c++)
                    line[2 * c] = line[2 * (n_last - c)], line[2 * c + 1] = -line[2 * (n_last - c) + 1];
                ok = dft(line, n_last, 1);
            }
        } else {
            for (int d = 0; ok && d < dims_n; d++)
                ok = along(w, fy_arr_product(len, 0, d), len[d], fy_arr_product(len, d + 1, dims_n), inverse ? 1 : -1);
        }
        double scale = inverse ? 1.0 / (double)work_n : 1.0;
        int64_t out_block = fy_arr_product(out_dims, first, x->rank), out_last = out_dims[x->rank - 1];
        for (int64_t e = 0; ok && e < out_block; e++) {
            /* R2C keeps the first n/2 + 1 of each last-axis line */
            int64_t from = k == R2C ? e / out_last * len[dims_n - 1] + e % out_last : e;
            double re = w[2 * from] * scale, im = w[2 * from + 1] * scale;
            int64_t at = o * out_block + e;
            switch (out_type) {
            case FERRY_DT_FLOAT: ((float *)out->data)[at] = (float)re; break;
            case FERRY_DT_DOUBLE: ((double *)out->data)[at] = re; break;
            case FERRY_DT_COMPLEX64:
                ((float *)out->data)[2 * at] = (float)re, ((float *)out->data)[2 * at + 1] = (float)im;
                break;
            default: ((double *)out->data)[2 * at] = re, ((double *)out->data)[2 * at + 1] = im;
            }
        }
    }
    free(w);
    return ok ? FERRY_OK : fy_kernel_fail(ctx, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
}

#define FFT(NAME, DIMS, KIND, INV) \
    static ferry_status NAME(fy_kernel_ctx *ctx) { return transform(ctx, DIMS, KIND, INV); }
FFT(k_fft, 1, C2C, 0)
FFT(k_ifft, 1, C2C, 1)
FFT(k_fft2d, 2, C2C, 0)
FFT(k_ifft2d, 2, C2C, 1)
FFT(k_fft3d, 3, C2C, 0)
FFT(k_ifft3d, 3, C2C, 1)
FFT(k_rfft, 1, R2C, 0)
FFT(k_irfft, 1, C2R, 1)
FFT(k_rfft2d, 2, R2C, 0)
FFT(k_irfft2d, 2, C2R, 1)
FFT(k_rfft3d, 3, R2C, 0)
FFT(k_irfft3d, 3, C2R, 1)

const fy_op_def fy_kernels_fft[] = {
    { .name = "FFT", .run = k_fft, .shape = fy_shape_same },
    { .name = "IFFT", .run = k_ifft, .shape = fy_shape_same },
    { .name = "FFT2D", .run = k_fft2d, .shape = fy_shape_same },
    { .name = "IFFT2D", .run = k_ifft2d, .shape = fy_shape_same },
    { .name = "FFT3D", .run = k_fft3d, .shape = fy_shape_same },
    { .name = "IFFT3D", .run = k_ifft3d, .shape = fy_shape_same },
    { .name = "RFFT", .run = k_rfft, .traits = FY_OP_DYNAMIC_SHAPE },
    { .name = "IRFFT", .run = k_irfft, .traits = FY_OP_DYNAMIC_SHAPE },
    { .name = "RFFT2D", .run = k_rfft2d, .traits = FY_OP_DYNAMIC_SHAPE },
    { .name = "IRFFT2D", .run = k_irfft2d, .traits = FY_OP_DYNAMIC_SHAPE },
    { .name = "RFFT3D", .run = k_rfft3d, .traits = FY_OP_DYNAMIC_SHAPE },
    { .name = "IRFFT3D", .run = k_irfft3d, .traits = FY_OP_DYNAMIC_SHAPE },
    { .name = NULL },
};
