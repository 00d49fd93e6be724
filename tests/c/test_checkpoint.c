/* Checkpoint reading and writing through the C ABI: round trips, the
 * `checkpoint` state file, and corrupt or hostile files. */
#define _DEFAULT_SOURCE
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ferry/ferry.h>

#include "base/coding.h"
#include "base/crc32c.h"
#include "check.h"
#include "checkpoint.pb-c.h"
#include "format/table_writer.h"

static char tmp_root[] = "/tmp/ferry_ckpt_XXXXXX";

/* Paths come from a small ring of buffers: copy one to keep it long. */
static const char *tmp_path(const char *name)
{
    static char buf[8][512];
    static int next;
    char *p = buf[next++ % 8];
    snprintf(p, 512, "%s/%s", tmp_root, name);
    return p;
}

static ferry_tensor *make_tensor(ferry_dtype dtype, const int64_t *dims, int rank, int seed)
{
    ferry_tensor *t = NULL;
    ferry_tensor_new(&t, dtype, dims, rank, NULL);
    if (dtype == FERRY_DT_STRING) {
        for (int64_t i = 0; i < ferry_tensor_element_count(t); i++) {
            char s[32];
            int n = snprintf(s, sizeof(s), "s%d-%lld", seed, (long long)i);
            s[1] = (char)(i % 3 == 0 ? 0 : s[1]); /* embedded NUL */
            ferry_tensor_set_string(t, i, s, (size_t)(i % 4 == 3 ? 0 : n), NULL);
        }
        return t;
    }
    unsigned char *d = ferry_tensor_data(t);
    for (size_t i = 0; i < ferry_tensor_byte_size(t); i++)
        d[i] = (unsigned char)(i * 31 + (size_t)seed * 7 + 1);
    if (dtype == FERRY_DT_BOOL)
        for (size_t i = 0; i < ferry_tensor_byte_size(t); i++)
            d[i] &= 1;
    return t;
}

static int same_tensor(ferry_tensor *a, ferry_tensor *b)
{
    if (ferry_tensor_dtype(a) != ferry_tensor_dtype(b) || ferry_tensor_rank(a) != ferry_tensor_rank(b) ||
        memcmp(ferry_tensor_dims(a), ferry_tensor_dims(b), sizeof(int64_t) * (size_t)ferry_tensor_rank(a)))
        return 0;
    if (ferry_tensor_dtype(a) == FERRY_DT_STRING) {
        const ferry_string *x = ferry_tensor_strings(a), *y = ferry_tensor_strings(b);
        for (int64_t i = 0; i < ferry_tensor_element_count(a); i++)
            if (x[i].size != y[i].size || memcmp(x[i].data, y[i].data, x[i].size))
                return 0;
        return 1;
    }
    return ferry_tensor_byte_size(a) == ferry_tensor_byte_size(b) &&
           !memcmp(ferry_tensor_data(a), ferry_tensor_data(b), ferry_tensor_byte_size(a));
}

static const struct {
    const char *name;
    ferry_dtype dtype;
    int rank;
    int64_t dims[3];
} written[] = {
    { "a/float", FERRY_DT_FLOAT, 2, { 3, 4 } },
    { "a/double", FERRY_DT_DOUBLE, 1, { 5 } },
    { "b/int8", FERRY_DT_INT8, 1, { 7 } },
    { "b/int16", FERRY_DT_INT16, 1, { 3 } },
    { "b/int32", FERRY_DT_INT32, 3, { 2, 2, 2 } },
    { "b/int64", FERRY_DT_INT64, 0, { 0 } },
    { "c/uint8", FERRY_DT_UINT8, 1, { 9 } },
    { "c/uint16", FERRY_DT_UINT16, 1, { 2 } },
    { "c/uint32", FERRY_DT_UINT32, 1, { 2 } },
    { "c/uint64", FERRY_DT_UINT64, 1, { 2 } },
    { "d/bool", FERRY_DT_BOOL, 1, { 6 } },
    { "d/half", FERRY_DT_HALF, 1, { 4 } },
    { "d/bfloat16", FERRY_DT_BFLOAT16, 1, { 4 } },
    { "d/complex64", FERRY_DT_COMPLEX64, 1, { 2 } },
    { "d/complex128", FERRY_DT_COMPLEX128, 1, { 2 } },
    { "e/empty", FERRY_DT_FLOAT, 2, { 2, 0 } },
    { "e/strings", FERRY_DT_STRING, 2, { 2, 3 } },
    { "e/empty_strings", FERRY_DT_STRING, 1, { 0 } },
    { "e/scalar_string", FERRY_DT_STRING, 0, { 0 } },
};
#define WRITTEN_COUNT (sizeof(written) / sizeof(written[0]))

