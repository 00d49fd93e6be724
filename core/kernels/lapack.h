/* The LAPACK routines the linear-algebra kernels (linalg.c) call: the
 * Fortran symbols OpenBLAS ships, declared here because the build has no
 * LAPACKE. Matrices are column-major; every argument is passed by address;
 * each character argument takes a hidden length at the end of the list. */
#ifndef FERRY_KERNELS_LAPACK_H
#define FERRY_KERNELS_LAPACK_H

#include <complex.h>
#include <stddef.h>

#define FY_LAPACK_REAL(P, T)                                                                                    \
    void P##getrf_(const int *m, const int *n, T *a, const int *lda, int *ipiv, int *info);                     \
    void P##getri_(const int *n, T *a, const int *lda, const int *ipiv, T *work, const int *lwork, int *info);  \
    void P##getrs_(const char *trans, const int *n, const int *nrhs, const T *a, const int *lda, const int *ipiv, \
                   T *b, const int *ldb, int *info, size_t trans_len);                                          \
    void P##potrf_(const char *uplo, const int *n, T *a, const int *lda, int *info, size_t uplo_len);           \
    void P##potrs_(const char *uplo, const int *n, const int *nrhs, const T *a, const int *lda, T *b,           \
                   const int *ldb, int *info, size_t uplo_len);                                                 \
    void P##geqrf_(const int *m, const int *n, T *a, const int *lda, T *tau, T *work, const int *lwork,         \
                   int *info);                                                                                  \
    void P##orgqr_(const int *m, const int *n, const int *k, T *a, const int *lda, const T *tau, T *work,       \
                   const int *lwork, int *info);                                                                \
    void P##gesdd_(const char *jobz, const int *m, const int *n, T *a, const int *lda, T *s, T *u,              \
                   const int *ldu, T *vt, const int *ldvt, T *work, const int *lwork, int *iwork, int *info,    \
                   size_t jobz_len);                                                                            \
    void P##syevd_(const char *jobz, const char *uplo, const int *n, T *a, const int *lda, T *w, T *work,       \
                   const int *lwork, int *iwork, const int *liwork, int *info, size_t jobz_len,                 \
                   size_t uplo_len);                                                                            \
    void P##gelsy_(const int *m, const int *n, const int *nrhs, T *a, const int *lda, T *b, const int *ldb,     \
                   int *jpvt, const T *rcond, int *rank, T *work, const int *lwork, int *info);                 \
    void P##gtsv_(const int *n, const int *nrhs, T *dl, T *d, T *du, T *b, const int *ldb, int *info);

/* Complex T with real R: the same routines, the unitary ones named un*,
 * and real scratch (rwork) where the complex algorithms need it. */
#define FY_LAPACK_COMPLEX(P, T, R)                                                                              \
    void P##getrf_(const int *m, const int *n, T *a, const int *lda, int *ipiv, int *info);                     \
    void P##getri_(const int *n, T *a, const int *lda, const int *ipiv, T *work, const int *lwork, int *info);  \
    void P##getrs_(const char *trans, const int *n, const int *nrhs, const T *a, const int *lda, const int *ipiv, \
                   T *b, const int *ldb, int *info, size_t trans_len);                                          \
    void P##potrf_(const char *uplo, const int *n, T *a, const int *lda, int *info, size_t uplo_len);           \
    void P##potrs_(const char *uplo, const int *n, const int *nrhs, const T *a, const int *lda, T *b,           \
                   const int *ldb, int *info, size_t uplo_len);                                                 \
    void P##geqrf_(const int *m, const int *n, T *a, const int *lda, T *tau, T *work, const int *lwork,         \
                   int *info);                                                                                  \
    void P##ungqr_(const int *m, const int *n, const int *k, T *a, const int *lda, const T *tau, T *work,       \
                   const int *lwork, int *info);                                                                \
    void P##gesdd_(const char *jobz, const int *m, const int *n, T *a, const int *lda, R *s, T *u,              \
                   const int *ldu, T *vt, const int *ldvt, T *work, const int *lwork, R *rwork, int *iwork,     \
                   int *info, size_t jobz_len);                                                                 \
    void P##heevd_(const char *jobz, const char *uplo, const int *n, T *a, const int *lda, R *w, T *work,       \
                   const int *lwork, R *rwork, const int *lrwork, int *iwork, const int *liwork, int *info,     \
                   size_t jobz_len, size_t uplo_len);                                                           \
    void P##gelsy_(const int *m, const int *n, const int *nrhs, T *a, const int *lda, T *b, const int *ldb,     \
                   int *jpvt, const R *rcond, int *rank, T *work, const int *lwork, R *rwork, int *info);       \
    void P##gtsv_(const int *n, const int *nrhs, T *dl, T *d, T *du, T *b, const int *ldb, int *info);

FY_LAPACK_REAL(s, float)
FY_LAPACK_REAL(d, double)
FY_LAPACK_COMPLEX(c, float _Complex, float)
FY_LAPACK_COMPLEX(z, double _Complex, double)

#undef FY_LAPACK_REAL
#undef FY_LAPACK_COMPLEX

#endif
