/* Products hoisted out of While loops (runtime/hoist.c): which loops get a
 * hoisted body, and the list products themselves (kernels/list.c). The
 * results of the loops against TensorFlow are in the tf2_list_products
 * fixture (test_run_fixtures). */
#include <ferry/ferry.h>

#include "api/model_internal.h"
#include "check.h"
#include "graph_text.h"
#include "runtime/functions.h"

/* The fixture's three loops: `project` multiplies three lists (by a variable,
 * a captured constant and a transposed variable), `unset` one list never
 * written, and `counted` assigns a variable in its body, so it keeps its
 * products in the loop. */
static void loops_with_list_products_get_a_hoisted_body(void)
{
    ferry_model *m = NULL;
    CHECK_OK(ferry_model_load(&m, FERRY_FIXTURES "/tf2_list_products/saved_model", NULL, err_));
    if (!m)
        return;
    const fy_runtime *rt = &m->runtime;
    int seen[4] = { 0 }, loops = 0;
    for (int i = 0; rt->functions && i < rt->graph.node_count; i++) {
        const char *op = rt->graph.nodes[i].op;
        if (!rt->functions[i] || (strcmp(op, "While") != 0 && strcmp(op, "StatelessWhile") != 0))
            continue;
        const fy_function *hoisted = rt->functions[i][1]->hoisted;
        int count = hoisted ? hoisted->hoist_count : 0;
        loops++;
        if (count < 4)
            seen[count]++;
    }
    CHECK_EQ_INT(loops, 3);
    CHECK_EQ_INT(seen[0], 1); /* counted */
    CHECK_EQ_INT(seen[1], 1); /* unset */
    CHECK_EQ_INT(seen[3], 1); /* project */
    ferry_model_free(m);
}

static ferry_tensor *matrix(int64_t rows, int64_t cols, float start)
{
    ferry_tensor *t = NULL;
    int64_t dims[2] = { rows, cols };
    CHECK_OK(ferry_tensor_new(&t, FERRY_DT_FLOAT, dims, 2, err_));
    for (int64_t i = 0; t && i < rows * cols; i++)
        ((float *)t->data)[i] = start + (float)((i * 7) % 11) * 0.25f - 1.0f;
    return t;
}

/* A list of `count` items of rows x k. */
static ferry_tensor *list_of(int64_t count, int64_t rows, int64_t k)
{
    ferry_tensor *list = NULL;
    CHECK_OK(fy_tensor_new_list(&list, count, err_));
    for (int64_t i = 0; list && i < count; i++)
        ((ferry_tensor **)list->data)[i] = matrix(rows, k, (float)i);
    return list;
}

/* Every item times w, against sums in double: small items go through one
 * gathered product, items of 32 rows and more one by one; w as a run makes
 * it (BLAS) and as a variable's value (lasting: packed where the CPU can). */
static void list_products_match_the_sums(void)
{
    static const int64_t rows_cases[] = { 1, 3, 40 };
    for (int c = 0; c < 6; c++) {
        for (int transpose = 0; transpose < 2; transpose++) {
            int64_t rows = rows_cases[c % 3], k = 5, n = 6, count = 4;
            ferry_tensor *list = list_of(count, rows, k), *w = transpose ? matrix(n, k, 0.5f) : matrix(k, n, 0.5f);
            if (w)
                w->lasting = c >= 3;
            ferry_tensor *out = NULL;
            CHECK_OK(fy_list_matmul(&out, list, w, transpose, NULL, err_));
            CHECK(out && out->dtype == FERRY_DT_VARIANT && out->count == count);
            int bad = 0;
            for (int64_t i = 0; out && i < count; i++) {
                const ferry_tensor *x = fy_list_item(list, i), *y = fy_list_item(out, i);
                CHECK(y && y->rank == 2 && y->dims[0] == rows && y->dims[1] == n);
                for (int64_t r = 0; y && r < rows; r++)
                    for (int64_t j = 0; j < n; j++) {
                        double sum = 0;
                        for (int64_t l = 0; l < k; l++) {
                            float wv = ((const float *)w->data)[transpose ? j * k + l : l * n + j];
                            sum += (double)((const float *)x->data)[r * k + l] * wv;
                        }
                        bad += fabs(((const float *)y->data)[r * n + j] - sum) > 1e-5 * (1 + fabs(sum));
                    }
            }
            CHECK_EQ_INT(bad, 0);
            ferry_tensor_free(out);
            ferry_tensor_free(list);
            ferry_tensor_free(w);
        }
    }
}