/* Writes every tensor above plus a partitioned [6,4] variable in two slices,
 * over two shards. */
static void write_sample(const char *prefix)
{
    ferry_checkpoint_writer *w = NULL;
    ferry_writer_options opts = FERRY_WRITER_OPTIONS_INIT;
    opts.num_shards = 2;
    CHECK_OK(ferry_checkpoint_writer_new(&w, prefix, &opts, err_));
    for (size_t i = 0; i < WRITTEN_COUNT; i++) {
        ferry_tensor *t = make_tensor(written[i].dtype, written[i].dims, written[i].rank, (int)i);
        CHECK_OK(ferry_checkpoint_writer_add(w, written[i].name, t, err_));
        ferry_tensor_free(t);
    }
    int64_t full[2] = { 6, 4 }, top[2] = { 4, 4 }, bottom[2] = { 2, 4 }, at0[2] = { 0, 0 }, at4[2] = { 4, 0 };
    ferry_tensor *s0 = make_tensor(FERRY_DT_FLOAT, top, 2, 100);
    ferry_tensor *s1 = make_tensor(FERRY_DT_FLOAT, bottom, 2, 200);
    CHECK_OK(ferry_checkpoint_writer_add_slice(w, "p/emb", full, 2, at0, s0, err_));
    CHECK_OK(ferry_checkpoint_writer_add_slice(w, "p/emb", full, 2, at4, s1, err_));
    ferry_tensor_free(s0);
    ferry_tensor_free(s1);
    CHECK_OK(ferry_checkpoint_writer_finish(w, err_));
    ferry_checkpoint_writer_free(w);
}

