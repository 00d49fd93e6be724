/* The linear-algebra kernels for one dtype, included by linalg.c once per
 * dtype with T (the element type), R (its real type), LA(name) (its LAPACK
 * routine), CB(name) (its CBLAS routine), FN(name) (this copy's function
 * names), EPS (R's machine epsilon), ABS and CONJ, and CPLX for complex T.
 * Tensors are row-major and LAPACK is column-major: each matrix is
 * transposed into a work buffer and back. Each function runs `count`
 * matrices laid one after another. */

#ifdef CPLX
#define BY_VALUE(x) (&(x)) /* CBLAS takes complex scalars by address */
#define UNITARY_QR LA(ungqr)
#define RE(x) creal(x)
#define FAILED 0 /* what TF writes for a failed factorization: its complex "NaN" is 0 */
#else
#define BY_VALUE(x) (x)
#define UNITARY_QR LA(orgqr)
#define RE(x) (x)
#define FAILED NAN
#endif

/* dst (c x r) = src (r x c) transposed: row-major to column-major and back. */
static void FN(transpose)(const T *src, T *dst, int64_t r, int64_t c)
{
    for (int64_t i = 0; i < r; i++)
        for (int64_t j = 0; j < c; j++)
            dst[j * r + i] = src[i * c + j];
}

/* Whether an LU factorization has a pivot that is zero or NaN: TF's test
 * of invertibility (the smallest |pivot| must be above 0). */
static int FN(bad_pivot)(const T *lu, int n)
{
    for (int i = 0; i < n; i++)
        if (!(ABS(lu[(int64_t)i * n + i]) > 0))
            return 1;
    return 0;
}

static void FN(identity)(T *y, int64_t rows, int64_t cols)
{
    for (int64_t i = 0; i < rows * cols; i++)
        y[i] = 0;
    for (int64_t i = 0; i < rows && i < cols; i++)
        y[i * cols + i] = 1;
}

static ferry_status FN(inverse)(fy_kernel_ctx *ctx, const T *x, T *y, int64_t count, int n, int adjoint)
{
    if (!n)
        return FERRY_OK;
    int info = 0, lwork = -1;
    T query;
    LA(getri)(&n, &query, &n, NULL, &query, &lwork, &info);
    if ((lwork = work_size((double)RE(query), n)) < 0)
        return too_large(ctx);
    T *a = fy_scratch_alloc(ctx, (int64_t)n * n + lwork, sizeof(T));
    int *ipiv = a ? fy_scratch_alloc(ctx, n, sizeof(int)) : NULL;
    ferry_status st = a && ipiv ? FERRY_OK : FERRY_ERR_OUT_OF_MEMORY;
    int64_t nn = (int64_t)n * n;
    for (int64_t b = 0; !st && b < count; b++) {
        /* the rows of A read column-major are A's transpose */
        if (adjoint)
            for (int64_t i = 0; i < nn; i++)
                a[i] = CONJ(x[b * nn + i]);
        else
            FN(transpose)(x + b * nn, a, n, n);
        LA(getrf)(&n, &n, a, &n, ipiv, &info);
        if (FN(bad_pivot)(a, n)) {
            st = fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "Input is not invertible.");
            break;
        }
        LA(getri)(&n, a, &n, ipiv, a + nn, &lwork, &info);
        FN(transpose)(a, y + b * nn, n, n);
    }
    fy_scratch_free(ctx, ipiv);
    fy_scratch_free(ctx, a);
    return st;
}

/* sign(det) and log|det| of each matrix, or the determinant itself (in
 * sign) when logabs is NULL: TF's way, the sum of the logs of the pivots
 * raised to exp, so that products that overflow midway still come out. */