/* Lists the product does not fit leave *out NULL, for the loop to run as
 * written: an unset item, items of two shapes, a matrix of the wrong size. */
static void lists_that_do_not_fit_are_left_to_the_loop(void)
{
    ferry_tensor *w = matrix(5, 6, 0), *out = NULL;
    ferry_tensor *unset = list_of(3, 2, 5);
    ferry_tensor_free(((ferry_tensor **)unset->data)[1]);
    ((ferry_tensor **)unset->data)[1] = NULL;
    CHECK_OK(fy_list_matmul(&out, unset, w, 0, NULL, err_));
    CHECK(!out);
    ferry_tensor *mixed = list_of(3, 2, 5);
    ferry_tensor_free(((ferry_tensor **)mixed->data)[2]);
    ((ferry_tensor **)mixed->data)[2] = matrix(3, 5, 0);
    CHECK_OK(fy_list_matmul(&out, mixed, w, 0, NULL, err_));
    CHECK(!out);
    ferry_tensor *fits = list_of(3, 2, 5);
    CHECK_OK(fy_list_matmul(&out, fits, w, 1, NULL, err_)); /* w^T is 6 x 5 */
    CHECK(!out);
    ferry_tensor_free(unset);
    ferry_tensor_free(mixed);
    ferry_tensor_free(fits);
    ferry_tensor_free(w);
}

/* The internal ops hoisting and cell fusion make cannot be named by a
 * file: such nodes are unknown ops, whatever their inputs. */
static void internal_ops_from_a_file_are_unknown(void)
{
    static const char graph[] =
        "node { name: 'x' op: 'Placeholder' attr { key: 'dtype' value { type: DT_FLOAT } } }\n"
        "node { name: 'bare' op: '_FerryHoistedProduct' }\n"
        "node { name: 'cell' op: '_FerryLSTMCell' input: 'x' }\n";
    ferry_model *m = load_graph_text(graph, 1);
    if (!m)
        return;
    int64_t dims[1] = { 4 };
    ferry_tensor *x = NULL, *out = NULL;
    CHECK_OK(ferry_tensor_new(&x, FERRY_DT_FLOAT, dims, 1, err_));
    const char *feed = "x", *bare = "bare:0", *cell = "cell:0";
    CHECK_FAILS(FERRY_ERR_UNSUPPORTED, "no kernel for 1 op: _FerryHoistedProduct (node 'bare')",
                ferry_model_run(&out, m, &feed, (const ferry_tensor *const *)&x, 1, &bare, 1, NULL, 0, err_));
    CHECK_FAILS(FERRY_ERR_UNSUPPORTED, "no kernel for 1 op: _FerryLSTMCell (node 'cell')",
                ferry_model_run(&out, m, &feed, (const ferry_tensor *const *)&x, 1, &cell, 1, NULL, 0, err_));
    CHECK(!ferry_op_is_supported("_FerryHoistedProduct") && !ferry_op_is_supported("_FerryLoop"));
    ferry_tensor_free(x);
    ferry_model_free(m);
}

RUN_TESTS("hoist", TEST(internal_ops_from_a_file_are_unknown), TEST(loops_with_list_products_get_a_hoisted_body), TEST(list_products_match_the_sums),
          TEST(lists_that_do_not_fit_are_left_to_the_loop))
