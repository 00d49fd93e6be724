/* Products whose right-hand side is a lasting matrix (a constant, a
 * variable's value): a network's weights, multiplied by every call. BLAS
 * copies its operands into its own blocked layout for each product; for the
 * weights that copy was 10-17 % of a convolution network's time, the same
 * every call. Here the weights are laid out once, in panels of 32 columns
 * (each panel k rows of 32 floats, the last zero-padded), and products read
 * the left-hand side where it is.
 *
 * The kernel keeps an 8 x 32 block of C in sixteen AVX-512 registers and
 * adds one row of a panel times eight broadcast values of A per step, over
 * KC values of k at a time (the panel's 64 KiB part and MC rows of A stay
 * in L2; KC from 128 to 512 and MC from 64 to 256 measured within 3 % of
 * each other, 512 best for large products). Each element of C sums its k
 * products in order, KC at a time, whatever the threads, so results are
 * the same for any split. CPUs without AVX-512 use BLAS instead. */
#include "kernels/packed.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "base/file.h"
#include "base/parallel.h"
#include "base/tensor.h"
#include "kernels/kernel.h"
#include "kernels/simd.h"

#define NR 32   /* columns per panel: two vectors of 16 */
#define MR 8    /* rows per kernel call */
#define KC 512  /* values of k per pass over a panel */
#define MC 128  /* rows of A per pass over the panels */

struct fy_packed {
    fy_derived base; /* kept on the tensor (base/tensor.h) */
    int64_t k, n, panels;
    int transposed;
    float *data;     /* panels * k * NR floats, 64-byte aligned */
};

static void packed_free(fy_derived *d)
{
    fy_packed *p = (fy_packed *)d;
    free(p->data);
    free(p);
}

#ifdef FY_AVX512

static fy_packed *pack(const float *b, int64_t k, int64_t n, int transposed)
{
    fy_packed *p = malloc(sizeof(*p));
    int64_t panels = (n + NR - 1) / NR;
    size_t bytes = (size_t)(panels * k * NR) * sizeof(float);
    float *data = p ? aligned_alloc(64, (bytes + 63) / 64 * 64 + 64) : NULL;
    if (!data) {
        free(p);
        return NULL;
    }
    fy_prefault_write(data, bytes);
    for (int64_t j = 0; j < panels; j++) {
        float *panel = data + j * k * NR;
        int64_t cols = n - j * NR < NR ? n - j * NR : NR;
        if (cols < NR)
            memset(panel, 0, (size_t)(k * NR) * sizeof(float));
        if (transposed) {
            for (int64_t c = 0; c < cols; c++)
                for (int64_t r = 0; r < k; r++)
                    panel[r * NR + c] = b[(j * NR + c) * k + r];
        } else {
            for (int64_t r = 0; r < k; r++)
                memcpy(panel + r * NR, b + r * n + j * NR, (size_t)cols * sizeof(float));
        }
    }
    *p = (fy_packed){ { packed_free }, k, n, panels, transposed, data };
    return p;
}

const fy_packed *fy_packed_of(const ferry_tensor *b, int64_t k, int64_t n, int transposed)
{
    if (!b->lasting || b->dtype != FERRY_DT_FLOAT || b->count != k * n || k < 1 || n < 1 || !fy_cpu_has_avx512())
        return NULL;
    _Atomic(fy_derived *) *slot = &((ferry_tensor *)b)->derived;
    fy_derived *d = atomic_load(slot);
    if (!d) {
        fy_packed *made = pack(b->data, k, n, transposed);
        fy_derived *none = NULL;
        if (!made)
            return NULL;
        if (atomic_compare_exchange_strong(slot, &none, &made->base)) {
            d = &made->base;
        } else {
            packed_free(&made->base); /* another thread packed it first */
            d = none;
        }
    }
    const fy_packed *p = (const fy_packed *)d; /* the only kind of derived data so far */
    return p->k == k && p->n == n && p->transposed == transposed ? p : NULL;
}