static void written_checkpoints_read_back_bit_for_bit(void)
{
    const char *prefix = tmp_path("round/model.ckpt-7");
    mkdir(tmp_path("round"), 0755);
    write_sample(prefix);
    ferry_checkpoint *c = NULL;
    CHECK_OK(ferry_checkpoint_open(&c, tmp_path("round"), err_));
    if (!c)
        return;
    CHECK_STR(ferry_checkpoint_prefix(c), prefix);
    CHECK_EQ_INT(ferry_checkpoint_variable_count(c), WRITTEN_COUNT + 1);
    for (size_t i = 0; i < WRITTEN_COUNT; i++) {
        ferry_tensor *want = make_tensor(written[i].dtype, written[i].dims, written[i].rank, (int)i);
        ferry_tensor *got = NULL;
        CHECK_OK(ferry_checkpoint_read(&got, c, written[i].name, err_));
        if (!got || !same_tensor(got, want))
            fprintf(stderr, "  %s differs after the round trip\n", written[i].name);
        CHECK(got && same_tensor(got, want));
        ferry_tensor_free(got);
        ferry_tensor_free(want);
    }
    /* The partitioned variable comes back whole, and in parts. */
    const ferry_variable_info *v = ferry_checkpoint_find(c, "p/emb");
    CHECK(v && v->partitioned && v->rank == 2 && v->dims[0] == 6 && v->dims[1] == 4);
    ferry_tensor *whole = NULL, *part = NULL;
    CHECK_OK(ferry_checkpoint_read(&whole, c, "p/emb", err_));
    int64_t top[2] = { 4, 4 }, bottom[2] = { 2, 4 };
    ferry_tensor *s0 = make_tensor(FERRY_DT_FLOAT, top, 2, 100), *s1 = make_tensor(FERRY_DT_FLOAT, bottom, 2, 200);
    CHECK(whole && !memcmp(ferry_tensor_data(whole), ferry_tensor_data(s0), 64));
    CHECK(whole && !memcmp((char *)ferry_tensor_data(whole) + 64, ferry_tensor_data(s1), 32));
    int64_t start[2] = { 3, 1 }, len[2] = { 2, -1 };
    CHECK_OK(ferry_checkpoint_read_slice(&part, c, "p/emb", start, len, 2, err_));
    CHECK(part && ferry_tensor_dims(part)[0] == 2 && ferry_tensor_dims(part)[1] == 3);
    const float *w = whole ? ferry_tensor_data(whole) : NULL, *p = part ? ferry_tensor_data(part) : NULL;
    CHECK(w && p && p[0] == w[3 * 4 + 1] && p[5] == w[4 * 4 + 3]);
    ferry_tensor_free(whole);
    ferry_tensor_free(part);
    ferry_tensor_free(s0);
    ferry_tensor_free(s1);

    float buf[12];
    CHECK_OK(ferry_checkpoint_read_into(c, "a/float", buf, sizeof(buf), err_));
    CHECK_FAILS(FERRY_ERR_INVALID_ARGUMENT, "needs a buffer of 48 bytes",
                ferry_checkpoint_read_into(c, "a/float", buf, 8, err_));
    CHECK_FAILS(FERRY_ERR_INVALID_ARGUMENT, "string", ferry_checkpoint_read_into(c, "e/strings", buf, 8, err_));
    const void *view = NULL;
    size_t view_size = 0;
    CHECK_OK(ferry_checkpoint_view(&view, &view_size, c, "b/int8", err_));
    CHECK(view_size == 7 && ((const unsigned char *)view)[1] == (unsigned char)(31 + 2 * 7 + 1));
    CHECK_FAILS(FERRY_ERR_UNSUPPORTED, "partitioned", ferry_checkpoint_view(&view, &view_size, c, "p/emb", err_));
    CHECK_FAILS(FERRY_ERR_NOT_FOUND, "no variable named 'nope'", ferry_checkpoint_read(&part, c, "nope", err_));
    ferry_checkpoint_free(c);

    /* The state file names the checkpoint relative to its directory. */
    FILE *f = fopen(tmp_path("round/checkpoint"), "r");
    char text[512] = "";
    if (f) {
        size_t n = fread(text, 1, sizeof(text) - 1, f);
        text[n] = '\0';
        fclose(f);
    }
    CHECK(strstr(text, "model_checkpoint_path: \"model.ckpt-7\"") != NULL);
}

static void a_second_checkpoint_becomes_the_latest(void)
{
    mkdir(tmp_path("two"), 0755);
    write_sample(tmp_path("two/ckpt-1"));
    write_sample(tmp_path("two/ckpt-2"));
    ferry_checkpoint *c = NULL;
    CHECK_OK(ferry_checkpoint_open(&c, tmp_path("two"), err_));
    CHECK(c && strstr(ferry_checkpoint_prefix(c), "two/ckpt-2") != NULL);
    ferry_checkpoint_free(c);
    CHECK_OK(ferry_checkpoint_open(&c, tmp_path("two/ckpt-1.index"), err_));
    CHECK(c && strstr(ferry_checkpoint_prefix(c), "two/ckpt-1") != NULL);
    ferry_checkpoint_free(c);
}

static int count_files(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)))
        n += e->d_name[0] != '.';
    if (d)
        closedir(d);
    return n;
}

