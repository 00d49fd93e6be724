/* Bad and hostile model files: each load fails with a clear error naming
 * what and where, never a crash. */
#define _DEFAULT_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ferry/ferry.h>

#include "check.h"

static char tmp_root[] = "/tmp/ferry_model_XXXXXX";

static const char *tmp(const char *name)
{
    static char buf[4][512];
    static int next;
    char *p = buf[next++ % 4];
    snprintf(p, 512, "%s/%s", tmp_root, name);
    return p;
}

static void write_file(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (f) {
        fwrite(data, 1, n, f);
        fclose(f);
    }
}

static unsigned char *read_file(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    *n = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *b = malloc(*n + 1);
    if (b && fread(b, 1, *n, f) != *n)
        *n = 0;
    fclose(f);
    return b;
}

static ferry_status load(const char *path, const char *tags, unsigned flags, char *msg, size_t cap)
{
    ferry_model_options o = FERRY_MODEL_OPTIONS_INIT;
    o.tags = tags;
    o.flags = flags;
    ferry_model *m = NULL;
    ferry_error *err = NULL;
    ferry_status st = ferry_model_load(&m, path, &o, &err);
    snprintf(msg, cap, "%s", err ? ferry_error_message(err) : "");
    ferry_error_free(err);
    ferry_model_free(m);
    return st;
}

static void not_a_model(void)
{
    char msg[1024];
    mkdir(tmp("empty"), 0755);
    CHECK_EQ_INT(load(tmp("empty"), NULL, 0, msg, sizeof(msg)), FERRY_ERR_NOT_FOUND);
    CHECK(strstr(msg, "not a model directory") && strstr(msg, "empty"));
    CHECK_EQ_INT(load(tmp("nothing"), NULL, 0, msg, sizeof(msg)), FERRY_ERR_NOT_FOUND);
    write_file(tmp("garbage.pb"), "\xff\xff\xff\xff garbage", 13);
    CHECK_EQ_INT(load(tmp("garbage.pb"), NULL, 0, msg, sizeof(msg)), FERRY_ERR_CORRUPT);
    CHECK(strstr(msg, "garbage.pb") && strstr(msg, "tensorflow.GraphDef"));
    mkdir(tmp("chunked"), 0755);
    write_file(tmp("chunked/saved_model.cpb"), "riegeli", 7);
    CHECK_EQ_INT(load(tmp("chunked"), NULL, 0, msg, sizeof(msg)), FERRY_ERR_UNSUPPORTED);
    CHECK(strstr(msg, "saved_model.cpb") != NULL);
}

static void text_syntax_errors_give_line_and_column(void)
{
    char msg[1024];
    const char *bad = "node {\n  name: \"a\"\n  op: \"Const\"\n  bogus_field: 3\n}\n";
    write_file(tmp("bad.pbtxt"), bad, strlen(bad));
    CHECK_EQ_INT(load(tmp("bad.pbtxt"), NULL, 0, msg, sizeof(msg)), FERRY_ERR_CORRUPT);
    CHECK(strstr(msg, "bad.pbtxt:4:") && strstr(msg, "bogus_field"));
}

