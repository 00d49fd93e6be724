/* Linear algebra over the last two dims of a tensor (the others are a
 * batch): inverse, determinants, Cholesky, solves, least squares, QR, SVD,
 * symmetric eigendecomposition and LU, for float and double, through the
 * LAPACK and BLAS of the OpenBLAS the build links. TF computes these with
 * Eigen; where a factorization has sign freedom (SVD, eigenvectors) the
 * factors may differ from TF's by signs, their products do not. */
#include <cblas.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <string.h>

#include "kernels/array_internal.h"
#include "kernels/elementwise.h"
#include "kernels/lapack.h"

/* A workspace size LAPACK asked for (at least `least`), or -1 when it
 * does not fit LAPACK's int. */
static int work_size(double asked, int least)
{
    if (!(asked <= INT_MAX))
        return -1;
    return asked < least ? least : (int)asked;
}

static ferry_status too_large(fy_kernel_ctx *ctx)
{
    return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "the matrices are too large for LAPACK's workspace");
}

#define ABS(x) fabs(x)
#define CONJ(x) (x)
#define T float
#define R float
#define LA(x) s##x##_
#define CB(x) cblas_s##x
#define FN(x) x##_f32
#define EPS FLT_EPSILON
#include "kernels/linalg_typed.h"
#undef T
#undef R
#undef LA
#undef CB
#undef FN
#undef EPS

#define T double
#define R double
#define LA(x) d##x##_
#define CB(x) cblas_d##x
#define FN(x) x##_f64
#define EPS DBL_EPSILON
#include "kernels/linalg_typed.h"
#undef T
#undef R
#undef LA
#undef CB
#undef FN
#undef EPS
#undef ABS
#undef CONJ

#define CPLX
#define ABS(x) cabs(x)
#define CONJ(x) conj(x)
#define T float _Complex
#define R float
#define LA(x) c##x##_
#define CB(x) cblas_c##x
#define FN(x) x##_c64
#define EPS FLT_EPSILON
#include "kernels/linalg_typed.h"
#undef T
#undef R
#undef LA
#undef CB
#undef FN
#undef EPS

#define T double _Complex
#define R double
#define LA(x) z##x##_
#define CB(x) cblas_z##x
#define FN(x) x##_c128
#define EPS DBL_EPSILON
#include "kernels/linalg_typed.h"
#undef T
#undef R
#undef LA
#undef CB
#undef FN
#undef EPS
#undef ABS
#undef CONJ
#undef CPLX

/* Calls the copy of a kernel for dtype dt (float, double, complex64 or
 * complex128; float16 is widened to float before). */
#define TYPED(dt, fn, ...)                                                                                 \
    ((dt) == FERRY_DT_FLOAT       ? fn##_f32(__VA_ARGS__)                                                  \
     : (dt) == FERRY_DT_DOUBLE    ? fn##_f64(__VA_ARGS__)                                                  \
     : (dt) == FERRY_DT_COMPLEX64 ? fn##_c64(__VA_ARGS__)                                                  \
                                  : fn##_c128(__VA_ARGS__))

/* A batch of matrices: input i of rank >= 2, count matrices of rows x cols. */
typedef struct matrices {
    const ferry_tensor *t;
    int64_t count;
    int rows, cols;
} matrices;

static ferry_status read_matrices(fy_kernel_ctx *ctx, int i, matrices *m)
{
    const ferry_tensor *t = fy_input(ctx, i);
    if (!t)
        return FERRY_ERR_INVALID_ARGUMENT;
    if (t->dtype != FERRY_DT_FLOAT && t->dtype != FERRY_DT_DOUBLE && t->dtype != FERRY_DT_HALF &&
        t->dtype != FERRY_DT_COMPLEX64 && t->dtype != FERRY_DT_COMPLEX128)
        return fy_kernel_fail(ctx, FERRY_ERR_UNSUPPORTED,
                              "dtype %s is not supported (float, double and complex are)", ferry_dtype_name(t->dtype));
    if (t->rank < 2)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "Input tensor %d must have rank >= 2, got %d", i,
                              t->rank);
    int64_t r = t->dims[t->rank - 2], c = t->dims[t->rank - 1];
    /* LAPACK counts in int, elements of a matrix included */
    if (r > INT_MAX || c > INT_MAX || fy_mul_sizes(r, c) > INT_MAX / 8)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "a %lld x %lld matrix is too large", (long long)r,
                              (long long)c);
    m->t = t;
    m->rows = (int)r;
    m->cols = (int)c;
    m->count = fy_arr_product(t->dims, 0, t->rank - 2);
    return FERRY_OK;
}

