/* Hostile and edge inputs found by fuzzing (issue 16): empty string attrs,
 * deeply nested binary protobufs, checkpoint values of the wrong shape,
 * FIFOs in place of files, absurd shapes. Each fails cleanly, or, where
 * TensorFlow runs it, runs as TensorFlow does. */
#define _DEFAULT_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ferry/ferry.h>

#include "check.h"
#include "format/textproto.h"
#include "graph.pb-c.h"

static char tmp_root[] = "/tmp/ferry_hostile_XXXXXX";

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

/* Text with single quotes for double ones, as the C strings below write it. */
static char *quoted(const char *text)
{
    char *s = strdup(text);
    for (char *c = s; c && *c; c++)
        if (*c == '\'')
            *c = '"';
    return s;
}

static void write_text(const char *path, const char *text)
{
    char *s = quoted(text);
    if (s)
        write_file(path, s, strlen(s));
    free(s);
}

/* The graph in text, written to `path` as binary: how TensorFlow writes it,
 * and the way protobuf-c leaves an empty string attr's data NULL. */
static void write_binary_graph(const char *path, const char *text)
{
    char *s = quoted(text);
    ProtobufCMessage *m = NULL;
    CHECK_OK(fy_textproto_parse(&m, &tensorflow__graph_def__descriptor, s, strlen(s), "test graph", err_));
    free(s);
    if (!m)
        return;
    size_t n = protobuf_c_message_get_packed_size(m);
    uint8_t *b = malloc(n ? n : 1);
    if (b) {
        protobuf_c_message_pack(m, b);
        write_file(path, b, n);
    }
    free(b);
    protobuf_c_message_free_unpacked(m, NULL);
}

static ferry_status load(ferry_model **m, const char *path, const char *checkpoint, char *msg, size_t cap)
{
    ferry_model_options o = FERRY_MODEL_OPTIONS_INIT;
    o.checkpoint = checkpoint;
    ferry_error *err = NULL;
    *m = NULL;
    ferry_status st = ferry_model_load(m, path, &o, &err);
    snprintf(msg, cap, "%s", err ? ferry_error_message(err) : "");
    ferry_error_free(err);
    return st;
}

/* Runs one fetch with x fed; the status, the error message in msg. */
static ferry_status run1(ferry_tensor **out, const ferry_model *m, const ferry_tensor *x, const char *fetch, char *msg,
                         size_t cap)
{
    const char *feed = "x";
    ferry_error *err = NULL;
    *out = NULL;
    ferry_status st = ferry_model_run(out, m, &feed, &x, x ? 1 : 0, &fetch, 1, NULL, 0, &err);
    snprintf(msg, cap, "%s", err ? ferry_error_message(err) : "");
    ferry_error_free(err);
    return st;
}

/* ---- empty string attrs ------------------------------------------------ */

#define STRING_CONST(name, value)                                                                   \
    "node { name: '" name "' op: 'Const' attr { key: 'dtype' value { type: DT_STRING } }\n"          \
    "  attr { key: 'value' value { tensor { dtype: DT_STRING tensor_shape {} string_val: '" value \
    "' } } } }\n"

static void empty_separator_joins_as_tensorflow(void)
{
    /* tf.strings.join writes separator: "" itself. */
    const char *g = STRING_CONST("a", "ab") STRING_CONST("b", "cd")
        "node { name: 'j' op: 'StringJoin' input: 'a' input: 'b' attr { key: 'N' value { i: 2 } }\n"
        "  attr { key: 'separator' value { s: '' } } }\n";
    write_binary_graph(tmp("join.pb"), g);
    ferry_model *m = NULL;
    char msg[1024];
    CHECK_EQ_INT(load(&m, tmp("join.pb"), NULL, msg, sizeof(msg)), FERRY_OK);
    ferry_tensor *out = NULL;
    if (m)
        CHECK_EQ_INT(run1(&out, m, NULL, "j", msg, sizeof(msg)), FERRY_OK);
    const ferry_string *s = out ? ferry_tensor_strings(out) : NULL;
    CHECK(s && s[0].size == 4 && !memcmp(s[0].data, "abcd", 4));
    ferry_tensor_free(out);
    ferry_model_free(m);
}

/* Runs the TF1 loop fixture's graph (y = x doubled n times, or so) from
 * file `path` on x = [1, 2, 3], n = 3; 1 when it ran, the result in y. */