/* C[rows, cols] (+)= A[rows, kc] times one panel's kc rows, rows <= MR;
 * cols < NR stores only the first cols columns. */
static inline __attribute__((always_inline)) FY_TARGET_AVX512 void
block(const int rows, int64_t kc, const float *a, int64_t lda, const float *panel, float *c, int64_t ldc,
      int accumulate, int64_t cols)
{
    __m512 acc[MR][2];
    for (int r = 0; r < rows; r++)
        acc[r][0] = acc[r][1] = _mm512_setzero_ps();
    for (int64_t p = 0; p < kc; p++) {
        __m512 b0 = _mm512_load_ps(panel + p * NR), b1 = _mm512_load_ps(panel + p * NR + 16);
        for (int r = 0; r < rows; r++) {
            __m512 v = _mm512_set1_ps(a[r * lda + p]);
            acc[r][0] = _mm512_fmadd_ps(v, b0, acc[r][0]);
            acc[r][1] = _mm512_fmadd_ps(v, b1, acc[r][1]);
        }
    }
    __mmask16 m0 = cols >= 16 ? 0xffff : (__mmask16)((1u << cols) - 1);
    __mmask16 m1 = cols >= NR ? 0xffff : cols <= 16 ? 0 : (__mmask16)((1u << (cols - 16)) - 1);
    for (int r = 0; r < rows; r++) {
        float *out = c + r * ldc;
        if (accumulate) {
            acc[r][0] = _mm512_add_ps(_mm512_maskz_loadu_ps(m0, out), acc[r][0]);
            acc[r][1] = _mm512_add_ps(_mm512_maskz_loadu_ps(m1, out + 16), acc[r][1]);
        }
        _mm512_mask_storeu_ps(out, m0, acc[r][0]);
        _mm512_mask_storeu_ps(out + 16, m1, acc[r][1]);
    }
}

FY_TARGET_AVX512 static void block_rows(int rows, int64_t kc, const float *a, int64_t lda, const float *panel,
                                        float *c, int64_t ldc, int accumulate, int64_t cols)
{
    switch (rows) {
    case 8: block(8, kc, a, lda, panel, c, ldc, accumulate, cols); break;
    case 7: block(7, kc, a, lda, panel, c, ldc, accumulate, cols); break;
    case 6: block(6, kc, a, lda, panel, c, ldc, accumulate, cols); break;
    case 5: block(5, kc, a, lda, panel, c, ldc, accumulate, cols); break;
    case 4: block(4, kc, a, lda, panel, c, ldc, accumulate, cols); break;
    case 3: block(3, kc, a, lda, panel, c, ldc, accumulate, cols); break;
    case 2: block(2, kc, a, lda, panel, c, ldc, accumulate, cols); break;
    default: block(1, kc, a, lda, panel, c, ldc, accumulate, cols); break;
    }
}

/* Rows [r0, r1) and panels [j0, j1) of C. */
static void gemm_part(int64_t r0, int64_t r1, int64_t j0, int64_t j1, const float *a, int64_t lda, const fy_packed *b,
                      float *c, int64_t ldc)
{
    for (int64_t k0 = 0; k0 < b->k; k0 += KC) {
        int64_t kc = b->k - k0 < KC ? b->k - k0 : KC;
        for (int64_t m0 = r0; m0 < r1; m0 += MC) {
            int64_t m1 = r1 - m0 < MC ? r1 : m0 + MC;
            for (int64_t j = j0; j < j1; j++) {
                const float *panel = b->data + (j * b->k + k0) * NR;
                int64_t cols = b->n - j * NR < NR ? b->n - j * NR : NR;
                for (int64_t i = m0; i < m1; i += MR)
                    block_rows(m1 - i < MR ? (int)(m1 - i) : MR, kc, a + i * lda + k0, lda, panel,
                               c + i * ldc + j * NR, ldc, k0 > 0, cols);
            }
        }
    }
}

#else