static void graphs_with_missing_pieces(void)
{
    char msg[1024];
    const char *dangling = "node { name: \"a\" op: \"Identity\" input: \"nowhere\" }\n";
    write_file(tmp("dangling.pbtxt"), dangling, strlen(dangling));
    CHECK_EQ_INT(load(tmp("dangling.pbtxt"), NULL, 0, msg, sizeof(msg)), FERRY_ERR_CORRUPT);
    CHECK(strstr(msg, "'a'") && strstr(msg, "nowhere"));
    const char *nofn = "node { name: \"c\" op: \"PartitionedCall\" attr { key: \"f\" value { func { name: \"gone\" } } } }\n";
    write_file(tmp("nofn.pbtxt"), nofn, strlen(nofn));
    CHECK_EQ_INT(load(tmp("nofn.pbtxt"), NULL, 0, msg, sizeof(msg)), FERRY_ERR_CORRUPT);
    CHECK(strstr(msg, "'c'") && strstr(msg, "gone"));
    /* A function that calls itself. */
    const char *self =
        "node { name: \"c\" op: \"f\" }\n"
        "library { function { signature { name: \"f\" } node_def { name: \"again\" op: \"f\" } } }\n";
    write_file(tmp("self.pbtxt"), self, strlen(self));
    CHECK_EQ_INT(load(tmp("self.pbtxt"), NULL, 0, msg, sizeof(msg)), FERRY_ERR_UNSUPPORTED);
    CHECK(strstr(msg, "'f' calls itself") != NULL);
    /* A cycle is found when a plan needs it. */
    const char *cycle = "node { name: \"a\" op: \"Identity\" input: \"b\" }\nnode { name: \"b\" op: \"Identity\" input: \"a\" }\n";
    write_file(tmp("cycle.pbtxt"), cycle, strlen(cycle));
    ferry_model *m = NULL;
    CHECK_OK(ferry_model_load(&m, tmp("cycle.pbtxt"), NULL, err_));
    ferry_tensor *out = NULL;
    const char *fetch = "a:0";
    CHECK_FAILS(FERRY_ERR_UNSUPPORTED, "cycle", ferry_model_run(&out, m, NULL, NULL, 0, &fetch, 1, NULL, 0, err_));
    ferry_model_free(m);
}

static void unknown_ops_are_listed_at_load(void)
{
    char msg[16384];
    const char *path = FERRY_CORPUS "/hub_v1_module_custom_op_empty_tags";
    if (access(path, R_OK) != 0) {
        printf("  (corpus not present; skipped)\n");
        return;
    }
    CHECK_EQ_INT(load(path, "", FERRY_LOAD_METADATA_ONLY, msg, sizeof(msg)), FERRY_OK);
    CHECK_EQ_INT(load(path, "", 0, msg, sizeof(msg)), FERRY_ERR_UNSUPPORTED);
    CHECK(strstr(msg, "TokenizerFromLogits") != NULL);
}

static void tag_sets_must_match_exactly(void)
{
    char msg[1024];
    const char *path = FERRY_CORPUS "/rust_tf1_regression_multi_tag";
    if (access(path, R_OK) != 0) {
        printf("  (corpus not present; skipped)\n");
        return;
    }
    CHECK_EQ_INT(load(path, "serve", FERRY_LOAD_METADATA_ONLY, msg, sizeof(msg)), FERRY_ERR_NOT_FOUND);
    CHECK(strstr(msg, "{serve}") && strstr(msg, "{serve,train}"));
    CHECK_EQ_INT(load(path, "train, serve", FERRY_LOAD_METADATA_ONLY, msg, sizeof(msg)), FERRY_OK);
    /* With no tags asked for, metadata loading shows the model's one MetaGraph. */
    CHECK_EQ_INT(load(path, NULL, FERRY_LOAD_METADATA_ONLY, msg, sizeof(msg)), FERRY_OK);
}

static void truncated_saved_models_fail_cleanly(void)
{
    size_t n = 0;
    unsigned char *pb = read_file(FERRY_FIXTURES "/tf1_simple_save/saved_model/saved_model.pb", &n);
    if (!pb)
        return;
    mkdir(tmp("cut"), 0755);
    int clean = 1;
    for (size_t len = 0; len < n; len += 1 + len / 7) {
        write_file(tmp("cut/saved_model.pb"), pb, len);
        char msg[1024];
        ferry_status st = load(tmp("cut"), NULL, FERRY_LOAD_METADATA_ONLY, msg, sizeof(msg));
        if (st == FERRY_OK)
            continue; /* a prefix can still be a valid (smaller) message */
        if (!strstr(msg, "saved_model.pb") || (st != FERRY_ERR_CORRUPT && st != FERRY_ERR_NOT_FOUND)) {
            fprintf(stderr, "  length %zu: %d %s\n", len, (int)st, msg);
            clean = 0;
        }
    }
    CHECK(clean);
    free(pb);
}