static void an_unfinished_writer_leaves_nothing(void)
{
    mkdir(tmp_path("abandoned"), 0755);
    ferry_checkpoint_writer *w = NULL;
    CHECK_OK(ferry_checkpoint_writer_new(&w, tmp_path("abandoned/x"), NULL, err_));
    int64_t dims[1] = { 3 };
    ferry_tensor *t = make_tensor(FERRY_DT_FLOAT, dims, 1, 1);
    CHECK_OK(ferry_checkpoint_writer_add(w, "v", t, err_));
    CHECK_FAILS(FERRY_ERR_INVALID_ARGUMENT, "already added", ferry_checkpoint_writer_add(w, "v", t, err_));
    CHECK_FAILS(FERRY_ERR_INVALID_ARGUMENT, "empty", ferry_checkpoint_writer_add(w, "", t, err_));
    ferry_checkpoint_writer_free(w);
    ferry_tensor_free(t);
    CHECK_EQ_INT(count_files(tmp_path("abandoned")), 0);
}

/* ---- corrupt and hostile files ------------------------------------------ */

static unsigned char *load(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    *n = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *b = malloc(*n + 1);
    if (fread(b, 1, *n, f) != *n)
        *n = 0;
    fclose(f);
    return b;
}

static void store(const char *path, const unsigned char *b, size_t n)
{
    FILE *f = fopen(path, "wb");
    fwrite(b, 1, n, f);
    fclose(f);
}

/* A small one-shard checkpoint, to damage. */
static void make_victim(const char *dir)
{
    char prefix[512];
    mkdir(dir, 0755);
    snprintf(prefix, sizeof(prefix), "%s/v", dir);
    ferry_checkpoint_writer *w = NULL;
    ferry_writer_options opts = FERRY_WRITER_OPTIONS_INIT;
    opts.update_state_file = 0;
    ferry_checkpoint_writer_new(&w, prefix, &opts, NULL);
    int64_t dims[2] = { 4, 4 };
    ferry_tensor *t = make_tensor(FERRY_DT_FLOAT, dims, 2, 3), *s = make_tensor(FERRY_DT_STRING, dims, 2, 4);
    ferry_checkpoint_writer_add(w, "weights", t, NULL);
    ferry_checkpoint_writer_add(w, "words", s, NULL);
    ferry_checkpoint_writer_finish(w, NULL);
    ferry_checkpoint_writer_free(w);
    ferry_tensor_free(t);
    ferry_tensor_free(s);
}

/* Opens and reads everything; returns the status of the first failure. */
static ferry_status open_and_read_all(const char *prefix, char *msg, size_t n)
{
    ferry_checkpoint *c = NULL;
    ferry_error *err = NULL;
    ferry_status st = ferry_checkpoint_open(&c, prefix, &err);
    for (size_t i = 0; !st && i < ferry_checkpoint_variable_count(c); i++) {
        ferry_tensor *t = NULL;
        st = ferry_checkpoint_read(&t, c, ferry_checkpoint_variable(c, i)->name, &err);
        ferry_tensor_free(t);
    }
    snprintf(msg, n, "%s", err ? ferry_error_message(err) : "");
    ferry_error_free(err);
    ferry_checkpoint_free(c);
    return st;
}

static void truncated_index_is_corrupt_at_every_length(void)
{
    make_victim(tmp_path("trunc"));
    size_t n = 0;
    unsigned char *index = load(tmp_path("trunc/v.index"), &n);
    CHECK(index && n > 48);
    for (size_t len = 0; index && len < n; len++) {
        store(tmp_path("trunc/v.index"), index, len);
        char msg[512];
        ferry_status st = open_and_read_all(tmp_path("trunc/v"), msg, sizeof(msg));
        if (st != FERRY_ERR_CORRUPT || !strstr(msg, "v.index")) {
            fprintf(stderr, "  length %zu: status %d: %s\n", len, (int)st, msg);
            CHECK(0);
            break;
        }
    }
    free(index);
}