static ferry_status FN(slogdet)(fy_kernel_ctx *ctx, const T *x, T *sign, T *logabs, int64_t count, int n)
{
    int64_t nn = (int64_t)n * n;
    T *a = n ? fy_scratch_alloc(ctx, nn, sizeof(T)) : NULL;
    int *ipiv = a ? fy_scratch_alloc(ctx, n, sizeof(int)) : NULL;
    if (n && !ipiv) {
        fy_scratch_free(ctx, a);
        return FERRY_ERR_OUT_OF_MEMORY;
    }
    for (int64_t b = 0; b < count; b++) {
        T s = 1;
        R l = 0;
        if (n) {
            int info = 0;
            FN(transpose)(x + b * nn, a, n, n);
            LA(getrf)(&n, &n, a, &n, ipiv, &info);
            for (int i = 0; i < n; i++) {
                T d = a[(int64_t)i * n + i];
                R ad = ABS(d);
                if (ipiv[i] != i + 1)
                    s = -s;
                /* d / |d|: 0 for a zero pivot, NaN for NaN */
                s = ad > 0 ? s * (d / ad) : ad == 0 ? 0 : s * ad;
                l = (R)(l + (R)log((double)ad));
            }
        }
        if (logabs) {
            sign[b] = s;
            logabs[b] = l;
        } else {
            sign[b] = s * (R)exp((double)l);
        }
    }
    fy_scratch_free(ctx, ipiv);
    fy_scratch_free(ctx, a);
    return FERRY_OK;
}

/* Whether the lower triangle of column-major a (n x n) holds a NaN or an
 * infinity. */
static int FN(lower_not_finite)(const T *a, int n)
{
    for (int64_t j = 0; j < n; j++)
        for (int64_t i = j; i < n; i++)
            if (!isfinite(RE(a[i + j * n])) || !isfinite((double)cimag(a[i + j * n])))
                return 1;
    return 0;
}

/* Cholesky of column-major a's lower triangle in place, as Eigen's LLT
 * does it: only a pivot <= 0 stops it (returning 1), so NaN and infinity
 * run through to the entries they reach, where LAPACK's ?potrf stops. */
static int FN(llt_eigen)(T *a, int n)
{
    for (int64_t j = 0; j < n; j++) {
        R x = (R)RE(a[j + j * n]);
        for (int64_t k = 0; k < j; k++)
            x -= (R)RE(a[j + k * n] * CONJ(a[j + k * n]));
        if (x <= 0)
            return 1;
        R d = (R)sqrt((double)x);
        a[j + j * n] = d;
        for (int64_t i = j + 1; i < n; i++) {
            T t = a[i + j * n];
            for (int64_t k = 0; k < j; k++)
                t -= a[i + k * n] * CONJ(a[j + k * n]);
            a[i + j * n] = t / d;
        }
    }
    return 0;
}

/* ?potrf on finite input, else Eigen's way; nonzero when not positive
 * definite. */
static int FN(llt)(T *a, int n)
{
    if (FN(lower_not_finite)(a, n))
        return FN(llt_eigen)(a, n);
    int info = 0;
    LA(potrf)("L", &n, a, &n, &info, 1);
    return info;
}

/* The lower triangle is read; one that is not positive definite gives NaN
 * (complex: 0) in the whole lower triangle, as TF's kernel (which only
 * logs it). */
static ferry_status FN(cholesky)(fy_kernel_ctx *ctx, const T *x, T *y, int64_t count, int n)
{
    if (!n)
        return FERRY_OK;
    int64_t nn = (int64_t)n * n;
    T *a = fy_scratch_alloc(ctx, nn, sizeof(T));
    if (!a)
        return FERRY_ERR_OUT_OF_MEMORY;
    for (int64_t b = 0; b < count; b++) {
        FN(transpose)(x + b * nn, a, n, n);
        int info = FN(llt)(a, n);
        T *out = y + b * nn;
        for (int64_t i = 0; i < n; i++)
            for (int64_t j = 0; j < n; j++)
                out[i * n + j] = j > i ? 0 : info ? (T)FAILED : a[j * n + i];
    }
    fy_scratch_free(ctx, a);
    return FERRY_OK;
}

