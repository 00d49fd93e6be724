"""Linear algebra over batches of matrices (core/kernels/linalg.c): inverse,
determinants, Cholesky, solves, least squares, QR, SVD, symmetric
eigendecomposition and LU, float32 and float64, with batch dims, empty
matrices (0x0 and batch 0) and TF's errors. Where a factorization leaves
signs free (SVD, eigenvectors), a case fetches what does not depend on them
(|factor|, the reconstruction, orthogonality) from the same graph."""
import numpy as np
import tensorflow as tf

from opcase import case, raw, rand

F = "linalg"
REALS = (np.float32, np.float64)


def short(dt):
    return np.dtype(dt).name


def tol(dt):
    """float32 factorizations agree with TF's only to its own accuracy."""
    return dict(rtol=1e-4, atol=1e-5) if dt == np.float32 else dict(rtol=1e-10, atol=1e-12)


def general(shape, dt, seed):
    """Well conditioned: random entries plus a dominant diagonal."""
    a = rand(shape, np.float64, seed)
    n = shape[-1]
    if shape[-2] == n:
        a = a + 3 * n * np.eye(n) * np.sign(rand(shape[:-2] + (1, 1), np.float64, seed + 1))
    return a.astype(dt)


def spd(shape, dt, seed):
    a = rand(shape, np.float64, seed)
    return (a @ np.swapaxes(a, -1, -2) + shape[-1] * np.eye(shape[-1])).astype(dt)


def mT(x):
    return tf.linalg.matrix_transpose(x)