static void every_flipped_index_byte_fails_cleanly(void)
{
    make_victim(tmp_path("flip"));
    size_t n = 0;
    unsigned char *index = load(tmp_path("flip/v.index"), &n);
    int failures = 0;
    for (size_t i = 0; index && i < n; i++) {
        index[i] ^= 0x41;
        store(tmp_path("flip/v.index"), index, n);
        char msg[512];
        ferry_status st = open_and_read_all(tmp_path("flip/v"), msg, sizeof(msg));
        index[i] ^= 0x41;
        /* Only the footer's padding is not covered by any checksum. */
        if (st != FERRY_OK) {
            failures++;
            CHECK(st == FERRY_ERR_CORRUPT || st == FERRY_ERR_UNSUPPORTED || st == FERRY_ERR_NOT_FOUND);
        } else if (!(i >= n - 48 && i < n - 8)) {
            fprintf(stderr, "  flipping byte %zu of %zu went unnoticed\n", i, n);
            CHECK(0);
        }
    }
    CHECK(failures > (int)n - 48);
    free(index);
}

static void damaged_data_is_caught_by_checksums(void)
{
    make_victim(tmp_path("data"));
    char shard[512];
    snprintf(shard, sizeof(shard), "%s", tmp_path("data/v.data-00000-of-00001"));
    size_t n = 0;
    unsigned char *data = load(shard, &n);
    char msg[512];
    for (size_t i = 0; data && i < n; i += 7) {
        data[i] ^= 0x10;
        store(shard, data, n);
        data[i] ^= 0x10;
        ferry_status st = open_and_read_all(tmp_path("data/v"), msg, sizeof(msg));
        /* Damaged string lengths may be caught before the checksum is. */
        CHECK(st == FERRY_ERR_CORRUPT);
        CHECK(strstr(msg, "'weights'") || strstr(msg, "'words'"));
    }
    /* A shard cut short: entries point past its end. */
    store(shard, data, n / 2);
    CHECK_EQ_INT(open_and_read_all(tmp_path("data/v"), msg, sizeof(msg)), FERRY_ERR_CORRUPT);
    CHECK(strstr(msg, "past the end") && strstr(msg, "v.data-00000-of-00001"));
    /* No shard at all. */
    remove(shard);
    CHECK_EQ_INT(open_and_read_all(tmp_path("data/v"), msg, sizeof(msg)), FERRY_ERR_NOT_FOUND);
    CHECK(strstr(msg, "missing data shard 0 of 1") != NULL);
    free(data);
}

/* Hand-built index with one hostile entry. */
static void write_index_with(const char *prefix, const Tensorflow__BundleEntryProto *e, int num_shards)
{
    char path[512];
    snprintf(path, sizeof(path), "%s.index", prefix);
    FILE *f = fopen(path, "wb");
    fy_table_writer *w = NULL;
    fy_table_writer_new(&w, f, path, NULL);
    Tensorflow__BundleHeaderProto h = TENSORFLOW__BUNDLE_HEADER_PROTO__INIT;
    h.num_shards = num_shards;
    unsigned char buf[256];
    fy_table_writer_add(w, "", 0, buf, tensorflow__bundle_header_proto__pack(&h, buf), NULL);
    fy_table_writer_add(w, "x", 1, buf, tensorflow__bundle_entry_proto__pack(e, buf), NULL);
    fy_table_writer_finish(w, NULL);
    fy_table_writer_free(w);
    fclose(f);
}

