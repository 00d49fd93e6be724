/* Errors, dtypes, tensors and CRC32C through the public API and internals. */
#include <ferry/ferry.h>

#include "base/bufpool.h"
#include "base/crc32c.h"
#include "base/error.h"
#include "check.h"

static void error_objects_carry_code_and_one_line(void)
{
    ferry_error *e = NULL;
    CHECK_EQ_INT(fy_fail(&e, FERRY_ERR_CORRUPT, "%s: bad\nmagic %d", "x.index", 7), FERRY_ERR_CORRUPT);
    CHECK_EQ_INT(ferry_error_code(e), FERRY_ERR_CORRUPT);
    CHECK_STR(ferry_error_message(e), "x.index: bad magic 7");
    fy_error_prefix(&e, "checkpoint %s", "ck");
    CHECK_STR(ferry_error_message(e), "checkpoint ck: x.index: bad magic 7");
    /* A second failure does not replace the first. */
    fy_fail(&e, FERRY_ERR_IO, "later");
    CHECK_EQ_INT(ferry_error_code(e), FERRY_ERR_CORRUPT);
    ferry_error_free(e);
    ferry_error_free(NULL);
    CHECK_EQ_INT(fy_fail(NULL, FERRY_ERR_IO, "nobody listens"), FERRY_ERR_IO);
    CHECK_STR(ferry_status_name(FERRY_ERR_NOT_FOUND), "not found");
}

static void version_matches_header(void)
{
    CHECK_EQ_INT(ferry_version_number(), FERRY_VERSION_NUMBER);
    char buf[32];
    snprintf(buf, sizeof(buf), "%d.%d.%d", FERRY_VERSION_MAJOR, FERRY_VERSION_MINOR,
             FERRY_VERSION_PATCH);
    CHECK_STR(ferry_version(), buf);
}

static void dtype_facts_follow_tensorflow(void)
{
    CHECK_EQ_INT(ferry_dtype_size(FERRY_DT_FLOAT), 4);
    CHECK_EQ_INT(ferry_dtype_size(FERRY_DT_COMPLEX128), 16);
    CHECK_EQ_INT(ferry_dtype_size(FERRY_DT_BFLOAT16), 2);
    CHECK_EQ_INT(ferry_dtype_size(FERRY_DT_STRING), 0);
    CHECK_EQ_INT(ferry_dtype_size((ferry_dtype)999), 0);
    CHECK_STR(ferry_dtype_name(FERRY_DT_HALF), "float16");
    CHECK_STR(ferry_dtype_name(FERRY_DT_DOUBLE), "float64");
    CHECK_STR(ferry_dtype_name((ferry_dtype)-3), "invalid");
}

static void new_tensors_are_zeroed(void)
{
    ferry_tensor *t = NULL;
    int64_t dims[2] = { 2, 3 };
    CHECK_OK(ferry_tensor_new(&t, FERRY_DT_INT64, dims, 2, err_));
    CHECK_EQ_INT(ferry_tensor_rank(t), 2);
    CHECK_EQ_INT(ferry_tensor_dims(t)[1], 3);
    CHECK_EQ_INT(ferry_tensor_element_count(t), 6);
    CHECK_EQ_INT(ferry_tensor_byte_size(t), 48);
    int64_t *v = ferry_tensor_data(t);
    CHECK(v && v[5] == 0);
    CHECK(ferry_tensor_strings(t) == NULL);
    ferry_tensor_free(t);

    CHECK_OK(ferry_tensor_new(&t, FERRY_DT_FLOAT, NULL, 0, err_));
    CHECK_EQ_INT(ferry_tensor_element_count(t), 1);
    ferry_tensor_free(t);

    int64_t empty[2] = { 4, 0 };
    CHECK_OK(ferry_tensor_new(&t, FERRY_DT_FLOAT, empty, 2, err_));
    CHECK_EQ_INT(ferry_tensor_element_count(t), 0);
    CHECK_EQ_INT(ferry_tensor_byte_size(t), 0);
    ferry_tensor_free(t);
}

static void bad_shapes_are_refused(void)
{
    ferry_tensor *t = NULL;
    int64_t neg[1] = { -1 };
    CHECK_FAILS(FERRY_ERR_INVALID_ARGUMENT, "negative", ferry_tensor_new(&t, FERRY_DT_FLOAT, neg, 1, err_));
    int64_t huge[3] = { INT64_MAX / 2, 4, 4 };
    CHECK_FAILS(FERRY_ERR_OUT_OF_MEMORY, "overflows", ferry_tensor_new(&t, FERRY_DT_FLOAT, huge, 3, err_));
    CHECK_FAILS(FERRY_ERR_INVALID_ARGUMENT, "rank", ferry_tensor_new(&t, FERRY_DT_FLOAT, neg, 40, err_));
    CHECK_FAILS(FERRY_ERR_INVALID_ARGUMENT, "resource",
                ferry_tensor_new(&t, FERRY_DT_RESOURCE, NULL, 0, err_));
    CHECK(t == NULL);
}