/* A X = B (A^T X = B with adjoint) for n x n A and n x k B. */
static ferry_status FN(solve)(fy_kernel_ctx *ctx, const T *am, const T *bm, T *x, int64_t count, int n, int k,
                              int adjoint)
{
    if (!n || !k)
        return FERRY_OK;
    int64_t nn = (int64_t)n * n, nk = (int64_t)n * k;
    T *a = fy_scratch_alloc(ctx, nn + nk, sizeof(T));
    int *ipiv = a ? fy_scratch_alloc(ctx, n, sizeof(int)) : NULL;
    ferry_status st = a && ipiv ? FERRY_OK : FERRY_ERR_OUT_OF_MEMORY;
    for (int64_t b = 0; !st && b < count; b++) {
        int info = 0;
        T *rhs = a + nn;
        FN(transpose)(am + b * nn, a, n, n);
        LA(getrf)(&n, &n, a, &n, ipiv, &info);
        if (FN(bad_pivot)(a, n)) {
            st = fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "Input matrix is not invertible.");
            break;
        }
        FN(transpose)(bm + b * nk, rhs, n, k);
        LA(getrs)(adjoint ? "C" : "N", &n, &k, a, &n, ipiv, rhs, &n, &info, 1);
        FN(transpose)(rhs, x + b * nk, k, n);
    }
    fy_scratch_free(ctx, ipiv);
    fy_scratch_free(ctx, a);
    return st;
}

/* Output matrix i solves matrix ai[i] against rhs bi[i] (batch dims
 * broadcast); only the lower (or upper) triangle is read. */
static void FN(trisolve)(const T *am, const T *bm, T *x, int64_t count, const int64_t *ai, const int64_t *bi, int n,
                         int k, int lower, int adjoint)
{
    int64_t nn = (int64_t)n * n, nk = (int64_t)n * k;
    T one = 1;
    for (int64_t b = 0; nk && b < count; b++) {
        memcpy(x + b * nk, bm + bi[b] * nk, (size_t)nk * sizeof(T));
        CB(trsm)(CblasRowMajor, CblasLeft, lower ? CblasLower : CblasUpper, adjoint ? CblasConjTrans : CblasNoTrans,
                 CblasNonUnit, n, k, BY_VALUE(one), am + ai[b] * nn, n, x + b * nk, k);
    }
}

/* Least squares by the regularized normal equations, as TF's fast path:
 * (A^T A + l2 I) X = A^T B when m >= n, else X = A^T (A A^T + l2 I)^-1 B. */