/* TF computes float16 only for MatrixInverse and Qr. */
static ferry_status read_matrices_no_half(fy_kernel_ctx *ctx, int i, matrices *m)
{
    ferry_status st = read_matrices(ctx, i, m);
    if (!st && m->t->dtype == FERRY_DT_HALF)
        st = fy_kernel_fail(ctx, FERRY_ERR_UNSUPPORTED, "dtype half is not supported (float, double and complex are)");
    return st;
}

static ferry_status read_square_maybe_half(fy_kernel_ctx *ctx, int i, matrices *m)
{
    ferry_status st = read_matrices(ctx, i, m);
    if (!st && m->rows != m->cols)
        st = fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "Input matrix must be square.");
    return st;
}

static ferry_status read_square(fy_kernel_ctx *ctx, int i, matrices *m)
{
    ferry_status st = read_matrices_no_half(ctx, i, m);
    if (!st && m->rows != m->cols)
        st = fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "Input matrix must be square.");
    return st;
}

/* Output i: the batch dims of m followed by `tail` dims (0, 1 or 2). */
static ferry_tensor *new_output(fy_kernel_ctx *ctx, int i, ferry_dtype dt, const matrices *m, int tail, int64_t a,
                                int64_t b)
{
    int64_t dims[FERRY_MAX_RANK];
    int rank = m->t->rank - 2;
    memcpy(dims, m->t->dims, (size_t)rank * sizeof(int64_t));
    if (tail > 0)
        dims[rank++] = a;
    if (tail > 1)
        dims[rank++] = b;
    return fy_output_new(ctx, i, dt, dims, rank);
}

/* float16 is computed in float: n halves widened into scratch, and back. */
static float *widen(fy_kernel_ctx *ctx, const ferry_tensor *t, int64_t extra)
{
    float *f = fy_scratch_alloc(ctx, t->count + extra, sizeof(float));
    for (int64_t i = 0; f && i < t->count; i++)
        f[i] = fy_half_to_float(((const uint16_t *)t->data)[i]);
    return f;
}

static void narrow(const float *f, ferry_tensor *t)
{
    for (int64_t i = 0; i < t->count; i++)
        ((uint16_t *)t->data)[i] = fy_float_to_half(f[i]);
}

static ferry_status k_inverse(fy_kernel_ctx *ctx)
{
    matrices m = { 0 };
    ferry_status st = read_square_maybe_half(ctx, 0, &m);
    if (st)
        return st;
    ferry_tensor *y = new_output(ctx, 0, m.t->dtype, &m, 2, m.rows, m.cols);
    if (!y)
        return FERRY_ERR_OUT_OF_MEMORY;
    int adjoint = fy_attr_bool(ctx->node, "adjoint", 0);
    if (m.t->dtype != FERRY_DT_HALF)
        return TYPED(m.t->dtype, inverse, ctx, m.t->data, y->data, m.count, m.rows, adjoint);
    float *f = widen(ctx, m.t, y->count);
    if (!f)
        return FERRY_ERR_OUT_OF_MEMORY;
    st = inverse_f32(ctx, f, f + m.t->count, m.count, m.rows, adjoint);
    if (!st)
        narrow(f + m.t->count, y);
    fy_scratch_free(ctx, f);
    return st;
}

static ferry_status determinant(fy_kernel_ctx *ctx, int logs)
{
    matrices m = { 0 };
    ferry_status st = read_square(ctx, 0, &m);
    if (st)
        return st;
    ferry_tensor *sign = new_output(ctx, 0, m.t->dtype, &m, 0, 0, 0);
    ferry_tensor *logabs = sign && logs ? new_output(ctx, 1, m.t->dtype, &m, 0, 0, 0) : NULL;
    if (!sign || (logs && !logabs))
        return FERRY_ERR_OUT_OF_MEMORY;
    return TYPED(m.t->dtype, slogdet, ctx, m.t->data, sign->data, logs ? logabs->data : NULL, m.count, m.rows);
}