static int run_tf1_loop(const char *path, float *y)
{
    ferry_model *m = NULL;
    char msg[1024];
    if (load(&m, path, NULL, msg, sizeof(msg))) {
        fprintf(stderr, "%s\n", msg);
        return 0;
    }
    float xv[3] = { 1, 2, 3 };
    int32_t nv = 3;
    int64_t dims[1] = { 3 };
    ferry_tensor *feeds[2] = { NULL, NULL }, *out = NULL;
    CHECK_OK(ferry_tensor_wrap(&feeds[0], FERRY_DT_FLOAT, dims, 1, xv, sizeof(xv), NULL, NULL, err_));
    CHECK_OK(ferry_tensor_wrap(&feeds[1], FERRY_DT_INT32, NULL, 0, &nv, sizeof(nv), NULL, NULL, err_));
    const char *names[2] = { "x:0", "n:0" }, *fetch = "y:0";
    int ok = 0;
    CHECK_OK(ferry_model_run(&out, m, names, (const ferry_tensor *const *)feeds, 2, &fetch, 1, NULL, 0, err_));
    if (out && ferry_tensor_element_count(out) == 3) {
        memcpy(y, ferry_tensor_data(out), sizeof(float) * 3);
        ok = 1;
    }
    ferry_tensor_free(out);
    ferry_tensor_free(feeds[0]);
    ferry_tensor_free(feeds[1]);
    ferry_model_free(m);
    return ok;
}

/* An Enter's frame_name may be empty: one frame like any other. */
static void empty_frame_names_run_as_any_frame(void)
{
    FILE *f = fopen(FERRY_FIXTURES "/tf1_while_frozen/frozen.pbtxt", "rb");
    if (!f)
        return;
    static char text[1 << 16], edited[1 << 16];
    size_t n = fread(text, 1, sizeof(text) - 1, f);
    fclose(f);
    text[n] = '\0';
    const char *name = "s: \"loop/while_context\"";
    size_t k = 0, renamed = 0;
    for (const char *p = text; *p && k + 8 < sizeof(edited);) {
        if (!strncmp(p, name, strlen(name))) {
            memcpy(edited + k, "s: \"\"", 5);
            k += 5;
            p += strlen(name);
            renamed++;
        } else {
            edited[k++] = *p++;
        }
    }
    edited[k] = '\0';
    CHECK(renamed >= 2);
    write_binary_graph(tmp("empty_frame.pb"), edited);
    float want[3], got[3];
    CHECK(run_tf1_loop(FERRY_FIXTURES "/tf1_while_frozen/frozen.pb", want));
    CHECK(run_tf1_loop(tmp("empty_frame.pb"), got));
    CHECK(!memcmp(want, got, sizeof(want)));
}

#define FLOAT_CONST(name, shape, vals)                                                              \
    "node { name: '" name "' op: 'Const' attr { key: 'dtype' value { type: DT_FLOAT } }\n"           \
    "  attr { key: 'value' value { tensor { dtype: DT_FLOAT tensor_shape { " shape " } " vals " } } } }\n"
#define T_FLOAT "attr { key: 'T' value { type: DT_FLOAT } } "
#define EMPTY(attr) "attr { key: '" attr "' value { s: '' } } "