static void hostile_index_entries_are_refused(void)
{
    const char *prefix = tmp_path("hostile");
    char shard[512], msg[512];
    snprintf(shard, sizeof(shard), "%s.data-00000-of-00001", prefix);
    unsigned char data[64] = { 0 };
    store(shard, data, sizeof(data));

    Tensorflow__TensorShapeProto__Dim d0 = TENSORFLOW__TENSOR_SHAPE_PROTO__DIM__INIT, d1 = d0;
    Tensorflow__TensorShapeProto__Dim *dims[2] = { &d0, &d1 };
    Tensorflow__TensorShapeProto shape = TENSORFLOW__TENSOR_SHAPE_PROTO__INIT;
    shape.dim = dims;
    shape.n_dim = 2;
    Tensorflow__BundleEntryProto e = TENSORFLOW__BUNDLE_ENTRY_PROTO__INIT;
    e.dtype = TENSORFLOW__DATA_TYPE__DT_FLOAT;
    e.shape = &shape;

    d0.size = (int64_t)1 << 62; /* element count overflows */
    d1.size = 16;
    write_index_with(prefix, &e, 1);
    CHECK_EQ_INT(open_and_read_all(prefix, msg, sizeof(msg)), FERRY_ERR_CORRUPT);
    CHECK(strstr(msg, "'x'") && strstr(msg, "overflows"));

    /* A zero does not excuse the other sizes: TF refuses [2^62, 2^62, 0]. */
    Tensorflow__TensorShapeProto__Dim d2 = TENSORFLOW__TENSOR_SHAPE_PROTO__DIM__INIT;
    Tensorflow__TensorShapeProto__Dim *dims3[3] = { &d0, &d1, &d2 };
    shape.dim = dims3;
    shape.n_dim = 3;
    d0.size = d1.size = (int64_t)1 << 62;
    d2.size = 0;
    write_index_with(prefix, &e, 1);
    CHECK_EQ_INT(open_and_read_all(prefix, msg, sizeof(msg)), FERRY_ERR_CORRUPT);
    CHECK(strstr(msg, "'x'") && strstr(msg, "overflows"));
    shape.dim = dims;
    shape.n_dim = 2;

    d0.size = 1000000; /* size far beyond the shard */
    d1.size = 1000;
    e.size = 4000000000LL;
    write_index_with(prefix, &e, 1);
    CHECK_EQ_INT(open_and_read_all(prefix, msg, sizeof(msg)), FERRY_ERR_CORRUPT);
    CHECK(strstr(msg, "past the end") != NULL);

    d0.size = 2; /* size disagrees with the shape */
    d1.size = 2;
    e.size = 12;
    write_index_with(prefix, &e, 1);
    CHECK_EQ_INT(open_and_read_all(prefix, msg, sizeof(msg)), FERRY_ERR_CORRUPT);
    CHECK(strstr(msg, "shape needs 16") != NULL);

    e.size = 16; /* a shard that does not exist */
    e.shard_id = 3;
    write_index_with(prefix, &e, 1);
    CHECK_EQ_INT(open_and_read_all(prefix, msg, sizeof(msg)), FERRY_ERR_CORRUPT);
    CHECK(strstr(msg, "shard 3 of 1") != NULL);

    e.shard_id = 0; /* string lengths that lie */
    e.dtype = TENSORFLOW__DATA_TYPE__DT_STRING;
    e.size = 20;
    unsigned char lying[64] = { 0xff, 0xff, 0xff, 0xff, 0x0f, 1, 1, 1 };
    store(shard, lying, sizeof(lying));
    write_index_with(prefix, &e, 1);
    CHECK_EQ_INT(open_and_read_all(prefix, msg, sizeof(msg)), FERRY_ERR_CORRUPT);
    CHECK(strstr(msg, "string tensor 'x'") != NULL);

    e.dtype = (Tensorflow__DataType)20; /* resources are never saved */
    write_index_with(prefix, &e, 1);
    CHECK_EQ_INT(open_and_read_all(prefix, msg, sizeof(msg)), FERRY_ERR_UNSUPPORTED);

    e.dtype = TENSORFLOW__DATA_TYPE__DT_FLOAT; /* a header claiming a million shards */
    write_index_with(prefix, &e, 1000000);
    CHECK_EQ_INT(open_and_read_all(prefix, msg, sizeof(msg)), FERRY_ERR_CORRUPT);
    CHECK(strstr(msg, "1000000 data shards") != NULL);
}

