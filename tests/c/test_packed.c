/* Products by packed weights (kernels/packed.c): against sums in double
 * for edge sizes (rows not a multiple of the kernel's 8, columns not of its
 * 32, k across several passes), the same bits whatever the threads, and
 * packing only for lasting float tensors. On CPUs without AVX-512 nothing
 * is packed, and the tests check just that. */
#include <ferry/ferry.h>

#include "api/model_internal.h"
#include "base/parallel.h"
#include "base/tensor.h"
#include "check.h"
#include "kernels/packed.h"
#include "kernels/simd.h"

static int has_avx512(void)
{
#ifdef FY_AVX512
    return fy_cpu_has_avx512();
#else
    return 0;
#endif
}

static ferry_tensor *filled(const int64_t *dims, int rank, int seed)
{
    ferry_tensor *t = NULL;
    CHECK_OK(ferry_tensor_new(&t, FERRY_DT_FLOAT, dims, rank, err_));
    for (int64_t i = 0; t && i < t->count; i++)
        ((float *)t->data)[i] = (float)(((i + seed) * 7919) % 1001) / 500.0f - 1.0f;
    return t;
}

/* C = A B for one shape, B given as [k, n] or transposed, on `threads`
 * threads; returns C (malloc'd) or NULL when nothing was packed. */
static float *product(int64_t m, int64_t n, int64_t k, int transposed, int threads, ferry_tensor **a_out,
                      ferry_tensor **b_out)
{
    int64_t da[2] = { m, k }, db[2] = { transposed ? n : k, transposed ? k : n };
    ferry_tensor *a = filled(da, 2, 1), *b = filled(db, 2, 2);
    *a_out = a;
    *b_out = b;
    if (!a || !b)
        return NULL;
    b->lasting = 1;
    const fy_packed *p = fy_packed_of(b, k, n, transposed);
    if (!p)
        return NULL;
    fy_pool *pool = NULL;
    if (threads > 1)
        CHECK_OK(fy_pool_new(&pool, threads, err_));
    float *c = malloc((size_t)(m * n) * sizeof(float) + 1);
    if (c)
        fy_packed_gemm(pool, m, a->data, k, p, c, n);
    fy_pool_free(pool);
    return c;
}

static void packed_products_match_the_sums(void)
{
    static const int64_t shapes[][3] = { { 1, 1, 1 }, { 1, 70, 300 }, { 7, 33, 5 }, { 9, 64, 256 },
                                         { 17, 31, 513 }, { 130, 100, 40 }, { 300, 40, 257 } };
    for (size_t s = 0; s < sizeof(shapes) / sizeof(shapes[0]); s++)
        for (int transposed = 0; transposed < 2; transposed++) {
            int64_t m = shapes[s][0], n = shapes[s][1], k = shapes[s][2];
            ferry_tensor *a, *b;
            float *c = product(m, n, k, transposed, 1, &a, &b);
            CHECK(has_avx512() ? c != NULL : c == NULL);
            int bad = 0;
            for (int64_t i = 0; c && i < m; i++)
                for (int64_t j = 0; j < n; j++) {
                    double sum = 0, mag = 0;
                    for (int64_t l = 0; l < k; l++) {
                        double t = (double)((float *)a->data)[i * k + l] *
                                   ((float *)b->data)[transposed ? j * k + l : l * n + j];
                        sum += t;
                        mag += t < 0 ? -t : t;
                    }
                    /* the bound of k float additions in sequence: k units of 2^-24 of the magnitude */
                    bad += fabs(c[i * n + j] - sum) > ldexp((double)k, -24) * mag + 1e-30;
                }
            if (bad)
                fprintf(stderr, "  %lld x %lld x %lld%s: %d wrong\n", (long long)m, (long long)n, (long long)k,
                        transposed ? " (transposed)" : "", bad);
            CHECK_EQ_INT(bad, 0);
            free(c);
            ferry_tensor_free(a);
            ferry_tensor_free(b); /* frees the packed form with it */
        }
}

/* Split by rows (many rows) and by panels (few rows): the bits of one thread. */
static void threads_give_the_same_bits(void)
{
    static const int64_t shapes[][3] = { { 300, 100, 600 }, { 4, 700, 600 } };
    for (int s = 0; s < 2; s++) {
        int64_t m = shapes[s][0], n = shapes[s][1], k = shapes[s][2];
        ferry_tensor *a1, *b1, *a2, *b2;
        float *one = product(m, n, k, 0, 1, &a1, &b1), *two = product(m, n, k, 0, 2, &a2, &b2);
        CHECK(!one == !two);
        if (one && two)
            CHECK(!memcmp(one, two, (size_t)(m * n) * sizeof(float)));
        free(one);
        free(two);
        ferry_tensor_free(a1);
        ferry_tensor_free(b1);
        ferry_tensor_free(a2);
        ferry_tensor_free(b2);
    }
}

/* Tensors a run makes (not lasting), other dtypes and wrong sizes are not
 * packed; a lasting tensor is packed once and asked again gets the same. */
static void only_lasting_float_matrices_are_packed(void)
{
    int64_t d[2] = { 4, 8 };
    ferry_tensor *b = filled(d, 2, 3), *i32 = NULL;
    CHECK(b && !fy_packed_of(b, 4, 8, 0));
    b->lasting = 1;
    CHECK(!fy_packed_of(b, 8, 8, 0));
    const fy_packed *p = fy_packed_of(b, 4, 8, 0);
    CHECK(has_avx512() ? p != NULL && fy_packed_of(b, 4, 8, 0) == p : p == NULL);
    CHECK(!fy_packed_of(b, 8, 4, 0) || !has_avx512()); /* another reading of the same tensor: BLAS */
    CHECK_OK(ferry_tensor_new(&i32, FERRY_DT_INT32, d, 2, err_));
    if (i32) {
        i32->lasting = 1;
        CHECK(!fy_packed_of(i32, 4, 8, 0));
    }
    ferry_tensor_free(b);
    ferry_tensor_free(i32);
}

/* Loading a model packs the weights its products multiply by (runtime/
 * prepack.c): the MLP fixture's two kernels, not its biases. */
static void loading_packs_the_weights(void)
{
    ferry_model *m = NULL;
    CHECK_OK(ferry_model_load(&m, FERRY_FIXTURES "/tf2_mlp/saved_model", NULL, err_));
    if (!m)
        return;
    int packed = 0, matrices = 0;
    for (size_t i = 0; i < m->runtime.var_count; i++) {
        const ferry_tensor *v = m->runtime.vars[i].value;
        if (!v)
            continue;
        matrices += v->rank == 2;
        packed += atomic_load(&((ferry_tensor *)v)->derived) != NULL;
    }
    CHECK(matrices >= 2);
    CHECK_EQ_INT(packed, has_avx512() ? matrices : 0);
    ferry_model_free(m);
}

RUN_TESTS("packed", TEST(loading_packs_the_weights), TEST(packed_products_match_the_sums), TEST(threads_give_the_same_bits),
          TEST(only_lasting_float_matrices_are_packed))