static ferry_status k_determinant(fy_kernel_ctx *ctx) { return determinant(ctx, 0); }
static ferry_status k_log_determinant(fy_kernel_ctx *ctx) { return determinant(ctx, 1); }

static ferry_status k_cholesky(fy_kernel_ctx *ctx)
{
    matrices m = { 0 };
    ferry_status st = read_square(ctx, 0, &m);
    if (st)
        return st;
    ferry_tensor *y = new_output(ctx, 0, m.t->dtype, &m, 2, m.rows, m.cols);
    if (!y)
        return FERRY_ERR_OUT_OF_MEMORY;
    return TYPED(m.t->dtype, cholesky, ctx, m.t->data, y->data, m.count, m.rows);
}

/* The matrix and right-hand sides of a solve: one dtype, rows that agree. */
static ferry_status read_system(fy_kernel_ctx *ctx, matrices *a, matrices *b, int square)
{
    ferry_status st = square ? read_square(ctx, 0, a) : read_matrices_no_half(ctx, 0, a);
    if (!st)
        st = read_matrices_no_half(ctx, 1, b);
    if (!st && a->t->dtype != b->t->dtype)
        st = fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "matrix is %s but rhs is %s",
                            ferry_dtype_name(a->t->dtype), ferry_dtype_name(b->t->dtype));
    if (!st && a->rows != b->rows)
        st = fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "Input matrix and rhs are incompatible.");
    return st;
}

/* Solves that take one matrix per rhs need the same batch dims. */
static ferry_status same_batch(fy_kernel_ctx *ctx, const matrices *a, const matrices *b)
{
    if (a->t->rank == b->t->rank && !memcmp(a->t->dims, b->t->dims, (size_t)(a->t->rank - 2) * sizeof(int64_t)))
        return FERRY_OK;
    return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "All input tensors must have the same outer dimensions.");
}

static ferry_status k_solve(fy_kernel_ctx *ctx)
{
    matrices a = { 0 }, b = { 0 };
    ferry_status st = read_system(ctx, &a, &b, 1);
    if (!st)
        st = same_batch(ctx, &a, &b);
    if (st)
        return st;
    ferry_tensor *x = new_output(ctx, 0, a.t->dtype, &b, 2, b.rows, b.cols);
    if (!x)
        return FERRY_ERR_OUT_OF_MEMORY;
    return TYPED(a.t->dtype, solve, ctx, a.t->data, b.t->data, x->data, a.count, a.rows, b.cols,
                 fy_attr_bool(ctx->node, "adjoint", 0));
}