const fy_packed *fy_packed_of(const ferry_tensor *b, int64_t k, int64_t n, int transposed)
{
    (void)b, (void)k, (void)n, (void)transposed;
    return NULL;
}

static void gemm_part(int64_t r0, int64_t r1, int64_t j0, int64_t j1, const float *a, int64_t lda, const fy_packed *b,
                      float *c, int64_t ldc)
{
    (void)r0, (void)r1, (void)j0, (void)j1, (void)a, (void)lda, (void)b, (void)c, (void)ldc;
}

#endif

typedef struct packed_job {
    const float *a;
    int64_t lda, ldc, m, step;
    int by_rows;
    const fy_packed *b;
    float *c;
} packed_job;

static void packed_slice(void *ctx, int i)
{
    const packed_job *j = ctx;
    if (j->by_rows) {
        int64_t r0 = i * j->step, r1 = r0 + j->step < j->m ? r0 + j->step : j->m;
        gemm_part(r0, r1, 0, j->b->panels, j->a, j->lda, j->b, j->c, j->ldc);
    } else {
        int64_t p0 = i * j->step, p1 = p0 + j->step < j->b->panels ? p0 + j->step : j->b->panels;
        gemm_part(0, j->m, p0, p1, j->a, j->lda, j->b, j->c, j->ldc);
    }
}

/* As for BLAS products (matmul.c): below this many multiply-adds one
 * thread; one-row products, bound by reading the matrix, split sooner. */
#define PARALLEL_MIN_MACS ((double)(1 << 20))
#define PARALLEL_MIN_MACS_ONE_ROW ((double)(1 << 15))

void fy_packed_gemm(struct fy_pool *pool, int64_t m, const float *a, int64_t lda, const fy_packed *b, float *c,
                    int64_t ldc)
{
    int threads = fy_pool_threads(pool);
    double macs = (double)m * (double)b->n * (double)b->k;
    if (threads == 1 || macs < (m == 1 ? PARALLEL_MIN_MACS_ONE_ROW : PARALLEL_MIN_MACS) ||
        (m < 2 * MR && b->panels < 2)) {
        gemm_part(0, m, 0, b->panels, a, lda, b, c, ldc);
        return;
    }
    /* Rows when there are enough for every thread, else panels. */
    packed_job j = { a, lda, ldc, m, 0, m >= (int64_t)threads * 4 * MR, b, c };
    int64_t total = j.by_rows ? (m + MR - 1) / MR : b->panels;
    int64_t per = (total + threads - 1) / threads;
    j.step = j.by_rows ? per * MR : per;
    int64_t extent = j.by_rows ? m : b->panels;
    fy_pool_run(pool, fy_pool_parts(extent, j.step), packed_slice, &j);
}

/* A product's weight as its kernel views it: the same matrix view asks for
 * the same packed form, so the kernel later finds this one. */
static int packable(const ferry_tensor *w)
{
    return w && w->lasting && w->dtype == FERRY_DT_FLOAT && w->rank >= 2;
}

static void prepack_product(const fy_node *n, const ferry_tensor *w, const char *ta, const char *tb)
{
    if (!packable(w) || w->rank != 2 || fy_attr_bool(n, ta, 0))
        return;
    int64_t rows = w->dims[0], cols = w->dims[1];
    int transposed = fy_attr_bool(n, tb, 0);
    fy_packed_of(w, transposed ? cols : rows, transposed ? rows : cols, transposed);
}

void fy_prepack_matmul(const fy_node *n, const ferry_tensor *w)
{
    prepack_product(n, w, "transpose_a", "transpose_b");
}

void fy_prepack_batch_matmul(const fy_node *n, const ferry_tensor *w)
{
    prepack_product(n, w, "adj_x", "adj_y");
}

void fy_prepack_filter(const fy_node *n, const ferry_tensor *w)
{
    (void)n;
    int64_t cols = packable(w) ? w->dims[w->rank - 1] : 0;
    if (cols > 0)
        fy_packed_of(w, w->count / cols, cols, 0);
}