static ferry_status FN(lstsq_fast)(fy_kernel_ctx *ctx, const T *am, const T *bm, T *x, int64_t count, int m, int n,
                                   int k, double l2)
{
    if (!m || !n || !k)
        return FERRY_OK;
    int g = m >= n ? n : m;
    int64_t gg = (int64_t)g * g, gk = (int64_t)g * k;
    T *gram = fy_scratch_alloc(ctx, gg + 2 * gk, sizeof(T));
    if (!gram)
        return FERRY_ERR_OUT_OF_MEMORY;
    T *rhs = gram + gg, *col = rhs + gk, one = 1, zero = 0;
    ferry_status st = FERRY_OK;
    for (int64_t b = 0; b < count; b++) {
        const T *a = am + b * m * (int64_t)n, *rb = bm + b * m * (int64_t)k;
        int info = 0;
        if (m >= n) {
            CB(gemm)(CblasRowMajor, CblasConjTrans, CblasNoTrans, n, n, m, BY_VALUE(one), a, n, a, n, BY_VALUE(zero),
                     gram, n);
            CB(gemm)(CblasRowMajor, CblasConjTrans, CblasNoTrans, n, k, m, BY_VALUE(one), a, n, rb, k, BY_VALUE(zero),
                     rhs, k);
        } else {
            CB(gemm)(CblasRowMajor, CblasNoTrans, CblasConjTrans, m, m, n, BY_VALUE(one), a, n, a, n, BY_VALUE(zero),
                     gram, m);
            memcpy(rhs, rb, (size_t)gk * sizeof(T));
        }
        /* read column-major, the row-major Gram matrix is its conjugate */
        for (int64_t i = 0; i < gg; i++)
            gram[i] = CONJ(gram[i]);
        for (int i = 0; i < g; i++)
            gram[(int64_t)i * g + i] += (R)l2;
        if (FN(llt)(gram, g)) {
            st = fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT,
                                "Input matrix was rank deficient or ill-conditioned. Try setting fast=False or "
                                "provide a larger l2_regularizer > 0.");
            break;
        }
        FN(transpose)(rhs, col, g, k);
        LA(potrs)("L", &g, &k, gram, &g, col, &g, &info, 1);
        if (m >= n) {
            FN(transpose)(col, x + b * (int64_t)n * k, k, n);
        } else {
            FN(transpose)(col, rhs, k, m);
            CB(gemm)(CblasRowMajor, CblasConjTrans, CblasNoTrans, n, k, m, BY_VALUE(one), a, n, rhs, k, BY_VALUE(zero),
                     x + b * (int64_t)n * k, k);
        }
    }
    fy_scratch_free(ctx, gram);
    return st;
}

/* The minimum-norm least-squares solution through a complete orthogonal
 * factorization (TF's path when fast is false; it ignores l2_regularizer). */
static ferry_status FN(lstsq_cod)(fy_kernel_ctx *ctx, const T *am, const T *bm, T *x, int64_t count, int m, int n,
                                  int k)
{
    if (!m || !n || !k)
        return FERRY_OK;
    int ld = m > n ? m : n, info = 0, rank = 0, lwork = -1;
    T query;
    R rcond = (R)(EPS * (m < n ? m : n));
#ifdef CPLX
    R rquery;
    LA(gelsy)(&m, &n, &k, &query, &m, &query, &ld, NULL, &rcond, &rank, &query, &lwork, &rquery, &info);
#else
    LA(gelsy)(&m, &n, &k, &query, &m, &query, &ld, NULL, &rcond, &rank, &query, &lwork, &info);
#endif
    if ((lwork = work_size((double)RE(query), 1)) < 0)
        return too_large(ctx);
    int64_t mn = (int64_t)m * n, lk = (int64_t)ld * k;
    T *a = fy_scratch_alloc(ctx, mn + lk + lwork, sizeof(T));
    int *jpvt = a ? fy_scratch_alloc(ctx, n, sizeof(int)) : NULL;
    R *rwork = jpvt ? fy_scratch_alloc(ctx, 2 * (int64_t)n, sizeof(R)) : NULL;
    ferry_status st = rwork ? FERRY_OK : FERRY_ERR_OUT_OF_MEMORY;
    for (int64_t b = 0; !st && b < count; b++) {
        T *rhs = a + mn;
        int nan = 0;
        for (int64_t i = 0; i < mn; i++)
            nan |= am[b * mn + i] != am[b * mn + i];
        if (nan) /* Eigen's pivoted QR finds rank 0 then: x stays 0 */
            continue;
        FN(transpose)(am + b * mn, a, m, n);
        for (int64_t c = 0; c < k; c++)
            for (int64_t r = 0; r < ld; r++)
                rhs[c * ld + r] = r < m ? bm[b * m * (int64_t)k + r * k + c] : 0;
        memset(jpvt, 0, (size_t)n * sizeof(int));
#ifdef CPLX
        LA(gelsy)(&m, &n, &k, a, &m, rhs, &ld, jpvt, &rcond, &rank, rhs + lk, &lwork, rwork, &info);
#else
        LA(gelsy)(&m, &n, &k, a, &m, rhs, &ld, jpvt, &rcond, &rank, rhs + lk, &lwork, &info);
#endif
        for (int64_t r = 0; r < n; r++)
            for (int64_t c = 0; c < k; c++)
                x[b * n * (int64_t)k + r * k + c] = rhs[c * ld + r];
    }
    fy_scratch_free(ctx, rwork);
    fy_scratch_free(ctx, jpvt);
    fy_scratch_free(ctx, a);
    return st;
}