/* MatrixTriangularSolve broadcasts the batch dims of matrix and rhs. */
static ferry_status k_triangular_solve(fy_kernel_ctx *ctx)
{
    matrices a = { 0 }, b = { 0 };
    ferry_status st = read_matrices_no_half(ctx, 0, &a);
    if (!st)
        st = read_matrices_no_half(ctx, 1, &b);
    if (st)
        return st;
    int lower = fy_attr_bool(ctx->node, "lower", 1), adjoint = fy_attr_bool(ctx->node, "adjoint", 0);
    char sa[128], sb[128];
    fy_dims_str(sa, sizeof sa, a.t->dims, a.t->rank);
    fy_dims_str(sb, sizeof sb, b.t->dims, b.t->rank);
    if (a.t->dtype != b.t->dtype)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "matrix is %s but rhs is %s",
                              ferry_dtype_name(a.t->dtype), ferry_dtype_name(b.t->dtype));
    if (a.rows != a.cols)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT,
                              "In[0] matrices in the last dimensions must be square (%d =/= %d)", a.cols, a.rows);
    if (a.rows != b.rows)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "In[0] mismatch In[1] shape: %d vs. %d: %s %s %d %d",
                              a.rows, b.rows, sa, sb, lower, adjoint);
    int ra = a.t->rank - 2, rb = b.t->rank - 2, rank = ra > rb ? ra : rb;
    int64_t dims[FERRY_MAX_RANK];
    for (int d = 0; d < rank; d++) {
        int64_t da = d - (rank - ra) >= 0 ? a.t->dims[d - (rank - ra)] : 1;
        int64_t db = d - (rank - rb) >= 0 ? b.t->dims[d - (rank - rb)] : 1;
        if (da != db && da != 1 && db != 1)
            return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT,
                                  "In[0] and In[1] must have compatible batch dimensions: %s vs. %s", sa, sb);
        dims[d] = da == 1 ? db : da;
    }
    dims[rank] = b.rows;
    dims[rank + 1] = b.cols;
    ferry_tensor *x = fy_output_new(ctx, 0, a.t->dtype, dims, rank + 2);
    if (!x)
        return FERRY_ERR_OUT_OF_MEMORY;
    int64_t count = x->count ? fy_arr_product(dims, 0, rank) : 0;
    int64_t *idx = count ? fy_scratch_alloc(ctx, 2 * count, sizeof(int64_t)) : NULL;
    if (count && !idx)
        return FERRY_ERR_OUT_OF_MEMORY;
    /* the matrix and rhs each output matrix comes from, dims read backwards */
    for (int64_t o = 0; o < count; o++) {
        int64_t rest = o, ia = 0, ib = 0, sa = 1, sb = 1;
        for (int d = rank - 1; d >= 0; d--) {
            int64_t at = rest % dims[d];
            rest /= dims[d];
            int dA = d - (rank - ra), dB = d - (rank - rb);
            if (dA >= 0) {
                ia += (a.t->dims[dA] == 1 ? 0 : at) * sa;
                sa *= a.t->dims[dA];
            }
            if (dB >= 0) {
                ib += (b.t->dims[dB] == 1 ? 0 : at) * sb;
                sb *= b.t->dims[dB];
            }
        }
        idx[o] = ia;
        idx[count + o] = ib;
    }
    if (count)
        TYPED(a.t->dtype, trisolve, a.t->data, b.t->data, x->data, count, idx, idx + count, a.rows, b.cols, lower,
              adjoint);
    fy_scratch_free(ctx, idx);
    return FERRY_OK;
}

static ferry_status k_solve_ls(fy_kernel_ctx *ctx)
{
    matrices a = { 0 }, b = { 0 };
    ferry_status st = read_system(ctx, &a, &b, 0);
    if (!st)
        st = same_batch(ctx, &a, &b);
    if (st)
        return st;
    const ferry_tensor *l2 = fy_input(ctx, 2);
    if (!l2)
        return FERRY_ERR_INVALID_ARGUMENT;
    char shape[128];
    if (l2->rank != 0)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "l2_regularizer must be scalar, got shape %s",
                              fy_dims_str(shape, sizeof shape, l2->dims, l2->rank));
    if (l2->dtype != FERRY_DT_DOUBLE)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "l2_regularizer must be double, not %s",
                              ferry_dtype_name(l2->dtype));
    double lambda = ((const double *)l2->data)[0];
    if (!(lambda >= 0))
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "l2_regularizer must be >= 0.");
    ferry_tensor *x = new_output(ctx, 0, a.t->dtype, &b, 2, a.cols, b.cols);
    if (!x)
        return FERRY_ERR_OUT_OF_MEMORY;
    if (fy_attr_bool(ctx->node, "fast", 1))
        return TYPED(a.t->dtype, lstsq_fast, ctx, a.t->data, b.t->data, x->data, a.count, a.rows, a.cols, b.cols,
                     lambda);
    return TYPED(a.t->dtype, lstsq_cod, ctx, a.t->data, b.t->data, x->data, a.count, a.rows, a.cols, b.cols);
}