/* A bundle written on a big-endian host: values come back in host order. */
static void big_endian_bundles_are_swapped(void)
{
    const char *prefix = tmp_path("bigendian");
    char path[512], shard[512];
    snprintf(path, sizeof(path), "%s.index", prefix);
    snprintf(shard, sizeof(shard), "%s.data-00000-of-00001", prefix);
    /* float [1.5, -2.0] and int64 [7], each element byte-reversed. */
    unsigned char data[16] = { 0x3f, 0xc0, 0, 0, 0xc0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7 };
    store(shard, data, sizeof(data));
    FILE *f = fopen(path, "wb");
    fy_table_writer *w = NULL;
    fy_table_writer_new(&w, f, path, NULL);
    Tensorflow__BundleHeaderProto h = TENSORFLOW__BUNDLE_HEADER_PROTO__INIT;
    h.num_shards = 1;
    h.endianness = TENSORFLOW__BUNDLE_HEADER_PROTO__ENDIANNESS__BIG;
    unsigned char buf[256];
    fy_table_writer_add(w, "", 0, buf, tensorflow__bundle_header_proto__pack(&h, buf), NULL);
    Tensorflow__TensorShapeProto__Dim d = TENSORFLOW__TENSOR_SHAPE_PROTO__DIM__INIT;
    Tensorflow__TensorShapeProto__Dim *dims[1] = { &d };
    Tensorflow__TensorShapeProto shape = TENSORFLOW__TENSOR_SHAPE_PROTO__INIT;
    shape.dim = dims;
    shape.n_dim = 1;
    Tensorflow__BundleEntryProto e = TENSORFLOW__BUNDLE_ENTRY_PROTO__INIT;
    e.shape = &shape;
    e.dtype = TENSORFLOW__DATA_TYPE__DT_FLOAT;
    d.size = 2;
    e.size = 8;
    e.crc32c = fy_crc_mask(fy_crc32c(data, 8));
    fy_table_writer_add(w, "f", 1, buf, tensorflow__bundle_entry_proto__pack(&e, buf), NULL);
    e.dtype = TENSORFLOW__DATA_TYPE__DT_INT64;
    d.size = 1;
    e.offset = 8;
    e.crc32c = fy_crc_mask(fy_crc32c(data + 8, 8));
    fy_table_writer_add(w, "i", 1, buf, tensorflow__bundle_entry_proto__pack(&e, buf), NULL);
    fy_table_writer_finish(w, NULL);
    fy_table_writer_free(w);
    fclose(f);

    ferry_checkpoint *c = NULL;
    CHECK_OK(ferry_checkpoint_open(&c, prefix, err_));
    float fv[2] = { 0, 0 };
    int64_t iv = 0;
    CHECK_OK(ferry_checkpoint_read_into(c, "f", fv, sizeof(fv), err_));
    CHECK_OK(ferry_checkpoint_read_into(c, "i", &iv, sizeof(iv), err_));
    CHECK(fv[0] == 1.5f && fv[1] == -2.0f);
    CHECK_EQ_INT(iv, 7);
    const void *view;
    size_t size;
    CHECK_FAILS(FERRY_ERR_UNSUPPORTED, "byte order", ferry_checkpoint_view(&view, &size, c, "f", err_));
    ferry_checkpoint_free(c);
}

static void missing_checkpoints_are_named(void)
{
    char msg[512];
    mkdir(tmp_path("empty"), 0755);
    CHECK_EQ_INT(open_and_read_all(tmp_path("empty"), msg, sizeof(msg)), FERRY_ERR_NOT_FOUND);
    CHECK(strstr(msg, "no checkpoint in directory") != NULL);
    CHECK_EQ_INT(open_and_read_all(tmp_path("nothing/here"), msg, sizeof(msg)), FERRY_ERR_NOT_FOUND);
    mkdir(tmp_path("stale"), 0755);
    const char *stale = "model_checkpoint_path: \"gone\"\n";
    store(tmp_path("stale/checkpoint"), (const unsigned char *)stale, strlen(stale));
    CHECK_EQ_INT(open_and_read_all(tmp_path("stale"), msg, sizeof(msg)), FERRY_ERR_NOT_FOUND);
    CHECK(strstr(msg, "names checkpoint") && strstr(msg, "stale/gone"));
    store(tmp_path("stale/checkpoint"), (const unsigned char *)"model_checkpoint_path: \"gone", 28);
    CHECK_EQ_INT(open_and_read_all(tmp_path("stale"), msg, sizeof(msg)), FERRY_ERR_CORRUPT);
    CHECK(strstr(msg, "stale/checkpoint") != NULL);
}