/* Householder QR, LAPACK's signs being Eigen's (R's diagonal has the
 * opposite sign of the column it reflects). q is m x qc, r is qc x n. */
static ferry_status FN(qr)(fy_kernel_ctx *ctx, const T *x, T *q, T *r, int64_t count, int m, int n, int qc)
{
    int kk = m < n ? m : n, info = 0, lwork = -1;
    int64_t mn = (int64_t)m * n, mq = (int64_t)m * qc, rn = (int64_t)qc * n;
    if (!kk) { /* q is the identity, when it has elements */
        for (int64_t b = 0; mq && b < count; b++)
            FN(identity)(q + b * mq, m, qc);
        return FERRY_OK;
    }
    T query[2];
    LA(geqrf)(&m, &n, query, &m, query, query, &lwork, &info);
    UNITARY_QR(&m, &qc, &kk, query, &m, query, query + 1, &lwork, &info);
    double most = RE(query[0]) > RE(query[1]) ? (double)RE(query[0]) : (double)RE(query[1]);
    if ((lwork = work_size(most, n > qc ? n : qc)) < 0)
        return too_large(ctx);
    T *a = fy_scratch_alloc(ctx, mn + mq + kk + lwork, sizeof(T));
    if (!a)
        return FERRY_ERR_OUT_OF_MEMORY;
    T *qm = a + mn, *tau = qm + mq, *work = tau + kk;
    for (int64_t b = 0; b < count; b++) {
        FN(transpose)(x + b * mn, a, m, n);
        LA(geqrf)(&m, &n, a, &m, tau, work, &lwork, &info);
        T *rb = r + b * rn;
        for (int64_t i = 0; i < qc; i++)
            for (int64_t j = 0; j < n; j++)
                rb[i * n + j] = j >= i ? a[j * m + i] : 0;
        memcpy(qm, a, (size_t)m * (size_t)(n < qc ? n : qc) * sizeof(T));
        UNITARY_QR(&m, &qc, &kk, qm, &m, tau, work, &lwork, &info);
        FN(transpose)(qm, q + b * mq, qc, m);
    }
    fy_scratch_free(ctx, a);
    return FERRY_OK;
}