static void hostile_asset_names_are_refused(void)
{
    char msg[1024];
    mkdir(tmp("assets_model"), 0755);
    const char *sm =
        "saved_model_schema_version: 1\n"
        "meta_graphs {\n"
        "  meta_info_def { tags: \"serve\" }\n"
        "  graph_def { node { name: \"p\" op: \"Placeholder\" } }\n"
        "  asset_file_def { tensor_info { name: \"p:0\" } filename: \"../../etc/passwd\" }\n"
        "}\n";
    write_file(tmp("assets_model/saved_model.pbtxt"), sm, strlen(sm));
    CHECK_EQ_INT(load(tmp("assets_model"), NULL, FERRY_LOAD_METADATA_ONLY, msg, sizeof(msg)), FERRY_ERR_REFUSED);
    CHECK(strstr(msg, "../../etc/passwd") != NULL);
}

static void asset_symlinks_may_not_leave_the_model(void)
{
    char cmd[4096], msg[2048], dir[512], outside[512], vocab[512];
    snprintf(dir, sizeof(dir), "%s", tmp("linked"));
    snprintf(outside, sizeof(outside), "%s", tmp("outside.txt"));
    snprintf(vocab, sizeof(vocab), "%s", tmp("linked/assets/vocab.txt"));
    snprintf(cmd, sizeof(cmd), "cp -r '%s/tf2_vocab_lookup/saved_model' '%s' && cp '%s' '%s' && rm '%s' && ln -s '%s' '%s'",
             FERRY_FIXTURES, dir, FERRY_FIXTURES "/tf2_vocab_lookup/saved_model/assets/vocab.txt", outside, vocab,
             outside, vocab);
    CHECK(system(cmd) == 0);
    /* The asset check comes before the init op runs. */
    CHECK_EQ_INT(load(dir, NULL, 0, msg, sizeof(msg)), FERRY_ERR_REFUSED);
    CHECK(strstr(msg, "outside the model directory") != NULL);
    ferry_status allowed = load(dir, NULL, FERRY_LOAD_ALLOW_FILE_OPS, msg, sizeof(msg));
    CHECK(allowed != FERRY_ERR_REFUSED);
}

static void feeds_must_match_placeholder_dtypes(void)
{
    ferry_model *m = NULL;
    CHECK_OK(ferry_model_load(&m, FERRY_FIXTURES "/tf1_frozen/frozen.pb", NULL, err_));
    double v = 1.0;
    int64_t dims[1] = { 1 };
    ferry_tensor *t = NULL, *out = NULL;
    CHECK_OK(ferry_tensor_wrap(&t, FERRY_DT_DOUBLE, dims, 1, &v, sizeof(v), NULL, NULL, err_));
    const char *feed = "v1:0", *fetch = "add:0";
    CHECK_FAILS(FERRY_ERR_INVALID_ARGUMENT, "must be float32, given float64",
                ferry_model_run(&out, m, &feed, (const ferry_tensor *const *)&t, 1, &fetch, 1, NULL, 0, err_));
    CHECK(out == NULL);
    ferry_tensor_free(t);
    ferry_model_free(m);
}

static void file_ops_are_refused_by_default(void)
{
    const char *g =
        "node { name: \"f\" op: \"Const\" attr { key: \"dtype\" value { type: DT_STRING } } "
        "attr { key: \"value\" value { tensor { dtype: DT_STRING tensor_shape {} string_val: \"/tmp/x\" } } } }\n"
        "node { name: \"w\" op: \"WriteFile\" input: \"f\" input: \"f\" }\n";
    write_file(tmp("write.pbtxt"), g, strlen(g));
    ferry_model *m = NULL;
    CHECK_OK(ferry_model_load(&m, tmp("write.pbtxt"), NULL, err_));
    const char *target = "w";
    CHECK_FAILS(FERRY_ERR_REFUSED, "FERRY_LOAD_ALLOW_FILE_OPS",
                ferry_model_run(NULL, m, NULL, NULL, 0, NULL, 0, &target, 1, err_));
    ferry_model_free(m);
}

/* Inputs naming outputs their source lacks load (unused parts of files
 * may hold them), and fail the plans that need them with the edge named;
 * a call's output argument resolves through the function it calls. */