SINGULAR = [[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [1.0, 0.0, 1.0]]

for dt in REALS:
    s = short(dt)
    t = tol(dt)
    # ---- MatrixInverse
    case(F, "MatrixInverse_%s" % s, lambda x: raw.MatrixInverse(input=x), [general((3, 3), dt, 1)], **t)
    case(F, "MatrixInverse_batch_%s" % s, lambda x: raw.MatrixInverse(input=x), [general((2, 3, 4, 4), dt, 2)], **t)
    case(F, "MatrixInverse_adjoint_%s" % s, lambda x: raw.MatrixInverse(input=x, adjoint=True),
         [general((2, 3, 3), dt, 3)], **t)
    case(F, "MatrixInverse_1x1_%s" % s, lambda x: raw.MatrixInverse(input=x), [np.array([[4.0]], dt)], **t)
    case(F, "MatrixInverse_0x0_%s" % s, lambda x: raw.MatrixInverse(input=x), [np.zeros((2, 0, 0), dt)])
    case(F, "MatrixInverse_batch0_%s" % s, lambda x: raw.MatrixInverse(input=x), [np.zeros((0, 3, 3), dt)])
    case(F, "MatrixInverse_singular_%s" % s, lambda x: raw.MatrixInverse(input=x),
         [np.array([np.eye(3), SINGULAR], dt)])
    case(F, "MatrixInverse_nan_%s" % s, lambda x: raw.MatrixInverse(input=x),
         [np.array([[np.nan, 1.0], [1.0, 1.0]], dt)])
    # ---- determinants
    case(F, "MatrixDeterminant_%s" % s, lambda x: raw.MatrixDeterminant(input=x), [general((4, 4), dt, 4)], **t)
    case(F, "MatrixDeterminant_batch_%s" % s, lambda x: raw.MatrixDeterminant(input=x),
         [general((2, 3, 5, 5), dt, 5)], **t)
    case(F, "MatrixDeterminant_singular_%s" % s, lambda x: raw.MatrixDeterminant(input=x),
         [np.array(SINGULAR, dt)], **t)
    case(F, "MatrixDeterminant_0x0_%s" % s, lambda x: raw.MatrixDeterminant(input=x), [np.zeros((3, 0, 0), dt)])
    case(F, "MatrixDeterminant_batch0_%s" % s, lambda x: raw.MatrixDeterminant(input=x), [np.zeros((0, 2, 2), dt)])
    case(F, "MatrixDeterminant_overflow_%s" % s, lambda x: raw.MatrixDeterminant(input=x),
         [(np.eye(4) * (1e20 if dt == np.float32 else 1e100)).astype(dt)])
    case(F, "MatrixDeterminant_nan_%s" % s, lambda x: raw.MatrixDeterminant(input=x),
         [np.array([[np.nan, 1.0], [1.0, 1.0]], dt)])
    case(F, "LogMatrixDeterminant_%s" % s, lambda x: raw.LogMatrixDeterminant(input=x),
         [general((2, 3, 4, 4), dt, 6)], **t)
    case(F, "LogMatrixDeterminant_large_%s" % s, lambda x: raw.LogMatrixDeterminant(input=x),
         [(np.eye(6) * -(1e20 if dt == np.float32 else 1e100)).astype(dt)], **t)
    case(F, "LogMatrixDeterminant_singular_%s" % s, lambda x: raw.LogMatrixDeterminant(input=x),
         [np.array([SINGULAR, np.eye(3)], dt)], **t)
    case(F, "LogMatrixDeterminant_0x0_%s" % s, lambda x: raw.LogMatrixDeterminant(input=x), [np.zeros((2, 0, 0), dt)])
    # ---- Cholesky: the lower triangle is read; not positive definite gives NaNs
    case(F, "Cholesky_%s" % s, lambda x: raw.Cholesky(input=x), [spd((4, 4), dt, 7)], **t)
    case(F, "Cholesky_batch_%s" % s, lambda x: raw.Cholesky(input=x), [spd((2, 2, 5, 5), dt, 8)], **t)
    case(F, "Cholesky_lower_only_%s" % s, lambda x: raw.Cholesky(input=x),
         [(np.tril(spd((3, 3), np.float64, 9)) + np.triu(np.full((3, 3), 7.0), 1)).astype(dt)], **t)
    # TF leaves the upper triangle unwritten then: compare the lower one
    case(F, "Cholesky_not_pd_%s" % s, lambda x: tf.linalg.band_part(raw.Cholesky(input=x), -1, 0),
         [np.array([np.eye(3), -np.eye(3), [[1, 2, 0], [2, 1, 0], [0, 0, 1]]], dt)], **t)
    case(F, "Cholesky_0x0_%s" % s, lambda x: raw.Cholesky(input=x), [np.zeros((0, 0), dt)])
    case(F, "Cholesky_batch0_%s" % s, lambda x: raw.Cholesky(input=x), [np.zeros((0, 2, 2), dt)])
    # ---- MatrixSolve
    case(F, "MatrixSolve_%s" % s, lambda a, b: raw.MatrixSolve(matrix=a, rhs=b),
         [general((3, 3), dt, 10), rand((3, 2), dt, 11)], **t)
    case(F, "MatrixSolve_batch_%s" % s, lambda a, b: raw.MatrixSolve(matrix=a, rhs=b),
         [general((2, 3, 4, 4), dt, 12), rand((2, 3, 4, 3), dt, 13)], **t)
    case(F, "MatrixSolve_adjoint_%s" % s, lambda a, b: raw.MatrixSolve(matrix=a, rhs=b, adjoint=True),
         [general((2, 4, 4), dt, 14), rand((2, 4, 1), dt, 15)], **t)
    case(F, "MatrixSolve_k0_%s" % s, lambda a, b: raw.MatrixSolve(matrix=a, rhs=b),
         [general((3, 3), dt, 16), np.zeros((3, 0), dt)])
    case(F, "MatrixSolve_0x0_%s" % s, lambda a, b: raw.MatrixSolve(matrix=a, rhs=b),
         [np.zeros((2, 0, 0), dt), np.zeros((2, 0, 3), dt)])
    case(F, "MatrixSolve_singular_%s" % s, lambda a, b: raw.MatrixSolve(matrix=a, rhs=b),
         [np.array(SINGULAR, dt), np.ones((3, 1), dt)])
    # ---- MatrixTriangularSolve: batch dims broadcast
    for lower in (True, False):
        for adjoint in (False, True):
            case(F, "MatrixTriangularSolve_%s%s_%s" % ("lower" if lower else "upper", "_adjoint" if adjoint else "", s),
                 lambda a, b, lower=lower, adjoint=adjoint: raw.MatrixTriangularSolve(
                     matrix=a, rhs=b, lower=lower, adjoint=adjoint),
                 [general((2, 4, 4), dt, 17), rand((2, 4, 3), dt, 18)], **t)
    case(F, "MatrixTriangularSolve_broadcast_%s" % s, lambda a, b: raw.MatrixTriangularSolve(matrix=a, rhs=b),
         [general((2, 1, 3, 3), dt, 19), rand((4, 3, 2), dt, 20)], **t)
    case(F, "MatrixTriangularSolve_broadcast_rhs_%s" % s, lambda a, b: raw.MatrixTriangularSolve(matrix=a, rhs=b),
         [general((3, 3, 3), dt, 21), rand((3, 1), dt, 22)], **t)
    case(F, "MatrixTriangularSolve_empty_%s" % s, lambda a, b: raw.MatrixTriangularSolve(matrix=a, rhs=b),
         [np.zeros((0, 2, 2), dt), np.zeros((1, 2, 1), dt)])
    case(F, "MatrixTriangularSolve_0x0_%s" % s, lambda a, b: raw.MatrixTriangularSolve(matrix=a, rhs=b),
         [np.zeros((0, 0), dt), np.zeros((0, 2), dt)])
    # ---- MatrixSolveLs
    case(F, "MatrixSolveLs_over_%s" % s, lambda a, b, l: raw.MatrixSolveLs(matrix=a, rhs=b, l2_regularizer=l),
         [rand((6, 3), dt, 23), rand((6, 2), dt, 24), np.float64(0.0)], **t)
    case(F, "MatrixSolveLs_under_%s" % s, lambda a, b, l: raw.MatrixSolveLs(matrix=a, rhs=b, l2_regularizer=l),
         [rand((2, 4), dt, 25), rand((2, 3), dt, 26), np.float64(0.0)], **t)
    case(F, "MatrixSolveLs_l2_%s" % s, lambda a, b, l: raw.MatrixSolveLs(matrix=a, rhs=b, l2_regularizer=l),
         [rand((2, 5, 3), dt, 27), rand((2, 5, 2), dt, 28), np.float64(0.5)], **t)
    case(F, "MatrixSolveLs_l2_under_%s" % s, lambda a, b, l: raw.MatrixSolveLs(matrix=a, rhs=b, l2_regularizer=l),
         [rand((3, 5), dt, 29), rand((3, 1), dt, 30), np.float64(0.25)], **t)
    case(F, "MatrixSolveLs_slow_over_%s" % s,
         lambda a, b, l: raw.MatrixSolveLs(matrix=a, rhs=b, l2_regularizer=l, fast=False),
         [rand((2, 6, 3), dt, 31), rand((2, 6, 2), dt, 32), np.float64(0.0)], **t)
    case(F, "MatrixSolveLs_slow_under_%s" % s,
         lambda a, b, l: raw.MatrixSolveLs(matrix=a, rhs=b, l2_regularizer=l, fast=False),
         [rand((3, 5), dt, 33), rand((3, 2), dt, 34), np.float64(0.0)], **t)
    case(F, "MatrixSolveLs_rank_deficient_%s" % s,
         lambda a, b, l: raw.MatrixSolveLs(matrix=a, rhs=b, l2_regularizer=l),
         [np.zeros((3, 2), dt), np.ones((3, 1), dt), np.float64(0.0)])
    # (with no rows, m = 0, TF leaves the output unwritten: no case)
    case(F, "MatrixSolveLs_batch0_%s" % s, lambda a, b, l: raw.MatrixSolveLs(matrix=a, rhs=b, l2_regularizer=l),
         [np.zeros((0, 3, 2), dt), np.zeros((0, 3, 1), dt), np.float64(0.0)])
    # ---- Qr: LAPACK's Householder signs are Eigen's
    for shape in ((4, 3), (3, 5), (2, 4, 4)):
        for full in (False, True):
            case(F, "Qr_%s%s_%s" % ("x".join(map(str, shape)), "_full" if full else "", s),
                 lambda x, full=full: raw.Qr(input=x, full_matrices=full), [rand(shape, dt, 35)], **t)
    case(F, "Qr_3x0_full_%s" % s, lambda x: raw.Qr(input=x, full_matrices=True), [np.zeros((3, 0), dt)])
    case(F, "Qr_0x3_%s" % s, lambda x: raw.Qr(input=x), [np.zeros((0, 3), dt)])
    case(F, "Qr_batch0_%s" % s, lambda x: raw.Qr(input=x), [np.zeros((0, 3, 2), dt)])
    # ---- Svd: s, |u|, |v| (distinct singular values), u diag(s) v^T, u^T u

    def svd_invariants(x, full, rows, cols):
        sv, u, v = raw.Svd(input=x, full_matrices=full)
        k = min(rows, cols)
        uk, vk = u[..., :k], v[..., :k]
        return [sv, tf.abs(uk), tf.abs(vk), tf.matmul(uk * sv[..., None, :], vk, adjoint_b=True),
                tf.matmul(u, u, adjoint_a=True), tf.matmul(v, v, adjoint_a=True)]

    for shape in ((4, 3), (3, 5), (2, 3, 4, 4)):
        for full in (False, True):
            case(F, "Svd_%s%s_%s" % ("x".join(map(str, shape)), "_full" if full else "", s),
                 lambda x, full=full, shape=shape: svd_invariants(x, full, shape[-2], shape[-1]),
                 [rand(shape, dt, 36)], **t)
    case(F, "Svd_values_only_%s" % s, lambda x: raw.Svd(input=x, compute_uv=False)[0], [rand((2, 5, 3), dt, 37)], **t)
    case(F, "Svd_3x0_full_%s" % s, lambda x: raw.Svd(input=x, full_matrices=True), [np.zeros((3, 0), dt)])
    case(F, "Svd_batch0_%s" % s, lambda x: raw.Svd(input=x), [np.zeros((0, 3, 2), dt)])
    # ---- SelfAdjointEigV2: the lower triangle is read

    def eig_invariants(x):
        e, v = raw.SelfAdjointEigV2(input=x)
        return [e, tf.abs(v), tf.matmul(v * e[..., None, :], v, adjoint_b=True)]

    case(F, "SelfAdjointEigV2_%s" % s, eig_invariants, [spd((4, 4), dt, 38)], **t)
    case(F, "SelfAdjointEigV2_batch_%s" % s, eig_invariants, [spd((2, 3, 5, 5), dt, 39)], **t)
    case(F, "SelfAdjointEigV2_lower_only_%s" % s, eig_invariants,
         [(np.tril(spd((3, 3), np.float64, 40)) + np.triu(np.full((3, 3), 5.0), 1)).astype(dt)], **t)
    case(F, "SelfAdjointEigV2_values_only_%s" % s, lambda x: raw.SelfAdjointEigV2(input=x, compute_v=False)[0],
         [spd((2, 4, 4), dt, 41) - 6], **t)
    case(F, "SelfAdjointEigV2_0x0_%s" % s, lambda x: raw.SelfAdjointEigV2(input=x), [np.zeros((2, 0, 0), dt)])
    # ---- Lu: pivoting picks the same rows as Eigen's
    case(F, "Lu_%s" % s, lambda x: raw.Lu(input=x), [rand((4, 4), dt, 42)], **t)
    case(F, "Lu_batch_int64_%s" % s, lambda x: raw.Lu(input=x, output_idx_type=tf.int64),
         [rand((2, 3, 5, 5), dt, 43)], **t)
    case(F, "Lu_0x0_%s" % s, lambda x: raw.Lu(input=x), [np.zeros((2, 0, 0), dt)])
    case(F, "Lu_singular_%s" % s, lambda x: raw.Lu(input=x), [np.array(SINGULAR, dt)])

# Errors TF raises on shapes (fed with unknown shapes, so that the kernel sees them).
f64 = np.float64
case(F, "MatrixInverse_not_square", lambda x: raw.MatrixInverse(input=x), [np.ones((2, 3), f64)])
case(F, "MatrixInverse_rank1", lambda x: raw.MatrixInverse(input=x), [np.ones((3,), f64)])
case(F, "MatrixDeterminant_not_square", lambda x: raw.MatrixDeterminant(input=x), [np.ones((2, 3, 2), f64)])
case(F, "Cholesky_not_square", lambda x: raw.Cholesky(input=x), [np.ones((2, 3), f64)])
case(F, "MatrixSolve_rows", lambda a, b: raw.MatrixSolve(matrix=a, rhs=b), [np.eye(2), np.ones((3, 1))])
case(F, "MatrixSolve_batch_mismatch", lambda a, b: raw.MatrixSolve(matrix=a, rhs=b),
     [np.ones((2, 2, 2)), np.ones((3, 2, 1))])
case(F, "MatrixTriangularSolve_rows", lambda a, b: raw.MatrixTriangularSolve(matrix=a, rhs=b),
     [np.eye(3), np.ones((2, 1))])
case(F, "MatrixTriangularSolve_batch_mismatch", lambda a, b: raw.MatrixTriangularSolve(matrix=a, rhs=b),
     [np.ones((2, 2, 2)), np.ones((3, 2, 1))])
case(F, "MatrixSolveLs_rows", lambda a, b, l: raw.MatrixSolveLs(matrix=a, rhs=b, l2_regularizer=l),
     [np.ones((3, 2)), np.ones((2, 1)), np.float64(0.0)])
case(F, "Qr_rank1", lambda x: raw.Qr(input=x), [np.ones((3,), f64)])
case(F, "Svd_rank1", lambda x: raw.Svd(input=x), [np.ones((3,), f64)])
case(F, "SelfAdjointEigV2_not_square", lambda x: raw.SelfAdjointEigV2(input=x), [np.ones((2, 3), f64)])
case(F, "Lu_not_square", lambda x: raw.Lu(input=x), [np.ones((2, 3), f64)])
case(F, "MatrixTriangularSolve_not_square", lambda a, b: raw.MatrixTriangularSolve(matrix=a, rhs=b),
     [np.ones((2, 3)), np.ones((2, 1))])
case(F, "MatrixSolveLs_l2_negative", lambda a, b, l: raw.MatrixSolveLs(matrix=a, rhs=b, l2_regularizer=l),
     [np.eye(2), np.ones((2, 1)), np.float64(-1.0)])
case(F, "MatrixSolveLs_l2_not_scalar", lambda a, b, l: raw.MatrixSolveLs(matrix=a, rhs=b, l2_regularizer=l),
     [np.eye(2), np.ones((2, 1)), np.ones(2)])

# float16: TF's Eigen rounds each step to half, Ferry computes in float.
HALF = dict(rtol=1e-2, atol=1e-2)
f16 = np.float16
case(F, "MatrixInverse_float16", lambda x: raw.MatrixInverse(input=x), [general((2, 3, 3), f16, 50)], **HALF)
case(F, "MatrixInverse_adjoint_float16", lambda x: raw.MatrixInverse(input=x, adjoint=True),
     [general((3, 3), f16, 51)], **HALF)
case(F, "MatrixInverse_singular_float16", lambda x: raw.MatrixInverse(input=x), [np.array(SINGULAR, f16)])
case(F, "Qr_float16", lambda x: raw.Qr(input=x), [rand((2, 4, 3), f16, 52)], **HALF)
case(F, "Qr_full_float16", lambda x: raw.Qr(input=x, full_matrices=True), [rand((3, 2), f16, 53)], **HALF)

# complex64 / complex128: adjoint conjugates; |factor| and products are
# free of the phases SVD and eigenvectors leave open.


def crand(shape, dt, seed):
    return (rand(shape, np.float64, seed) + 1j * rand(shape, np.float64, seed + 100)).astype(dt)


def cgeneral(shape, dt, seed):
    return (crand(shape, np.complex128, seed) + 4 * shape[-1] * np.eye(shape[-1])).astype(dt)


def hpd(shape, dt, seed):
    a = crand(shape, np.complex128, seed)
    return (a @ np.conj(np.swapaxes(a, -1, -2)) + shape[-1] * np.eye(shape[-1])).astype(dt)


def parts(z):
    """Real and imaginary parts through Bitcast, so that the checks below
    run on real ops alone."""
    f = tf.bitcast(z, tf.float32 if z.dtype == tf.complex64 else tf.float64)
    return f[..., 0], f[..., 1]


def adj_mm(x, y):
    """x^H y from parts: (xr^T yr + xi^T yi) + i (xr^T yi - xi^T yr)."""
    (xr, xi), (yr, yi) = x, y
    t = lambda a, b: tf.matmul(a, b, transpose_a=True)
    return [t(xr, yr) + t(xi, yi), t(xr, yi) - t(xi, yr)]


def scaled_adj(x, w, y):
    """x diag(w) y^H for real w."""
    (xr, xi), (yr, yi) = x, y
    xr, xi = xr * w[..., None, :], xi * w[..., None, :]
    t = lambda a, b: tf.matmul(a, b, transpose_b=True)
    return [t(xr, yr) + t(xi, yi), t(xi, yr) - t(xr, yi)]


def modulus(z):
    re, im = z
    return tf.sqrt(re * re + im * im)


def csvd_invariants(x, full, rows, cols):
    """As svd_invariants: |u|, |v| are free of the phases left open per column."""
    sv, u, v = raw.Svd(input=x, full_matrices=full)
    k = min(rows, cols)
    up, vp = parts(u), parts(v)
    ukp, vkp = parts(u[..., :k]), parts(v[..., :k])
    sr = parts(sv)[0]
    return [sv, modulus(ukp), modulus(vkp)] + scaled_adj(ukp, sr, vkp) + adj_mm(up, up) + adj_mm(vp, vp)


def ceig_invariants(x):
    e, v = raw.SelfAdjointEigV2(input=x)
    vp = parts(v)
    return [e, modulus(vp)] + scaled_adj(vp, parts(e)[0], vp) + adj_mm(vp, vp)


for dt in (np.complex64, np.complex128):
    s = short(dt)
    t = tol(np.float32 if dt == np.complex64 else np.float64)
    case(F, "MatrixInverse_%s" % s, lambda x: raw.MatrixInverse(input=x), [cgeneral((2, 3, 3), dt, 60)], **t)
    case(F, "MatrixInverse_adjoint_%s" % s, lambda x: raw.MatrixInverse(input=x, adjoint=True),
         [cgeneral((3, 3), dt, 61)], **t)
    case(F, "MatrixInverse_singular_%s" % s, lambda x: raw.MatrixInverse(input=x), [np.array(SINGULAR, dt)])
    case(F, "MatrixDeterminant_%s" % s, lambda x: raw.MatrixDeterminant(input=x), [crand((2, 4, 4), dt, 62)], **t)
    case(F, "LogMatrixDeterminant_%s" % s, lambda x: raw.LogMatrixDeterminant(input=x),
         [crand((3, 4, 4), dt, 63)], **t)
    case(F, "Cholesky_%s" % s, lambda x: raw.Cholesky(input=x), [hpd((2, 4, 4), dt, 64)], **t)
    case(F, "MatrixSolve_%s" % s, lambda a, b: raw.MatrixSolve(matrix=a, rhs=b),
         [cgeneral((2, 3, 3), dt, 65), crand((2, 3, 2), dt, 66)], **t)
    case(F, "MatrixSolve_adjoint_%s" % s, lambda a, b: raw.MatrixSolve(matrix=a, rhs=b, adjoint=True),
         [cgeneral((3, 3), dt, 67), crand((3, 2), dt, 68)], **t)
    for lower in (True, False):
        for adjoint in (False, True):
            case(F, "MatrixTriangularSolve_%s%s_%s" % ("lower" if lower else "upper", "_adjoint" if adjoint else "", s),
                 lambda a, b, lower=lower, adjoint=adjoint: raw.MatrixTriangularSolve(
                     matrix=a, rhs=b, lower=lower, adjoint=adjoint),
                 [cgeneral((2, 3, 3), dt, 69), crand((1, 3, 2), dt, 70)], **t)
    case(F, "MatrixSolveLs_over_%s" % s, lambda a, b, l: raw.MatrixSolveLs(matrix=a, rhs=b, l2_regularizer=l),
         [crand((5, 3), dt, 71), crand((5, 2), dt, 72), np.float64(0.0)], **t)
    case(F, "MatrixSolveLs_l2_under_%s" % s, lambda a, b, l: raw.MatrixSolveLs(matrix=a, rhs=b, l2_regularizer=l),
         [crand((2, 4), dt, 73), crand((2, 1), dt, 74), np.float64(0.5)], **t)
    case(F, "MatrixSolveLs_slow_%s" % s,
         lambda a, b, l: raw.MatrixSolveLs(matrix=a, rhs=b, l2_regularizer=l, fast=False),
         [crand((2, 5, 3), dt, 75), crand((2, 5, 2), dt, 76), np.float64(0.0)], **t)
    for shape in ((4, 3), (3, 5)):
        for full in (False, True):
            case(F, "Qr_%s%s_%s" % ("x".join(map(str, shape)), "_full" if full else "", s),
                 lambda x, full=full: raw.Qr(input=x, full_matrices=full), [crand(shape, dt, 77)], **t)
    for shape in ((4, 3), (2, 3, 5)):
        for full in (False, True):
            case(F, "Svd_%s%s_%s" % ("x".join(map(str, shape)), "_full" if full else "", s),
                 lambda x, full=full, shape=shape: csvd_invariants(x, full, shape[-2], shape[-1]),
                 [crand(shape, dt, 78)], **t)
    case(F, "Svd_values_only_%s" % s, lambda x: raw.Svd(input=x, compute_uv=False)[0], [crand((4, 4), dt, 79)], **t)
    case(F, "SelfAdjointEigV2_%s" % s, ceig_invariants, [hpd((2, 4, 4), dt, 80)], **t)
    case(F, "SelfAdjointEigV2_values_only_%s" % s, lambda x: raw.SelfAdjointEigV2(input=x, compute_v=False)[0],
         [hpd((3, 3), dt, 81)], **t)
    case(F, "Lu_%s" % s, lambda x: raw.Lu(input=x), [crand((2, 5, 5), dt, 82)], **t)

# NaN and infinity: what TF's Eigen makes of them.
NAN3 = [[np.nan, 1.0, 2.0], [1.0, 2.0, 3.0], [2.0, 3.0, 5.0]]
INF3 = [[4.0, 1.0, 0.0], [np.inf, 5.0, 1.0], [0.0, 1.0, 6.0]]
for dt in (np.float32, np.complex128):
    s = short(dt)
    case(F, "Cholesky_nan_%s" % s, lambda x: raw.Cholesky(input=x), [np.array([[4.0, 0.0], [np.nan, 4.0]], dt)])
    case(F, "Cholesky_inf_%s" % s, lambda x: tf.linalg.band_part(raw.Cholesky(input=x), -1, 0),
         [np.array(INF3, dt)])
    case(F, "Cholesky_negative_%s" % s, lambda x: tf.linalg.band_part(raw.Cholesky(input=x), -1, 0),
         [np.array([np.eye(2), -np.eye(2)], dt)])
    case(F, "Svd_nan_%s" % s, lambda x: raw.Svd(input=x), [np.array(NAN3, dt)])
    case(F, "SelfAdjointEigV2_nan_%s" % s, lambda x: raw.SelfAdjointEigV2(input=x), [np.array(NAN3, dt)])
    case(F, "SelfAdjointEigV2_inf_%s" % s, lambda x: raw.SelfAdjointEigV2(input=x), [np.array(INF3, dt)])
    case(F, "MatrixSolve_nan_%s" % s, lambda a, b: raw.MatrixSolve(matrix=a, rhs=b),
         [np.array(NAN3, dt), np.ones((3, 1), dt)])
    case(F, "MatrixSolveLs_nan_%s" % s, lambda a, b, l: raw.MatrixSolveLs(matrix=a, rhs=b, l2_regularizer=l),
         [np.array(NAN3, dt), np.ones((3, 1), dt), np.float64(0.0)])
    case(F, "MatrixSolveLs_slow_nan_%s" % s,
         lambda a, b, l: raw.MatrixSolveLs(matrix=a, rhs=b, l2_regularizer=l, fast=False),
         [np.array(NAN3, dt), np.ones((3, 1), dt), np.float64(0.0)])
    case(F, "LogMatrixDeterminant_nan_%s" % s, lambda x: raw.LogMatrixDeterminant(input=x), [np.array(NAN3, dt)])
    case(F, "Lu_nan_%s" % s, lambda x: raw.Lu(input=x), [np.array(NAN3, dt)])

# Many empty matrices: nothing to compute, and quickly.
case(F, "Qr_many_empty", lambda x: raw.Qr(input=x), [np.zeros((10 ** 6, 0, 3), np.float32)])
case(F, "Svd_many_empty", lambda x: raw.Svd(input=x), [np.zeros((10 ** 6, 3, 0), np.float32)])
case(F, "MatrixTriangularSolve_many_empty", lambda a, b: raw.MatrixTriangularSolve(matrix=a, rhs=b),
     [np.zeros((1000, 1, 0, 0), np.float32), np.zeros((1, 1000, 0, 2), np.float32)])


# TridiagonalSolve (compact diagonals [..., 3, M]: super, main, sub) and TridiagonalMatMul.
def tridiagonals(shape, dt, seed):
    d = rand(shape[:-2] + (3, shape[-1]), np.float64, seed)
    d[..., 1, :] += 4 * np.sign(d[..., 1, :])
    return d.astype(dt)


for dt in REALS + (np.complex64, np.complex128):
    s = short(dt)
    t = tol(np.float32 if dt in (np.float32, np.complex64) else np.float64)
    mk = (lambda sh, sd: crand(sh, dt, sd)) if dt in (np.complex64, np.complex128) else (lambda sh, sd: rand(sh, dt, sd))
    for piv in (True, False):
        case(F, "TridiagonalSolve_%s%s" % ("" if piv else "nopivot_", s),
             lambda d, b, piv=piv: raw.TridiagonalSolve(diagonals=d, rhs=b, partial_pivoting=piv),
             [tridiagonals((2, 3, 5), dt, 90), mk((2, 5, 2), 91)], **t)
    case(F, "TridiagonalSolve_pivots_%s" % s, lambda d, b: raw.TridiagonalSolve(diagonals=d, rhs=b),
         [mk((4, 6), 92).reshape(2, 3, 4), mk((2, 4, 3), 93)], **t)
    case(F, "TridiagonalMatMul_%s" % s,
         lambda u, m, l, b: raw.TridiagonalMatMul(superdiag=u, maindiag=m, subdiag=l, rhs=b),
         [mk((2, 1, 4), 94), mk((2, 1, 4), 95), mk((2, 1, 4), 96), mk((2, 4, 3), 97)], **t)
case(F, "TridiagonalSolve_singular", lambda d, b: raw.TridiagonalSolve(diagonals=d, rhs=b),
     [np.zeros((3, 3)), np.ones((3, 1))])
case(F, "TridiagonalSolve_singular_nopivot",
     lambda d, b: raw.TridiagonalSolve(diagonals=d, rhs=b, partial_pivoting=False),
     [np.array([[1.0, 1.0, 0.0], [1.0, 1.0, 2.0], [0.0, 1.0, 1.0]]), np.ones((3, 1))])
case(F, "TridiagonalSolve_1x1", lambda d, b: raw.TridiagonalSolve(diagonals=d, rhs=b),
     [np.array([[0.0], [2.0], [0.0]]), np.ones((1, 2))])
case(F, "TridiagonalSolve_empty", lambda d, b: raw.TridiagonalSolve(diagonals=d, rhs=b),
     [np.zeros((3, 0)), np.zeros((0, 2))])
case(F, "TridiagonalSolve_not_3_rows", lambda d, b: raw.TridiagonalSolve(diagonals=d, rhs=b),
     [np.zeros((2, 3)), np.ones((3, 2))])