/* Singular values (descending) and, with uv, u (m x uc) and v (n x vc). */
static ferry_status FN(svd)(fy_kernel_ctx *ctx, const T *x, T *s, T *u, T *v, int64_t count, int m, int n, int uv,
                            int full)
{
    int kk = m < n ? m : n, mx = m > n ? m : n, uc = full ? m : kk, vc = full ? n : kk, info = 0, lwork = -1;
    int ldu = uv ? m : 1, ldvt = uv ? vc : 1;
    int64_t mn = (int64_t)m * n, mu = (int64_t)m * uc, nv = (int64_t)n * vc;
    if (!kk) {
        for (int64_t b = 0; uv && (mu || nv) && b < count; b++) {
            FN(identity)(u + b * mu, m, uc);
            FN(identity)(v + b * nv, n, vc);
        }
        return FERRY_OK;
    }
    const char *job = !uv ? "N" : full ? "A" : "S";
    T query;
#ifdef CPLX
    /* LAPACK's bound on the real scratch of ?gesdd */
    int64_t nr = uv ? (int64_t)kk * (5 * (int64_t)kk + 5) + 2 * (int64_t)mx * kk + 2 * (int64_t)kk * kk + kk
                    : 7 * (int64_t)kk;
    R rq;
    LA(gesdd)(job, &m, &n, &query, &m, &rq, &query, &ldu, &query, &ldvt, &query, &lwork, &rq, NULL, &info, 1);
#else
    int64_t nr = 0;
    (void)mx;
    LA(gesdd)(job, &m, &n, &query, &m, &query, &query, &ldu, &query, &ldvt, &query, &lwork, NULL, &info, 1);
#endif
    if ((lwork = work_size((double)RE(query), 1)) < 0)
        return too_large(ctx);
    int64_t ub = uv ? mu : 0, vb = uv ? nv : 0;
    T *a = fy_scratch_alloc(ctx, mn + ub + vb + lwork, sizeof(T));
    R *sv = a ? fy_scratch_alloc(ctx, kk + nr, sizeof(R)) : NULL;
    int *iwork = sv ? fy_scratch_alloc(ctx, 8 * (int64_t)kk, sizeof(int)) : NULL;
    ferry_status st = iwork ? FERRY_OK : FERRY_ERR_OUT_OF_MEMORY;
    T *um = a + mn, *vt = um + ub, *work = vt + vb;
    for (int64_t b = 0; !st && b < count; b++) {
        FN(transpose)(x + b * mn, a, m, n);
#ifdef CPLX
        LA(gesdd)(job, &m, &n, a, &m, sv, uv ? um : a, &ldu, uv ? vt : a, &ldvt, work, &lwork, sv + kk, iwork, &info,
                  1);
#else
        LA(gesdd)(job, &m, &n, a, &m, sv, uv ? um : a, &ldu, uv ? vt : a, &ldvt, work, &lwork, iwork, &info, 1);
#endif
        if (info) { /* NaN or infinity in the input: TF's Eigen gives NaNs */
            for (int64_t i = 0; i < kk; i++)
                s[b * kk + i] = (R)FAILED;
            for (int64_t i = 0; uv && i < mu; i++)
                u[b * mu + i] = (R)FAILED;
            for (int64_t i = 0; uv && i < nv; i++)
                v[b * nv + i] = (R)FAILED;
            continue;
        }
        for (int i = 0; i < kk; i++)
            s[b * kk + i] = sv[i];
        if (uv) {
            FN(transpose)(um, u + b * mu, uc, m);
            /* V^H column-major holds conj(V) row-major */
            for (int64_t i = 0; i < nv; i++)
                v[b * nv + i] = CONJ(vt[i]);
        }
    }
    fy_scratch_free(ctx, iwork);
    fy_scratch_free(ctx, sv);
    fy_scratch_free(ctx, a);
    return st;
}

/* Eigenvalues (ascending) and, with vecs, eigenvectors (columns of v) of
 * the self-adjoint matrices whose lower triangles x holds. */
static ferry_status FN(eig)(fy_kernel_ctx *ctx, const T *x, T *e, T *v, int64_t count, int n, int vecs)
{
    if (!n)
        return FERRY_OK;
    int info = 0, lwork = -1, liwork = -1, lrwork = -1, iquery = 0;
    T query;
    R rquery = 0;
    const char *job = vecs ? "V" : "N";
#ifdef CPLX
    LA(heevd)(job, "L", &n, &query, &n, &rquery, &query, &lwork, &rquery, &lrwork, &iquery, &liwork, &info, 1, 1);
#else
    LA(syevd)(job, "L", &n, &query, &n, &rquery, &query, &lwork, &iquery, &liwork, &info, 1, 1);
#endif
    lwork = work_size((double)RE(query), 1);
    liwork = iquery > 1 ? iquery : 1;
    lrwork = work_size((double)rquery, 1);
    if (lwork < 0 || lrwork < 0)
        return too_large(ctx);
    int64_t nn = (int64_t)n * n;
    T *a = fy_scratch_alloc(ctx, nn + lwork, sizeof(T));
    R *w = a ? fy_scratch_alloc(ctx, n + (int64_t)lrwork, sizeof(R)) : NULL;
    int *iwork = w ? fy_scratch_alloc(ctx, liwork, sizeof(int)) : NULL;
    ferry_status st = iwork ? FERRY_OK : FERRY_ERR_OUT_OF_MEMORY;
    for (int64_t b = 0; !st && b < count; b++) {
        FN(transpose)(x + b * nn, a, n, n);
        if (FN(lower_not_finite)(a, n)) {
            info = 1;
            break;
        }
#ifdef CPLX
        LA(heevd)(job, "L", &n, a, &n, w, a + nn, &lwork, w + n, &lrwork, iwork, &liwork, &info, 1, 1);
#else
        LA(syevd)(job, "L", &n, a, &n, w, a + nn, &lwork, iwork, &liwork, &info, 1, 1);
#endif
        if (info)
            break;
        for (int i = 0; i < n; i++)
            e[b * n + i] = w[i];
        if (vecs)
            FN(transpose)(a, v + b * nn, n, n);
    }
    if (info)
        st = fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT,
                            "Self-adjoint eigen decomposition was not successful. The input might not be valid.");
    fy_scratch_free(ctx, iwork);
    fy_scratch_free(ctx, w);
    fy_scratch_free(ctx, a);
    return st;
}