static void edges_to_missing_outputs_fail_cleanly(void)
{
    const char *g =
        "node { name: 'x' op: 'Placeholder' attr { key: 'dtype' value { type: DT_FLOAT } } }\n"
        "node { name: 'bad' op: 'Identity' input: 'x:5' attr { key: 'T' value { type: DT_FLOAT } } }\n"
        "node { name: 'c' op: 'outer' input: 'x' }\n"
        "node { name: 'bad2' op: 'Identity' input: 'c:7' attr { key: 'T' value { type: DT_FLOAT } } }\n"
        "node { name: 'good' op: 'Identity' input: 'c:0' attr { key: 'T' value { type: DT_FLOAT } } }\n"
        "library {\n"
        "  function { signature { name: 'inner' input_arg { name: 'a' type: DT_FLOAT }\n"
        "                         output_arg { name: 'r' type: DT_FLOAT } }\n"
        "    node_def { name: 'neg' op: 'Neg' input: 'a' attr { key: 'T' value { type: DT_FLOAT } } }\n"
        "    ret { key: 'r' value: 'neg:y:0' } }\n"
        "  function { signature { name: 'outer' input_arg { name: 'a' type: DT_FLOAT }\n"
        "                         output_arg { name: 'r' type: DT_FLOAT } }\n"
        "    node_def { name: 'call' op: 'PartitionedCall' input: 'a'\n"
        "               attr { key: 'Tin' value { list { type: DT_FLOAT } } }\n"
        "               attr { key: 'Tout' value { list { type: DT_FLOAT } } }\n"
        "               attr { key: 'f' value { func { name: 'inner' } } } }\n"
        "    ret { key: 'r' value: 'call:output:0' } }\n"
        "}\n";
    char text[2048];
    size_t n = 0;
    for (const char *c = g; *c && n + 1 < sizeof(text); c++)
        text[n++] = *c == '\'' ? '"' : *c;
    write_file(tmp("edges.pbtxt"), text, n);
    ferry_model *m = NULL;
    CHECK_OK(ferry_model_load(&m, tmp("edges.pbtxt"), NULL, err_));
    if (!m)
        return;
    float v = 2.0f;
    int64_t dims[1] = { 1 };
    ferry_tensor *t = NULL, *out = NULL;
    CHECK_OK(ferry_tensor_wrap(&t, FERRY_DT_FLOAT, dims, 1, &v, sizeof(v), NULL, NULL, err_));
    const char *feed = "x", *bad = "bad", *bad2 = "bad2", *good = "good";
    CHECK_FAILS(FERRY_ERR_UNSUPPORTED, "input 0 ('x:5') reads output 5 of node 'x' (Placeholder), which has 1",
                ferry_model_run(&out, m, &feed, (const ferry_tensor *const *)&t, 1, &bad, 1, NULL, 0, err_));
    CHECK_FAILS(FERRY_ERR_UNSUPPORTED, "input 0 ('c:7') names an output that does not exist",
                ferry_model_run(&out, m, &feed, (const ferry_tensor *const *)&t, 1, &bad2, 1, NULL, 0, err_));
    CHECK(out == NULL);
    CHECK_OK(ferry_model_run(&out, m, &feed, (const ferry_tensor *const *)&t, 1, &good, 1, NULL, 0, err_));
    CHECK(out && ((float *)ferry_tensor_data(out))[0] == -2.0f);
    ferry_tensor_free(out);
    ferry_tensor_free(t);
    ferry_model_free(m);
}

int main(void)
{
    if (!mkdtemp(tmp_root))
        return 1;
    static const check_case tests[] = {
        TEST(not_a_model),
        TEST(text_syntax_errors_give_line_and_column),
        TEST(graphs_with_missing_pieces),
        TEST(unknown_ops_are_listed_at_load),
        TEST(tag_sets_must_match_exactly),
        TEST(truncated_saved_models_fail_cleanly),
        TEST(hostile_asset_names_are_refused),
        TEST(file_ops_are_refused_by_default),
        TEST(feeds_must_match_placeholder_dtypes),
        TEST(asset_symlinks_may_not_leave_the_model),
        TEST(edges_to_missing_outputs_fail_cleanly),
    };
    int rc = check_run("model_errors", tests, sizeof(tests) / sizeof(tests[0]));
    char cmd[600];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp_root);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmp_root);
    return rc;
}