static void empty_choice_attrs_are_named(void)
{
    const char *g =
        "node { name: 'x' op: 'Placeholder' attr { key: 'dtype' value { type: DT_FLOAT } } }\n"
        FLOAT_CONST("f", "dim { size: 1 } dim { size: 1 } dim { size: 1 } dim { size: 1 }", "float_val: 1")
        FLOAT_CONST("v", "dim { size: 1 }", "float_val: 1")
        "node { name: 'pads' op: 'Const' attr { key: 'dtype' value { type: DT_INT32 } }\n"
        "  attr { key: 'value' value { tensor { dtype: DT_INT32 tensor_shape { dim { size: 4 } dim { size: 2 } }"
        " int_val: 0 } } } }\n"
        "node { name: 'k' op: 'Const' attr { key: 'dtype' value { type: DT_INT32 } }\n"
        "  attr { key: 'value' value { tensor { dtype: DT_INT32 tensor_shape {} int_val: 0 } } } }\n"
        "node { name: 'minus1' op: 'Const' attr { key: 'dtype' value { type: DT_INT32 } }\n"
        "  attr { key: 'value' value { tensor { dtype: DT_INT32 tensor_shape {} int_val: -1 } } } }\n"
        "node { name: 'zero' op: 'Const' attr { key: 'dtype' value { type: DT_FLOAT } }\n"
        "  attr { key: 'value' value { tensor { dtype: DT_FLOAT tensor_shape {} float_val: 0 } } } }\n"
        "node { name: 'conv' op: 'Conv2D' input: 'x' input: 'f' " T_FLOAT EMPTY("padding")
        "  attr { key: 'strides' value { list { i: [1, 1, 1, 1] } } } }\n"
        "node { name: 'pool' op: 'MaxPool' input: 'x' " T_FLOAT EMPTY("padding")
        "  attr { key: 'strides' value { list { i: [1, 1, 1, 1] } } }"
        "  attr { key: 'ksize' value { list { i: [1, 1, 1, 1] } } } }\n"
        "node { name: 'fmt' op: 'MaxPool' input: 'x' " T_FLOAT EMPTY("data_format")
        "  attr { key: 'padding' value { s: 'VALID' } }"
        "  attr { key: 'strides' value { list { i: [1, 1, 1, 1] } } }"
        "  attr { key: 'ksize' value { list { i: [1, 1, 1, 1] } } } }\n"
        "node { name: 'bias' op: 'BiasAdd' input: 'x' input: 'v' " T_FLOAT EMPTY("data_format") "}\n"
        "node { name: 'bn' op: 'FusedBatchNorm' input: 'x' input: 'v' input: 'v' input: 'v' input: 'v' "
        T_FLOAT EMPTY("data_format") "attr { key: 'is_training' value { b: false } } }\n"
        "node { name: 's2d' op: 'SpaceToDepth' input: 'x' " T_FLOAT EMPTY("data_format")
        "  attr { key: 'block_size' value { i: 2 } } }\n"
        "node { name: 'ein' op: 'Einsum' input: 'x' " T_FLOAT EMPTY("equation") "attr { key: 'N' value { i: 1 } } }\n"
        "node { name: 'mirror' op: 'MirrorPad' input: 'x' input: 'pads' " T_FLOAT EMPTY("mode")
        "  attr { key: 'Tpaddings' value { type: DT_INT32 } } }\n"
        "node { name: 'diag' op: 'MatrixDiagV3' input: 'x' input: 'k' input: 'minus1' input: 'minus1' input: 'zero' "
        T_FLOAT EMPTY("align") "}\n"
        "node { name: 'fused' op: '_FusedConv2D' input: 'x' input: 'f' input: 'v' " T_FLOAT
        "  attr { key: 'padding' value { s: 'VALID' } } attr { key: 'num_args' value { i: 1 } }"
        "  attr { key: 'strides' value { list { i: [1, 1, 1, 1] } } }"
        "  attr { key: 'fused_ops' value { list { s: ['BiasAdd', ''] } } } }\n";
    write_binary_graph(tmp("empty.pb"), g);
    ferry_model *m = NULL;
    char msg[1024];
    CHECK_EQ_INT(load(&m, tmp("empty.pb"), NULL, msg, sizeof(msg)), FERRY_OK);
    if (!m) {
        fprintf(stderr, "load: %s\n", msg);
        return;
    }
    float v[16] = { 0 };
    int64_t dims[4] = { 1, 4, 4, 1 };
    ferry_tensor *x = NULL;
    CHECK_OK(ferry_tensor_wrap(&x, FERRY_DT_FLOAT, dims, 4, v, sizeof(v), NULL, NULL, err_));
    static const struct {
        const char *node, *attr;
    } cases[] = {
        { "conv", "padding" }, { "pool", "padding" }, { "fmt", "data_format" }, { "bias", "data_format" },
        { "bn", "data_format" }, { "s2d", "data_format" }, { "ein", "equation" }, { "mirror", "mode" },
        { "diag", "align" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        ferry_tensor *out = NULL;
        char want[128];
        snprintf(want, sizeof(want), "node '%s'", cases[i].node);
        ferry_status st = run1(&out, m, x, cases[i].node, msg, sizeof(msg));
        if (st != FERRY_ERR_INVALID_ARGUMENT || !strstr(msg, want) || !strstr(msg, cases[i].attr) ||
            !strstr(msg, "is empty")) {
            fprintf(stderr, "%s: status %d, message: %s\n", cases[i].node, (int)st, msg);
            CHECK(0);
        }
        CHECK(out == NULL);
    }
    /* An empty name in a list of them is a name no fused op has. */
    ferry_tensor *out = NULL;
    CHECK_EQ_INT(run1(&out, m, x, "fused", msg, sizeof(msg)), FERRY_ERR_UNSUPPORTED);
    CHECK(strstr(msg, "node 'fused'") && strstr(msg, "fused op ''"));
    ferry_tensor_free(out);
    ferry_tensor_free(x);
    ferry_model_free(m);
}

/* ---- nesting of binary protobufs ---------------------------------------- */

/* Appends field `number` (length-delimited) holding b[0, n) before it: the
 * message grows from the inside out. Returns the new length. */
static size_t wrap(uint8_t *b, size_t n, size_t cap, unsigned number)
{
    uint8_t head[16];
    size_t h = 0;
    head[h++] = (uint8_t)(number << 3 | 2);
    for (size_t v = n; ; v >>= 7) {
        head[h++] = (uint8_t)((v & 0x7f) | (v >= 0x80 ? 0x80 : 0));
        if (v < 0x80)
            break;
    }
    if (n + h > cap)
        return n;
    memmove(b + h, b, n);
    memcpy(b, head, h);
    return n + h;
}

/* A GraphDef whose node's attr holds func -> attr -> func ... `levels` deep. */
static size_t nested_graph(uint8_t *b, size_t cap, int levels)
{
    size_t n = 0;
    for (int i = 0; i < levels; i++) {
        n = wrap(b, n, cap, 10); /* AttrValue.func: a NameAttrList */
        n = wrap(b, n, cap, 2);  /* map entry's value */
        n = wrap(b, n, cap, 2);  /* NameAttrList.attr entry */
    }
    n = wrap(b, n, cap, 10);
    n = wrap(b, n, cap, 2);
    n = wrap(b, n, cap, 5); /* NodeDef.attr entry */
    static const uint8_t name[] = { 0x0a, 0x01, 'n', 0x12, 0x02, 'O', 'p' };
    memmove(b + sizeof(name), b, n);
    memcpy(b, name, sizeof(name));
    return wrap(b, n + sizeof(name), cap, 1); /* GraphDef.node */
}

static void deep_binary_protobufs_are_refused(void)
{
    size_t cap = 1 << 20;
    uint8_t *b = malloc(cap);
    if (!b)
        return;
    char msg[1024];
    ferry_model *m = NULL;
    size_t n = nested_graph(b, cap, 3000);
    write_file(tmp("deep.pb"), b, n);
    CHECK_EQ_INT(load(&m, tmp("deep.pb"), NULL, msg, sizeof(msg)), FERRY_ERR_CORRUPT);
    CHECK(strstr(msg, "deep.pb") && strstr(msg, "deeper than 100 levels"));
    ferry_model_free(m);

    /* The same graph in a SavedModel: SavedModel.meta_graphs -> graph_def. */
    n = wrap(b, n, cap, 2);
    n = wrap(b, n, cap, 2);
    mkdir(tmp("deep_sm"), 0755);
    write_file(tmp("deep_sm/saved_model.pb"), b, n);
    CHECK_EQ_INT(load(&m, tmp("deep_sm"), NULL, msg, sizeof(msg)), FERRY_ERR_CORRUPT);
    CHECK(strstr(msg, "saved_model.pb") && strstr(msg, "deeper than 100 levels"));
    ferry_model_free(m);

    /* Shallow nesting still parses (the node's unknown op matters to no run). */
    n = nested_graph(b, cap, 20);
    write_file(tmp("shallow.pb"), b, n);
    CHECK_EQ_INT(load(&m, tmp("shallow.pb"), NULL, msg, sizeof(msg)), FERRY_OK);
    ferry_model_free(m);
    free(b);
}

/* ---- absurd shapes ------------------------------------------------------- */

static void shapes_must_have_a_countable_size(void)
{
    char msg[1024];
    ferry_model *m = NULL;
    write_text(tmp("huge_const.pbtxt"),
               "node { name: 'c' op: 'Const' attr { key: 'dtype' value { type: DT_FLOAT } }\n"
               "  attr { key: 'value' value { tensor { dtype: DT_FLOAT tensor_shape {\n"
               "    dim { size: 4611686018427387904 } dim { size: 4611686018427387904 } dim { size: 0 } } } } } }\n");
    CHECK_EQ_INT(load(&m, tmp("huge_const.pbtxt"), NULL, msg, sizeof(msg)), FERRY_ERR_CORRUPT);
    CHECK(strstr(msg, "node 'c'") && strstr(msg, "attr 'value'") && strstr(msg, "2^63 - 1"));
    ferry_model_free(m);
    write_text(tmp("huge_ph.pbtxt"),
               "node { name: 'x' op: 'Placeholder' attr { key: 'dtype' value { type: DT_FLOAT } }\n"
               "  attr { key: 'shape' value { shape { dim { size: -1 } dim { size: 0 }\n"
               "    dim { size: 4611686018427387904 } dim { size: 4 } } } } }\n");
    CHECK_EQ_INT(load(&m, tmp("huge_ph.pbtxt"), NULL, msg, sizeof(msg)), FERRY_ERR_CORRUPT);
    CHECK(strstr(msg, "node 'x'") && strstr(msg, "attr 'shape'") && strstr(msg, "2^63 - 1"));
    ferry_model_free(m);
    /* Big but countable, and unknown dims, are fine. */
    write_text(tmp("big_ph.pbtxt"),
               "node { name: 'x' op: 'Placeholder' attr { key: 'dtype' value { type: DT_FLOAT } }\n"
               "  attr { key: 'shape' value { shape { dim { size: -1 } dim { size: 0 }\n"
               "    dim { size: 4611686018427387904 } dim { size: 1 } } } } }\n");
    CHECK_EQ_INT(load(&m, tmp("big_ph.pbtxt"), NULL, msg, sizeof(msg)), FERRY_OK);
    ferry_model_free(m);
}

/* ---- checkpoints ---------------------------------------------------------- */

static void write_checkpoint(const char *prefix, const char *name, const int64_t *dims, int rank)
{
    ferry_checkpoint_writer *w = NULL;
    ferry_writer_options o = FERRY_WRITER_OPTIONS_INIT;
    CHECK_OK(ferry_checkpoint_writer_new(&w, prefix, &o, err_));
    ferry_tensor *t = NULL;
    CHECK_OK(ferry_tensor_new(&t, FERRY_DT_FLOAT, dims, rank, err_));
    if (w && t) {
        CHECK_OK(ferry_checkpoint_writer_add(w, name, t, err_));
        CHECK_OK(ferry_checkpoint_writer_finish(w, err_));
    }
    ferry_tensor_free(t);
    ferry_checkpoint_writer_free(w);
}

#define VARIABLE(op, shape)                                                                          \
    "meta_info_def { tags: 'serve' }\n"                                                               \
    "graph_def { node { name: 'w' op: '" op "' attr { key: 'dtype' value { type: DT_FLOAT } }\n"      \
    "  attr { key: 'shape' value { shape { " shape " } } } } }\n"

static void restored_values_must_have_the_declared_shape(void)
{
    char msg[1024];
    ferry_model *m = NULL;
    mkdir(tmp("shapes"), 0755);
    int64_t wrong[2] = { 3, 1 }, right[2] = { 3, 2 };
    write_checkpoint(tmp("shapes/wrong"), "w", wrong, 2);
    write_checkpoint(tmp("shapes/right"), "w", right, 2);
    static const char *const ops[] = { "VariableV2", "VarHandleOp" };
    for (int i = 0; i < 2; i++) {
        char text[1024];
        snprintf(text, sizeof(text), VARIABLE("%s", "dim { size: 3 } dim { size: 2 }"), ops[i]);
        write_text(tmp("shapes/model.meta"), text);
        CHECK_EQ_INT(load(&m, tmp("shapes/model.meta"), tmp("shapes/wrong"), msg, sizeof(msg)),
                     FERRY_ERR_INVALID_ARGUMENT);
        CHECK(strstr(msg, "variable 'w' has shape [3,2]") && strstr(msg, "[3,1]"));
        ferry_model_free(m);
        CHECK_EQ_INT(load(&m, tmp("shapes/model.meta"), tmp("shapes/right"), msg, sizeof(msg)), FERRY_OK);
        ferry_model_free(m);
        /* An unknown dim takes any size there. */
        snprintf(text, sizeof(text), VARIABLE("%s", "dim { size: 3 } dim { size: -1 }"), ops[i]);
        write_text(tmp("shapes/model.meta"), text);
        CHECK_EQ_INT(load(&m, tmp("shapes/model.meta"), tmp("shapes/wrong"), msg, sizeof(msg)), FERRY_OK);
        ferry_model_free(m);
    }
}

/* A copy of the fixture SavedModel tf2_mlp in dir, its checkpoint rewritten
 * with w2 of shape [16,3] where the model declares [16,4]. */
static void copy_mlp_with_short_w2(const char *dir)
{
    char cmd[1200];
    snprintf(cmd, sizeof(cmd), "cp -r '%s/tf2_mlp/saved_model' '%s'", FERRY_FIXTURES, dir);
    CHECK_EQ_INT(system(cmd), 0);
    ferry_checkpoint *c = NULL;
    CHECK_OK(ferry_checkpoint_open(&c, FERRY_FIXTURES "/tf2_mlp/saved_model/variables/variables", err_));
    char prefix[600];
    snprintf(prefix, sizeof(prefix), "%s/variables/variables", dir);
    ferry_checkpoint_writer *w = NULL;
    ferry_writer_options o = FERRY_WRITER_OPTIONS_INIT;
    o.update_state_file = 0;
    CHECK_OK(ferry_checkpoint_writer_new(&w, prefix, &o, err_));
    for (size_t i = 0; c && w && i < ferry_checkpoint_variable_count(c); i++) {
        const ferry_variable_info *v = ferry_checkpoint_variable(c, i);
        ferry_tensor *t = NULL;
        if (!strcmp(v->name, "w2/.ATTRIBUTES/VARIABLE_VALUE")) {
            int64_t dims[2] = { 16, 3 };
            CHECK_OK(ferry_tensor_new(&t, FERRY_DT_FLOAT, dims, 2, err_));
        } else {
            CHECK_OK(ferry_checkpoint_read(&t, c, v->name, err_));
        }
        if (t)
            CHECK_OK(ferry_checkpoint_writer_add(w, v->name, t, err_));
        ferry_tensor_free(t);
    }
    if (w)
        CHECK_OK(ferry_checkpoint_writer_finish(w, err_));
    ferry_checkpoint_writer_free(w);
    ferry_checkpoint_free(c);
}

static void tf2_variables_must_have_the_declared_shape(void)
{
    char msg[1024];
    ferry_model *m = NULL;
    copy_mlp_with_short_w2(tmp("mlp_short"));
    CHECK_EQ_INT(load(&m, tmp("mlp_short"), NULL, msg, sizeof(msg)), FERRY_ERR_INVALID_ARGUMENT);
    CHECK(strstr(msg, "has shape [16,4]") && strstr(msg, "'w2/.ATTRIBUTES/VARIABLE_VALUE' gives [16,3]"));
    ferry_model_free(m);
}

/* ---- FIFOs in place of files ---------------------------------------------- */

static void fifos_are_refused_without_blocking(void)
{
    /* A hang would end the test here, as a failure. */
    alarm(60);
    char msg[1024], cmd[1200];
    ferry_model *m = NULL;
    snprintf(cmd, sizeof(cmd), "cp -r '%s/tf2_mlp/saved_model' '%s'", FERRY_FIXTURES, tmp("mlp_fifo"));
    CHECK_EQ_INT(system(cmd), 0);
    const char *data = tmp("mlp_fifo/variables/variables.data-00000-of-00001");
    CHECK_EQ_INT(unlink(data), 0);
    CHECK_EQ_INT(mkfifo(data, 0644), 0);
    CHECK_EQ_INT(load(&m, tmp("mlp_fifo"), NULL, msg, sizeof(msg)), FERRY_ERR_IO);
    CHECK(strstr(msg, "variables.data-00000-of-00001") && strstr(msg, "not a regular file"));
    ferry_model_free(m);

    /* The `checkpoint` state file of a checkpoint directory. */
    mkdir(tmp("state_fifo"), 0755);
    CHECK_EQ_INT(mkfifo(tmp("state_fifo/checkpoint"), 0644), 0);
    ferry_checkpoint *c = NULL;
    ferry_error *err = NULL;
    CHECK(ferry_checkpoint_open(&c, tmp("state_fifo"), &err) != FERRY_OK);
    CHECK(err && strstr(ferry_error_message(err), "checkpoint") &&
          strstr(ferry_error_message(err), "not a regular file"));
    ferry_error_free(err);
    ferry_checkpoint_free(c);
    alarm(0);
}

/* ---- lenient spots made strict, as TensorFlow ----------------------------- */

static void graphs_tensorflow_refuses_are_refused(void)
{
    char msg[1024];
    ferry_model *m = NULL;
    write_text(tmp("const_dtype.pbtxt"),
               "node { name: 'c' op: 'Const' attr { key: 'dtype' value { type: DT_INT32 } }\n"
               "  attr { key: 'value' value { tensor { dtype: DT_FLOAT tensor_shape {} float_val: 1 } } } }\n");
    CHECK_EQ_INT(load(&m, tmp("const_dtype.pbtxt"), NULL, msg, sizeof(msg)), FERRY_ERR_INVALID_ARGUMENT);
    CHECK(strstr(msg, "Const node 'c' has dtype attr int32 but a value of float32") != NULL);
    ferry_model_free(m);

    write_text(tmp("untyped.pbtxt"),
               "node { name: 'x' op: 'Placeholder' attr { key: 'dtype' value { type: DT_FLOAT } } }\n"
               "node { name: 'y' op: 'AddV2' input: 'x' input: 'x' }\n");
    CHECK_EQ_INT(load(&m, tmp("untyped.pbtxt"), NULL, msg, sizeof(msg)), FERRY_OK);
    float v = 1;
    int64_t dims[1] = { 1 };
    ferry_tensor *x = NULL, *out = NULL;
    CHECK_OK(ferry_tensor_wrap(&x, FERRY_DT_FLOAT, dims, 1, &v, sizeof(v), NULL, NULL, err_));
    if (m) {
        CHECK_EQ_INT(run1(&out, m, x, "y", msg, sizeof(msg)), FERRY_ERR_INVALID_ARGUMENT);
        CHECK(strstr(msg, "node 'y' (AddV2) lacks its dtype attr 'T'") != NULL);
    }
    ferry_model_free(m);

    /* A While whose body gives two values for its one loop variable. */
    write_text(tmp("while.pbtxt"),
               "node { name: 'x' op: 'Placeholder' attr { key: 'dtype' value { type: DT_FLOAT } } }\n"
               "node { name: 'w' op: 'While' input: 'x' attr { key: 'T' value { list { type: DT_FLOAT } } }\n"
               "  attr { key: 'cond' value { func { name: 'cond' } } }\n"
               "  attr { key: 'body' value { func { name: 'body' } } } }\n"
               "library {\n"
               "  function { signature { name: 'cond' input_arg { name: 'a' type: DT_FLOAT }\n"
               "                         output_arg { name: 'r' type: DT_BOOL } }\n"
               "    node_def { name: 'no' op: 'Const' attr { key: 'dtype' value { type: DT_BOOL } }\n"
               "      attr { key: 'value' value { tensor { dtype: DT_BOOL tensor_shape {} bool_val: false } } } }\n"
               "    ret { key: 'r' value: 'no:output:0' } }\n"
               "  function { signature { name: 'body' input_arg { name: 'a' type: DT_FLOAT }\n"
               "                         output_arg { name: 'r' type: DT_FLOAT }\n"
               "                         output_arg { name: 's' type: DT_FLOAT } }\n"
               "    ret { key: 'r' value: 'a' } ret { key: 's' value: 'a' } }\n"
               "}\n");
    CHECK_EQ_INT(load(&m, tmp("while.pbtxt"), NULL, msg, sizeof(msg)), FERRY_OK);
    if (m) {
        CHECK_EQ_INT(run1(&out, m, x, "w", msg, sizeof(msg)), FERRY_ERR_INVALID_ARGUMENT);
        CHECK(strstr(msg, "node 'w' (While)") && strstr(msg, "body 'body' takes 1 values and gives 2"));
    }
    CHECK(out == NULL);
    ferry_model_free(m);
    ferry_tensor_free(x);
}

/* A frozen graph in dir whose init op reads vocabulary file `file`. */
static void write_vocab_graph(const char *path, const char *file)
{
    char text[2048];
    snprintf(text, sizeof(text),
             "node { name: 'f' op: 'Const' attr { key: 'dtype' value { type: DT_STRING } }\n"
             "  attr { key: 'value' value { tensor { dtype: DT_STRING tensor_shape {} string_val: '%s' } } } }\n"
             "node { name: 't' op: 'HashTableV2' attr { key: 'key_dtype' value { type: DT_STRING } }\n"
             "  attr { key: 'value_dtype' value { type: DT_INT64 } } }\n"
             "node { name: 'init' op: 'InitializeTableFromTextFileV2' input: 't' input: 'f'\n"
             "  attr { key: 'key_index' value { i: -2 } } attr { key: 'value_index' value { i: -1 } } }\n",
             file);
    write_text(path, text);
}

static ferry_status run_init(const char *path, char *msg, size_t cap)
{
    ferry_model *m = NULL;
    ferry_status st = load(&m, path, NULL, msg, cap);
    if (!st) {
        const char *target = "init";
        ferry_error *err = NULL;
        st = ferry_model_run(NULL, m, NULL, NULL, 0, NULL, 0, &target, 1, &err);
        snprintf(msg, cap, "%s", err ? ferry_error_message(err) : "");
        ferry_error_free(err);
    }
    ferry_model_free(m);
    return st;
}

static void vocabulary_outside_says_outside_either_way(void)
{
    char msg[1024], file[600];
    mkdir(tmp("vocab"), 0755);
    write_file(tmp("vocab_outside.txt"), "a\nb\n", 4);
    write_file(tmp("vocab/inside.txt"), "a\nb\n", 4);
    static const char *const outside[] = { "vocab_outside.txt", "vocab_missing.txt", "no_dir/vocab.txt" };
    for (int i = 0; i < 3; i++) {
        snprintf(file, sizeof(file), "%s", tmp(outside[i]));
        write_vocab_graph(tmp("vocab/g.pbtxt"), file);
        CHECK_EQ_INT(run_init(tmp("vocab/g.pbtxt"), msg, sizeof(msg)), FERRY_ERR_REFUSED);
        CHECK(strstr(msg, "lies outside the model directory") != NULL);
    }
    snprintf(file, sizeof(file), "%s", tmp("vocab/missing.txt"));
    write_vocab_graph(tmp("vocab/g.pbtxt"), file);
    CHECK_EQ_INT(run_init(tmp("vocab/g.pbtxt"), msg, sizeof(msg)), FERRY_ERR_NOT_FOUND);
    CHECK(strstr(msg, "does not exist") != NULL);
    snprintf(file, sizeof(file), "%s", tmp("vocab/inside.txt"));
    write_vocab_graph(tmp("vocab/g.pbtxt"), file);
    CHECK_EQ_INT(run_init(tmp("vocab/g.pbtxt"), msg, sizeof(msg)), FERRY_OK);
}

static void variables_may_not_lead_outside_the_model(void)
{
    char msg[1024], cmd[2048];
    ferry_model *m = NULL;
    snprintf(cmd, sizeof(cmd), "cd '%s' && cp -r '%s/tf2_mlp/saved_model' linked_vars && "
             "mv linked_vars/variables outside_vars && ln -s ../outside_vars linked_vars/variables",
             tmp_root, FERRY_FIXTURES);
    CHECK_EQ_INT(system(cmd), 0);
    CHECK_EQ_INT(load(&m, tmp("linked_vars"), NULL, msg, sizeof(msg)), FERRY_ERR_REFUSED);
    CHECK(strstr(msg, "variables") && strstr(msg, "outside the model directory"));
    ferry_model_free(m);
    ferry_model_options o = FERRY_MODEL_OPTIONS_INIT;
    o.flags = FERRY_LOAD_ALLOW_FILE_OPS;
    CHECK_OK(ferry_model_load(&m, tmp("linked_vars"), &o, err_));
    ferry_model_free(m);
}

int main(int argc, char **argv)
{
    if (!mkdtemp(tmp_root))
        return 1;
    static const check_case tests[] = {
        TEST(empty_separator_joins_as_tensorflow),
        TEST(empty_choice_attrs_are_named),
        TEST(empty_frame_names_run_as_any_frame),
        TEST(deep_binary_protobufs_are_refused),
        TEST(shapes_must_have_a_countable_size),
        TEST(restored_values_must_have_the_declared_shape),
        TEST(tf2_variables_must_have_the_declared_shape),
        TEST(fifos_are_refused_without_blocking),
        TEST(graphs_tensorflow_refuses_are_refused),
        TEST(vocabulary_outside_says_outside_either_way),
        TEST(variables_may_not_lead_outside_the_model),
    };
    /* One test by name, or all. */
    check_case chosen[sizeof(tests) / sizeof(tests[0])];
    size_t count = 0;
    for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
        if (argc < 2 || !strcmp(argv[1], tests[i].name))
            chosen[count++] = tests[i];
    int rc = check_run("hostile_files", chosen, count);
    char cmd[600];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp_root);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmp_root);
    return rc;
}