static ferry_status k_tridiagonal_solve(fy_kernel_ctx *ctx)
{
    matrices d = { 0 }, b = { 0 };
    ferry_status st = read_matrices_no_half(ctx, 0, &d);
    if (!st)
        st = read_matrices_no_half(ctx, 1, &b);
    if (st)
        return st;
    if (d.rows != 3)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT,
                              "Expected diagonals to be provided as a matrix with 3 rows, got %d rows.", d.rows);
    if (d.t->dtype != b.t->dtype)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "diagonals are %s but rhs is %s",
                              ferry_dtype_name(d.t->dtype), ferry_dtype_name(b.t->dtype));
    if (d.cols != b.rows)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT,
                              "Expected diagonals and rhs to have the same size: %d vs. %d", d.cols, b.rows);
    if ((st = same_batch(ctx, &d, &b)))
        return st;
    if (fy_attr_bool(ctx->node, "perturb_singular", 0))
        return fy_kernel_fail(ctx, FERRY_ERR_UNSUPPORTED, "perturb_singular is not supported");
    ferry_tensor *x = new_output(ctx, 0, b.t->dtype, &b, 2, b.rows, b.cols);
    if (!x)
        return FERRY_ERR_OUT_OF_MEMORY;
    return TYPED(b.t->dtype, tridiagonal_solve, ctx, d.t->data, b.t->data, x->data, b.count, b.rows, b.cols,
                 fy_attr_bool(ctx->node, "partial_pivoting", 1));
}

/* TridiagonalMatMul(superdiag, maindiag, subdiag, rhs): diagonals [..., 1, M]. */
static ferry_status k_tridiagonal_matmul(fy_kernel_ctx *ctx)
{
    matrices diag[3], b;
    ferry_status st = read_matrices_no_half(ctx, 3, &b);
    for (int i = 0; !st && i < 3; i++) {
        st = read_matrices_no_half(ctx, i, &diag[i]);
        if (!st && (diag[i].rows != 1 || diag[i].cols != b.rows || diag[i].t->dtype != b.t->dtype))
            st = fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT,
                                "input %d must be a %s row of %d elements per matrix, as rhs has rows", i,
                                ferry_dtype_name(b.t->dtype), b.rows);
        if (!st)
            st = same_batch(ctx, &diag[i], &b);
    }
    if (st)
        return st;
    ferry_tensor *y = new_output(ctx, 0, b.t->dtype, &b, 2, b.rows, b.cols);
    if (!y)
        return FERRY_ERR_OUT_OF_MEMORY;
    TYPED(b.t->dtype, tridiagonal_matmul, diag[0].t->data, diag[1].t->data, diag[2].t->data, b.t->data, y->data,
          b.count, b.rows, b.cols);
    return FERRY_OK;
}

static ferry_status k_qr(fy_kernel_ctx *ctx)
{
    matrices m = { 0 };
    ferry_status st = read_matrices(ctx, 0, &m);  /* float16 too */
    if (st)
        return st;
    int k = m.rows < m.cols ? m.rows : m.cols, qc = fy_attr_bool(ctx->node, "full_matrices", 0) ? m.rows : k;
    ferry_tensor *q = new_output(ctx, 0, m.t->dtype, &m, 2, m.rows, qc);
    ferry_tensor *r = q ? new_output(ctx, 1, m.t->dtype, &m, 2, qc, m.cols) : NULL;
    if (!r)
        return FERRY_ERR_OUT_OF_MEMORY;
    if (m.t->dtype != FERRY_DT_HALF)
        return TYPED(m.t->dtype, qr, ctx, m.t->data, q->data, r->data, m.count, m.rows, m.cols, qc);
    float *f = widen(ctx, m.t, q->count + r->count);
    if (!f)
        return FERRY_ERR_OUT_OF_MEMORY;
    st = qr_f32(ctx, f, f + m.t->count, f + m.t->count + q->count, m.count, m.rows, m.cols, qc);
    if (!st) {
        narrow(f + m.t->count, q);
        narrow(f + m.t->count + q->count, r);
    }
    fy_scratch_free(ctx, f);
    return st;
}

static ferry_status k_svd(fy_kernel_ctx *ctx)
{
    matrices m = { 0 };
    ferry_status st = read_matrices_no_half(ctx, 0, &m);
    if (st)
        return st;
    int k = m.rows < m.cols ? m.rows : m.cols, uv = fy_attr_bool(ctx->node, "compute_uv", 1);
    int full = fy_attr_bool(ctx->node, "full_matrices", 0);
    ferry_tensor *s = new_output(ctx, 0, m.t->dtype, &m, 1, k, 0), *u, *v;
    if (!s)
        return FERRY_ERR_OUT_OF_MEMORY;
    if (uv) {
        u = new_output(ctx, 1, m.t->dtype, &m, 2, m.rows, full ? m.rows : k);
        v = u ? new_output(ctx, 2, m.t->dtype, &m, 2, m.cols, full ? m.cols : k) : NULL;
    } else { /* TF gives empty vectors then */
        int64_t zero = 0;
        u = fy_output_new(ctx, 1, m.t->dtype, &zero, 1);
        v = u ? fy_output_new(ctx, 2, m.t->dtype, &zero, 1) : NULL;
    }
    if (!v)
        return FERRY_ERR_OUT_OF_MEMORY;
    return TYPED(m.t->dtype, svd, ctx, m.t->data, s->data, u->data, v->data, m.count, m.rows, m.cols, uv, full);
}