/* Tridiagonal systems: diagonals holds, per matrix, the superdiagonal (its
 * last element unused), the diagonal and the subdiagonal (its first unused),
 * each of n; rhs is n x k. With pivot, LAPACK's ?gtsv (Gaussian elimination
 * with partial pivoting), else the Thomas algorithm. A zero pivot makes the
 * whole solution NaN, as TF gives it. */
static ferry_status FN(tridiagonal_solve)(fy_kernel_ctx *ctx, const T *diagonals, const T *rhs, T *x, int64_t count,
                                          int n, int k, int pivot)
{
    int64_t nk = (int64_t)n * k;
    if (!nk)
        return FERRY_OK;
    T *w = fy_scratch_alloc(ctx, 3 * (int64_t)n + nk, sizeof(T));
    if (!w)
        return FERRY_ERR_OUT_OF_MEMORY;
    T *sub = w, *diag = sub + n, *sup = diag + n, *b = sup + n;
    for (int64_t m = 0; m < count; m++) {
        const T *dg = diagonals + m * 3 * n;
        T *out = x + m * nk;
        int singular = 0;
        memcpy(sup, dg, (size_t)n * sizeof(T));
        memcpy(diag, dg + n, (size_t)n * sizeof(T));
        memcpy(sub, dg + 2 * n + 1, (size_t)(n - 1) * sizeof(T)); /* sub[i] is row i + 1's */
        FN(transpose)(rhs + m * nk, b, n, k);
        if (pivot) {
            int info = 0;
            LA(gtsv)(&n, &k, sub, diag, sup, b, &n, &info);
            singular = info != 0;
        } else {
            /* forward: sup[i] becomes sup[i] / pivot_i, b row i is divided by it */
            for (int64_t i = 0; i < n && !singular; i++) {
                T p = diag[i] - (i ? sub[i - 1] * sup[i - 1] : 0);
                if (p == 0) {
                    singular = 1;
                    break;
                }
                sup[i] /= p;
                for (int64_t c = 0; c < k; c++)
                    b[c * n + i] = (b[c * n + i] - (i ? sub[i - 1] * b[c * n + i - 1] : 0)) / p;
            }
            for (int64_t i = n - 2; i >= 0 && !singular; i--)
                for (int64_t c = 0; c < k; c++)
                    b[c * n + i] -= sup[i] * b[c * n + i + 1];
        }
        if (singular)
            for (int64_t i = 0; i < nk; i++)
                out[i] = (R)NAN;
        else
            FN(transpose)(b, out, k, n);
    }
    fy_scratch_free(ctx, w);
    return FERRY_OK;
}

/* y = A x for tridiagonal A given by its three diagonals (n each, laid as
 * for tridiagonal_solve but apart), x n x k. */
