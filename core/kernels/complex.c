/* Complex numbers in and out: Complex, Real, Imag, Angle, ComplexAbs, Conj. */
#include <math.h>
#include <string.h>

#include "kernels/elementwise.h"

static int is_complex(ferry_dtype dt)
{
    return dt == FERRY_DT_COMPLEX64 || dt == FERRY_DT_COMPLEX128;
}

/* Complex(real, imag), Tout: broadcast pairs of float (complex64) or double
 * (complex128). */
static ferry_status k_complex(fy_kernel_ctx *ctx)
{
    const ferry_tensor *re = fy_input(ctx, 0), *im = re ? fy_input(ctx, 1) : NULL;
    if (!im)
        return FERRY_ERR_INVALID_ARGUMENT;
    if (re->dtype != im->dtype || (re->dtype != FERRY_DT_FLOAT && re->dtype != FERRY_DT_DOUBLE))
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "real and imag must both be float32 or float64");
    int64_t dims[FERRY_MAX_RANK];
    int rank;
    if (!fy_broadcast_shape(dims, &rank, re, im)) {
        char a[128], b[128];
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "shapes %s and %s do not broadcast",
                              fy_dims_str(a, sizeof a, re->dims, re->rank), fy_dims_str(b, sizeof b, im->dims, im->rank));
    }
    int wide = re->dtype == FERRY_DT_DOUBLE;
    ferry_tensor *out = fy_output_new_uninit(ctx, 0, wide ? FERRY_DT_COMPLEX128 : FERRY_DT_COMPLEX64, dims, rank);
    if (!out)
        return FERRY_ERR_OUT_OF_MEMORY;
    if (!out->count)
        return FERRY_OK;
    fy_broadcast bc;
    fy_broadcast_init(&bc, re, im, dims, rank);
    FY_BROADCAST_LOOP(bc, i, ai, bi) {
        if (wide) {
            ((double *)out->data)[2 * i] = ((const double *)re->data)[ai];
            ((double *)out->data)[2 * i + 1] = ((const double *)im->data)[bi];
        } else {
            ((float *)out->data)[2 * i] = ((const float *)re->data)[ai];
            ((float *)out->data)[2 * i + 1] = ((const float *)im->data)[bi];
        }
    }
    return FERRY_OK;
}

typedef enum part { REAL, IMAG, ANGLE, ABS } part;

/* Real, Imag, Angle and ComplexAbs: one real number per element (Tout).
 * Real inputs count as having imaginary part 0. */
static ferry_status to_real(fy_kernel_ctx *ctx, part p)
{
    const ferry_tensor *x = fy_input(ctx, 0);
    if (!x)
        return FERRY_ERR_INVALID_ARGUMENT;
    int c = is_complex(x->dtype), wide = x->dtype == FERRY_DT_COMPLEX128 || x->dtype == FERRY_DT_DOUBLE;
    if (!c && x->dtype != FERRY_DT_FLOAT && x->dtype != FERRY_DT_DOUBLE)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "not defined for %s", ferry_dtype_name(x->dtype));
    ferry_tensor *out = fy_output_new_uninit(ctx, 0, wide ? FERRY_DT_DOUBLE : FERRY_DT_FLOAT, x->dims, x->rank);
    if (!out)
        return FERRY_ERR_OUT_OF_MEMORY;
    for (int64_t i = 0; i < x->count; i++) {
        double re, im;
        if (wide) {
            re = ((const double *)x->data)[c ? 2 * i : i];
            im = c ? ((const double *)x->data)[2 * i + 1] : 0;
        } else {
            re = ((const float *)x->data)[c ? 2 * i : i];
            im = c ? ((const float *)x->data)[2 * i + 1] : 0;
        }
        if (wide) {
            double v = p == REAL ? re : p == IMAG ? im : p == ANGLE ? atan2(im, re) : hypot(re, im);
            ((double *)out->data)[i] = v;
        } else {
            float fr = (float)re, fi = (float)im;
            float v = p == REAL ? fr : p == IMAG ? fi : p == ANGLE ? atan2f(fi, fr) : hypotf(fr, fi);
            ((float *)out->data)[i] = v;
        }
    }
    return FERRY_OK;
}

static ferry_status k_real(fy_kernel_ctx *ctx)
{
    return to_real(ctx, REAL);
}

static ferry_status k_imag(fy_kernel_ctx *ctx)
{
    return to_real(ctx, IMAG);
}

static ferry_status k_angle(fy_kernel_ctx *ctx)
{
    return to_real(ctx, ANGLE);
}

static ferry_status k_complex_abs(fy_kernel_ctx *ctx)
{
    return to_real(ctx, ABS);
}

/* Conj: the imaginary parts negated; other dtypes pass through unchanged. */
static ferry_status k_conj(fy_kernel_ctx *ctx)
{
    const ferry_tensor *x = fy_input(ctx, 0);
    if (!x)
        return FERRY_ERR_INVALID_ARGUMENT;
    if (!is_complex(x->dtype)) {
        fy_output_forward(ctx, 0, 0);
        return FERRY_OK;
    }
    ferry_tensor *out = fy_output_new_uninit(ctx, 0, x->dtype, x->dims, x->rank);
    if (!out)
        return FERRY_ERR_OUT_OF_MEMORY;
    if (x->nbytes)
        memcpy(out->data, x->data, x->nbytes);
    for (int64_t i = 0; i < x->count; i++) {
        if (x->dtype == FERRY_DT_COMPLEX128)
            ((double *)out->data)[2 * i + 1] = -((double *)out->data)[2 * i + 1];
        else
            ((float *)out->data)[2 * i + 1] = -((float *)out->data)[2 * i + 1];
    }
    return FERRY_OK;
}

const fy_op_def fy_kernels_complex[] = {
    { .name = "Complex", .run = k_complex, .shape = fy_shape_broadcast },
    { .name = "Real", .run = k_real, .shape = fy_shape_same },
    { .name = "Imag", .run = k_imag, .shape = fy_shape_same },
    { .name = "Angle", .run = k_angle, .shape = fy_shape_same },
    { .name = "ComplexAbs", .run = k_complex_abs, .shape = fy_shape_same },
    { .name = "Conj", .run = k_conj, .shape = fy_shape_same },
    { .name = NULL },
};