static ferry_status k_eig(fy_kernel_ctx *ctx)
{
    matrices m = { 0 };
    ferry_status st = read_square(ctx, 0, &m);
    if (st)
        return st;
    int vecs = fy_attr_bool(ctx->node, "compute_v", 1);
    int64_t zero = 0;
    ferry_tensor *e = new_output(ctx, 0, m.t->dtype, &m, 1, m.rows, 0);
    ferry_tensor *v = !e ? NULL
                      : vecs ? new_output(ctx, 1, m.t->dtype, &m, 2, m.rows, m.rows)
                             : fy_output_new(ctx, 1, m.t->dtype, &zero, 1);
    if (!v)
        return FERRY_ERR_OUT_OF_MEMORY;
    return TYPED(m.t->dtype, eig, ctx, m.t->data, e->data, v->data, m.count, m.rows, vecs);
}

static ferry_status k_lu(fy_kernel_ctx *ctx)
{
    matrices m = { 0 };
    ferry_status st = read_square(ctx, 0, &m);
    if (st)
        return st;
    ferry_dtype idx = fy_attr_type(ctx->node, "output_idx_type", FERRY_DT_INT32);
    if (idx != FERRY_DT_INT32 && idx != FERRY_DT_INT64)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "output_idx_type must be int32 or int64");
    ferry_tensor *lu = new_output(ctx, 0, m.t->dtype, &m, 2, m.rows, m.rows);
    ferry_tensor *p = lu ? new_output(ctx, 1, idx, &m, 1, m.rows, 0) : NULL;
    if (!p)
        return FERRY_ERR_OUT_OF_MEMORY;
    return TYPED(m.t->dtype, lu, ctx, m.t->data, lu->data, p, m.count, m.rows);
}

/* ---- shape rules ----------------------------------------------------------- */

/* Output o: the batch dims of input i (rank >= 2 when known), then `tail`
 * dims a, b (-1 where unknown). */
static void shape_matrix_out(fy_shape_ctx *c, int o, int i, int tail, int64_t a, int64_t b)
{
    const fy_shape *in = &c->in[i];
    if (in->rank < 2)
        return;
    fy_shape *out = &c->out[o];
    out->rank = in->rank - 2;
    memcpy(out->dims, in->dims, (size_t)out->rank * sizeof(int64_t));
    if (tail > 0)
        out->dims[out->rank++] = a;
    if (tail > 1)
        out->dims[out->rank++] = b;
}

static int64_t dim_at(const fy_shape *s, int from_end)
{
    return s->rank >= 2 ? s->dims[s->rank - from_end] : -1;
}

static int64_t min_dim(int64_t a, int64_t b)
{
    return a < 0 || b < 0 ? -1 : a < b ? a : b;
}

static ferry_status shape_determinant(fy_shape_ctx *c)
{
    for (int o = 0; o < c->outs; o++)
        shape_matrix_out(c, o, 0, 0, 0, 0);
    return FERRY_OK;
}

/* MatrixSolve, TridiagonalSolve: the rhs's shape (the last input). */
static ferry_status shape_solve(fy_shape_ctx *c)
{
    if (c->input_count > 1)
        c->out[0] = c->in[c->input_count - 1];
    return FERRY_OK;
}