static void FN(tridiagonal_matmul)(const T *sup, const T *diag, const T *sub, const T *xm, T *y, int64_t count, int n,
                                   int k)
{
    int64_t nk = (int64_t)n * k;
    for (int64_t m = 0; m < count; m++) {
        const T *u = sup + m * n, *d = diag + m * n, *l = sub + m * n, *x = xm + m * nk;
        for (int64_t i = 0; i < n; i++)
            for (int64_t c = 0; c < k; c++) {
                T v = d[i] * x[i * k + c];
                if (i > 0)
                    v += l[i] * x[(i - 1) * k + c];
                if (i + 1 < n)
                    v += u[i] * x[(i + 1) * k + c];
                y[m * nk + i * k + c] = v;
            }
    }
}

#ifdef CPLX
/* LU of column-major a in place, LAPACK's ?getrf but with the pivot of
 * largest modulus (Eigen's choice, which Lu shows; LAPACK's i?amax takes
 * the largest |re| + |im|). */
static void FN(getrf_modulus)(T *a, int n, int *ipiv)
{
    for (int64_t k = 0; k < n; k++) {
        int64_t p = k;
        R best = ABS(a[k + k * n]);
        for (int64_t i = k + 1; i < n; i++)
            if (ABS(a[i + k * n]) > best) {
                best = ABS(a[i + k * n]);
                p = i;
            }
        ipiv[k] = (int)p + 1;
        for (int64_t j = 0; p != k && j < n; j++) {
            T t = a[k + j * n];
            a[k + j * n] = a[p + j * n];
            a[p + j * n] = t;
        }
        T d = a[k + k * n];
        if (d == 0)
            continue;
        for (int64_t i = k + 1; i < n; i++)
            a[i + k * n] /= d;
        for (int64_t j = k + 1; j < n; j++)
            for (int64_t i = k + 1; i < n; i++)
                a[i + j * n] -= a[i + k * n] * a[k + j * n];
    }
}
#endif

/* LU with partial pivoting: L (unit diagonal, below) and U packed in lu;
 * perm[i] is the input row that row i of L U comes from. */
static ferry_status FN(lu)(fy_kernel_ctx *ctx, const T *x, T *lu, ferry_tensor *perm, int64_t count, int n)
{
    if (!n)
        return FERRY_OK;
    int64_t nn = (int64_t)n * n;
    T *a = fy_scratch_alloc(ctx, nn, sizeof(T));
    int *ipiv = a ? fy_scratch_alloc(ctx, 2 * (int64_t)n, sizeof(int)) : NULL;
    ferry_status st = a && ipiv ? FERRY_OK : FERRY_ERR_OUT_OF_MEMORY;
    for (int64_t b = 0; !st && b < count; b++) {
        int *rows = ipiv + n;
        FN(transpose)(x + b * nn, a, n, n);
#ifdef CPLX
        FN(getrf_modulus)(a, n, ipiv);
#else
        int info = 0;
        LA(getrf)(&n, &n, a, &n, ipiv, &info);
#endif
        if (FN(bad_pivot)(a, n)) {
            st = fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "Input is not invertible.");
            break;
        }
        FN(transpose)(a, lu + b * nn, n, n);
        for (int i = 0; i < n; i++)
            rows[i] = i;
        for (int i = 0; i < n; i++) {
            int t = rows[i];
            rows[i] = rows[ipiv[i] - 1];
            rows[ipiv[i] - 1] = t;
        }
        for (int i = 0; i < n; i++) {
            if (perm->dtype == FERRY_DT_INT64)
                ((int64_t *)perm->data)[b * n + i] = rows[i];
            else
                ((int32_t *)perm->data)[b * n + i] = rows[i];
        }
    }
    fy_scratch_free(ctx, ipiv);
    fy_scratch_free(ctx, a);
    return st;
}

#undef BY_VALUE
#undef UNITARY_QR
#undef RE
#undef FAILED