static int released;
static void on_release(void *data, void *ctx)
{
    CHECK(data == ctx);
    released++;
}

static void wrapped_tensors_borrow_and_release(void)
{
    float buf[4] = { 1, 2, 3, 4 };
    int64_t dims[1] = { 4 };
    ferry_tensor *t = NULL;
    CHECK_FAILS(FERRY_ERR_INVALID_ARGUMENT, "needs 16 bytes, given 12",
                ferry_tensor_wrap(&t, FERRY_DT_FLOAT, dims, 1, buf, 12, on_release, buf, err_));
    CHECK_EQ_INT(released, 0);
    CHECK_OK(ferry_tensor_wrap(&t, FERRY_DT_FLOAT, dims, 1, buf, sizeof(buf), on_release, buf, err_));
    CHECK(ferry_tensor_data(t) == buf);
    ferry_tensor_free(t);
    CHECK_EQ_INT(released, 1);
    CHECK_EQ_INT((int)buf[3], 4);
}

static void string_tensors_copy_elements(void)
{
    ferry_tensor *t = NULL;
    int64_t dims[1] = { 3 };
    CHECK_OK(ferry_tensor_new(&t, FERRY_DT_STRING, dims, 1, err_));
    const ferry_string *s = ferry_tensor_strings(t);
    CHECK(s && s[0].size == 0 && s[0].data != NULL);
    char word[] = "hello";
    CHECK_OK(ferry_tensor_set_string(t, 1, word, 5, err_));
    word[0] = 'j';
    CHECK_OK(ferry_tensor_set_string(t, 2, "a\0b", 3, err_));
    CHECK_OK(ferry_tensor_set_string(t, 2, "xyz", 3, err_));
    s = ferry_tensor_strings(t);
    CHECK(s[1].size == 5 && memcmp(s[1].data, "hello", 5) == 0);
    CHECK(s[2].size == 3 && memcmp(s[2].data, "xyz", 3) == 0);
    CHECK(ferry_tensor_data(t) == NULL);
    CHECK_FAILS(FERRY_ERR_INVALID_ARGUMENT, "outside", ferry_tensor_set_string(t, 3, "a", 1, err_));
    ferry_tensor_free(t);
}

static void crc32c_known_values(void)
{
    CHECK_EQ_INT(fy_crc32c("123456789", 9), 0xe3069283u);
    CHECK_EQ_INT(fy_crc32c_extend_portable(0, "123456789", 9), 0xe3069283u);
    CHECK_EQ_INT(fy_crc32c("", 0), 0);
    /* Extending equals hashing the concatenation, on both paths. */
    unsigned char buf[1000];
    for (int i = 0; i < 1000; i++)
        buf[i] = (unsigned char)(i * 7 + 3);
    uint32_t whole = fy_crc32c(buf, sizeof(buf));
    CHECK_EQ_INT(fy_crc32c_extend(fy_crc32c(buf, 333), buf + 333, 667), whole);
    CHECK_EQ_INT(fy_crc32c_extend_portable(fy_crc32c_extend_portable(0, buf, 5), buf + 5, 995), whole);
    uint32_t c = 0x12345678u;
    CHECK_EQ_INT(fy_crc_unmask(fy_crc_mask(c)), c);
    CHECK(fy_crc_mask(c) != c);
}

/* Big buffers come back zeroed when asked, keep their contents when not
 * (the same buffer, outside sanitizer builds), and small ones work alike. */
static void pooled_buffers_are_reused_and_zeroed(void)
{
    const size_t big = (size_t)3 << 20, small = 100;
    fy_buf_trim();
    unsigned char *a = fy_buf_alloc(big, 1);
    CHECK(a != NULL);
    if (!a)
        return;
    CHECK(a[0] == 0 && a[big - 1] == 0);
    memset(a, 0xab, big);
    fy_buf_free(a);
    unsigned char *b = fy_buf_alloc(big, 1);
    CHECK(b != NULL && b[0] == 0 && b[big / 2] == 0 && b[big - 1] == 0);
    memset(b, 0xcd, big);
    fy_buf_free(b);
#ifndef FERRY_NO_BUFPOOL
    /* A slightly smaller request fits the kept buffer; unzeroed, it shows the old bytes. */
    unsigned char *c = fy_buf_alloc(big - 4096, 0);
    CHECK(c == b && c[0] == 0xcd);
    fy_buf_free(c);
#endif
    unsigned char *d = fy_buf_alloc(small, 1);
    CHECK(d != NULL && d[0] == 0 && d[small - 1] == 0);
    fy_buf_free(d);
    fy_buf_free(NULL);
    fy_buf_trim();
}

RUN_TESTS("base",
          TEST(error_objects_carry_code_and_one_line),
          TEST(version_matches_header),
          TEST(dtype_facts_follow_tensorflow),
          TEST(new_tensors_are_zeroed),
          TEST(bad_shapes_are_refused),
          TEST(wrapped_tensors_borrow_and_release),
          TEST(string_tensors_copy_elements),
          TEST(crc32c_known_values),
          TEST(pooled_buffers_are_reused_and_zeroed))