/* MatrixTriangularSolve: the batch dims broadcast, then rhs's matrix dims. */
static ferry_status shape_triangular_solve(fy_shape_ctx *c)
{
    if (c->input_count < 2 || c->in[0].rank < 2 || c->in[1].rank < 2)
        return FERRY_OK;
    const fy_shape *rhs = &c->in[1];
    fy_shape a = c->in[0], b = *rhs, out;
    a.rank -= 2;
    b.rank -= 2;
    ferry_status st = fy_shape_broadcast2(c, &a, &b, &out);
    if (st)
        return st;
    out.dims[out.rank++] = rhs->dims[rhs->rank - 2];
    out.dims[out.rank++] = rhs->dims[rhs->rank - 1];
    c->out[0] = out;
    return FERRY_OK;
}

/* MatrixSolveLs: matrix's batch, its cols by rhs's cols. */
static ferry_status shape_solve_ls(fy_shape_ctx *c)
{
    if (c->input_count > 1)
        shape_matrix_out(c, 0, 0, 2, dim_at(&c->in[0], 1), dim_at(&c->in[1], 1));
    return FERRY_OK;
}

static ferry_status shape_qr(fy_shape_ctx *c)
{
    int64_t m = dim_at(&c->in[0], 2), n = dim_at(&c->in[0], 1);
    int64_t k = fy_attr_bool(c->n, "full_matrices", 0) ? m : min_dim(m, n);
    shape_matrix_out(c, 0, 0, 2, m, k);
    if (c->outs > 1)
        shape_matrix_out(c, 1, 0, 2, k, n);
    return FERRY_OK;
}

static ferry_status shape_svd(fy_shape_ctx *c)
{
    int64_t m = dim_at(&c->in[0], 2), n = dim_at(&c->in[0], 1), k = min_dim(m, n);
    int full = fy_attr_bool(c->n, "full_matrices", 0);
    shape_matrix_out(c, 0, 0, 1, k, 0);
    for (int o = 1; o < c->outs && o < 3; o++) {
        if (fy_attr_bool(c->n, "compute_uv", 1)) {
            shape_matrix_out(c, o, 0, 2, o == 1 ? m : n, full ? (o == 1 ? m : n) : k);
        } else {
            c->out[o].rank = 1;
            c->out[o].dims[0] = 0;
        }
    }
    return FERRY_OK;
}

static ferry_status shape_eig(fy_shape_ctx *c)
{
    int64_t n = dim_at(&c->in[0], 1);
    shape_matrix_out(c, 0, 0, 1, n, 0);
    if (c->outs > 1 && fy_attr_bool(c->n, "compute_v", 1)) {
        shape_matrix_out(c, 1, 0, 2, n, n);
    } else if (c->outs > 1) {
        c->out[1].rank = 1;
        c->out[1].dims[0] = 0;
    }
    return FERRY_OK;
}

static ferry_status shape_lu(fy_shape_ctx *c)
{
    c->out[0] = c->in[0];
    if (c->outs > 1)
        shape_matrix_out(c, 1, 0, 1, dim_at(&c->in[0], 1), 0);
    return FERRY_OK;
}

const fy_op_def fy_kernels_linalg[] = {
    { .name = "MatrixInverse", .run = k_inverse, .shape = fy_shape_same },
    { .name = "MatrixDeterminant", .run = k_determinant, .shape = shape_determinant },
    { .name = "LogMatrixDeterminant", .run = k_log_determinant, .outputs = "sign,log_abs_determinant",
      .shape = shape_determinant },
    { .name = "Cholesky", .run = k_cholesky, .shape = fy_shape_same },
    { .name = "MatrixSolve", .run = k_solve, .shape = shape_solve },
    { .name = "MatrixTriangularSolve", .run = k_triangular_solve, .shape = shape_triangular_solve },
    { .name = "MatrixSolveLs", .run = k_solve_ls, .shape = shape_solve_ls },
    { .name = "TridiagonalSolve", .run = k_tridiagonal_solve, .shape = shape_solve },
    { .name = "TridiagonalMatMul", .run = k_tridiagonal_matmul, .shape = shape_solve },
    { .name = "Qr", .run = k_qr, .outputs = "q,r", .shape = shape_qr },
    { .name = "Svd", .run = k_svd, .outputs = "s,u,v", .shape = shape_svd },
    { .name = "SelfAdjointEigV2", .run = k_eig, .outputs = "e,v", .shape = shape_eig },
    { .name = "Lu", .run = k_lu, .outputs = "lu,p", .shape = shape_lu },
    { .name = NULL },
};