static void corpus_v1_and_v2_values(void)
{
    const char *dir = FERRY_CORPUS "/serving_legacy_session_bundle_v1_checkpoint/00000123/export";
    ferry_checkpoint *c = NULL;
    if (ferry_checkpoint_open(&c, dir, NULL) != FERRY_OK) {
        printf("  (corpus not present; skipped)\n");
        return;
    }
    float a = 0, b = 0;
    CHECK_OK(ferry_checkpoint_read_into(c, "a", &a, 4, err_));
    CHECK_OK(ferry_checkpoint_read_into(c, "b", &b, 4, err_));
    CHECK(a == 0.5f && b == 2.0f);
    ferry_checkpoint_free(c);
    /* A directory resolves through its `checkpoint` file to the newest of three. */
    CHECK_OK(ferry_checkpoint_open(&c, FERRY_CORPUS "/tfx_estimator_checkpoints_3_steps_resource_vars", err_));
    CHECK(c && strstr(ferry_checkpoint_prefix(c), "model.ckpt-1000") != NULL);
    int64_t step = 0;
    CHECK_OK(ferry_checkpoint_read_into(c, "global_step", &step, 8, err_));
    CHECK_EQ_INT(step, 1000);
    ferry_checkpoint_free(c);
    /* Optimizer slots of a TF2 Keras checkpoint. */
    CHECK_OK(ferry_checkpoint_open(&c, FERRY_CORPUS "/tfx_keras_tf2_serialized_examples", err_));
    int slots = 0;
    for (size_t i = 0; c && i < ferry_checkpoint_variable_count(c); i++) {
        const ferry_variable_info *v = ferry_checkpoint_variable(c, i);
        if (v->slot_name) {
            slots++;
            CHECK(strstr(v->name, "/.OPTIMIZER_SLOT/") && v->optimizer && v->slot_of);
            CHECK(!strcmp(v->slot_name, "m") || !strcmp(v->slot_name, "v"));
        }
    }
    CHECK(slots > 0);
    ferry_checkpoint_free(c);
}

static void narrow_ints_read_as_values(void)
{
    ferry_checkpoint *c = NULL;
    CHECK_OK(ferry_checkpoint_open(&c, FERRY_FIXTURES "/ckpt_exotic_dtypes/ckpt/tensors", err_));
    int8_t v[5] = { 0 };
    CHECK_OK(ferry_checkpoint_read_into(c, "int4", v, sizeof(v), err_));
    CHECK(v[0] == -8 && v[1] == -1 && v[2] == 0 && v[3] == 7 && v[4] == 3);
    const void *view;
    size_t size;
    CHECK_FAILS(FERRY_ERR_UNSUPPORTED, "low bits", ferry_checkpoint_view(&view, &size, c, "int4", err_));
    ferry_checkpoint_free(c);
}

static void cleanup(void)
{
    char cmd[600];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp_root);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmp_root);
}

int main(void)
{
    if (!mkdtemp(tmp_root))
        return 1;
    static const check_case tests[] = {
        TEST(written_checkpoints_read_back_bit_for_bit),
        TEST(a_second_checkpoint_becomes_the_latest),
        TEST(an_unfinished_writer_leaves_nothing),
        TEST(truncated_index_is_corrupt_at_every_length),
        TEST(every_flipped_index_byte_fails_cleanly),
        TEST(damaged_data_is_caught_by_checksums),
        TEST(hostile_index_entries_are_refused),
        TEST(big_endian_bundles_are_swapped),
        TEST(missing_checkpoints_are_named),
        TEST(corpus_v1_and_v2_values),
        TEST(narrow_ints_read_as_values),
    };
    int rc = check_run("checkpoint", tests, sizeof(tests) / sizeof(tests[0]));
    cleanup();
    return rc;
}
