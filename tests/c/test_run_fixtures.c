/* Every call recorded in the fixture and corpus manifests, run by Ferry on
 * one loaded model in order (state carries over), must give TensorFlow's
 * outputs. Cases Ferry cannot run yet are listed, with the reason, in
 * tests/run_xfail.txt; a listed case that passes fails the test, so the
 * list only shrinks.
 *
 * `test_run_fixtures zero_size` replays tests/zero_size instead: the same
 * models (read from tests/fixtures) fed inputs with zero-sized dimensions,
 * against TensorFlow's results; its expected failures are listed in
 * tests/zero_size/xfail.txt. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ferry/ferry.h>

#include "fixture.h"

#define MAX_TENSORS 64

/* What the model printed during one call, per stream (Print, PrintV2). */
typedef struct printed {
    char out[4096], err[4096];
    size_t out_len, err_len;
} printed;

static void capture_print(void *context, const char *stream, const char *text, size_t size)
{
    printed *p = context;
    int to_out = !strcmp(stream, "stdout");
    char *buf = to_out ? p->out : p->err;
    size_t *len = to_out ? &p->out_len : &p->err_len;
    size_t room = sizeof(p->out) - 1 - *len;
    memcpy(buf + *len, text, size < room ? size : room);
    *len += size < room ? size : room;
    buf[*len] = '\0';
}

/* Ferry's status for TensorFlow's error code, or FERRY_OK when any will do. */
static ferry_status ferry_code_of(const char *tf_code)
{
    if (!strcmp(tf_code, "INVALID_ARGUMENT"))
        return FERRY_ERR_INVALID_ARGUMENT;
    if (!strcmp(tf_code, "FAILED_PRECONDITION"))
        return FERRY_ERR_RUNTIME;
    return FERRY_OK;
}

/* The call's "printed" texts match what the model printed. */
static int check_printed(cJSON *call, const printed *p, char *msg, size_t cap)
{
    cJSON *want = cJSON_GetObjectItem(call, "printed");
    if (!want)
        return 1;
    const char *out = cJSON_GetStringValue(cJSON_GetObjectItem(want, "stdout"));
    const char *err = cJSON_GetStringValue(cJSON_GetObjectItem(want, "stderr"));
    if (out && strcmp(out, p->out)) {
        snprintf(msg, cap, "printed to stdout \"%.400s\", TensorFlow \"%.400s\"", p->out, out);
        return 0;
    }
    if (err && strcmp(err, p->err)) {
        snprintf(msg, cap, "printed to stderr \"%.400s\", TensorFlow \"%.400s\"", p->err, err);
        return 0;
    }
    return 1;
}

typedef struct tally {
    int passed, failed, expected_failures;
    const char *models_root;
    char *xfail;        /* the xfail file's text */
} tally;

static int listed(const tally *t, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = t->xfail; p && (p = strstr(p, name)) != NULL; p += n)
        if ((p == t->xfail || p[-1] == '\n') && (p[n] == ' ' || p[n] == '\t' || p[n] == '\n' || !p[n]))
            return 1;
    return 0;
}

static void model_path(char *out, size_t n, const char *case_dir, const char *rel, const tally *t)
{
    if (t->models_root) {
        const char *slash = strrchr(case_dir, '/');
        snprintf(out, n, "%s/%s/%s", t->models_root, slash ? slash + 1 : case_dir, rel);
    } else {
        snprintf(out, n, "%s/%s", case_dir, rel);
    }
}

typedef struct tensors {
    const char *names[MAX_TENSORS];
    ferry_tensor *t[MAX_TENSORS];
    int count;
} tensors;

static void tensors_free(tensors *ts)
{
    for (int i = 0; i < ts->count; i++)
        ferry_tensor_free(ts->t[i]);
    ts->count = 0;
}

/* Loads {"name": "file"} maps: 1 on success, 0 on failure, -1 when an
 * entry is not one plain tensor (sparse parts: not replayed yet). A null
 * file (an expected failure's fetch) loads nothing. */
static int load_map(tensors *ts, const char *case_dir, cJSON *map, char *msg, size_t cap)
{
    cJSON *e;
    cJSON_ArrayForEach(e, map)
    {
        if (cJSON_IsNull(e)) {
            ts->names[ts->count] = e->string;
            ts->t[ts->count++] = NULL;
            continue;
        }
        if (!cJSON_IsString(e) || ts->count == MAX_TENSORS) {
            snprintf(msg, cap, "input '%s' is not a plain tensor file", e->string);
            return -1;
        }
        ferry_tensor *t = NULL;
        if (fixture_tensor(&t, case_dir, e->valuestring, FERRY_DT_INVALID, msg, cap))
            return 0;
        ts->names[ts->count] = e->string;
        ts->t[ts->count++] = t;
    }
    return 1;
}

static int run_call(ferry_model *m, const char *case_dir, cJSON *call, double rtol, double atol, char *msg, size_t cap)
{
    if (cJSON_GetObjectItem(call, "asset_feeds")) {
        snprintf(msg, cap, "calls that feed asset paths by hand are not replayed");
        return -1;
    }
    tensors in = { { 0 }, { 0 }, 0 }, want = { { 0 }, { 0 }, 0 };
    ferry_tensor *got[MAX_TENSORS] = { 0 };
    int ok = 0;
    const char *sig_key = cJSON_GetStringValue(cJSON_GetObjectItem(call, "signature"));
    cJSON *outputs = cJSON_GetObjectItem(call, sig_key ? "outputs" : "fetches");
    const char *expected_error = cJSON_GetStringValue(cJSON_GetObjectItem(call, "error"));
    int loaded = load_map(&in, case_dir, cJSON_GetObjectItem(call, sig_key ? "inputs" : "feeds"), msg, cap);
    if (loaded > 0)
        loaded = load_map(&want, case_dir, outputs, msg, cap);
    if (loaded <= 0) {
        ok = loaded;
        goto done;
    }
    ferry_error *err = NULL;
    ferry_status st;
    if (sig_key) {
        const ferry_signature *sig = NULL;
        st = ferry_model_find_signature(&sig, m, sig_key, &err);
        /* Outputs come back in the signature's (sorted) order. */
        if (!st)
            st = ferry_signature_run(got, sig, in.names, (const ferry_tensor *const *)in.t, (size_t)in.count, &err);
        if (!st)
            for (int i = 0; i < want.count; i++) {
                size_t k = 0;
                while (k < ferry_signature_output_count(sig) && strcmp(ferry_signature_output(sig, k)->name, want.names[i]))
                    k++;
                ferry_tensor *tmp = got[i];
                got[i] = k < ferry_signature_output_count(sig) ? got[k] : NULL;
                if (k < ferry_signature_output_count(sig))
                    got[k] = tmp;
            }
    } else {
        const char *targets[MAX_TENSORS];
        int nt = 0;
        cJSON *t;
        cJSON_ArrayForEach(t, cJSON_GetObjectItem(call, "targets")) if (nt < MAX_TENSORS) targets[nt++] = t->valuestring;
        st = ferry_model_run(got, m, in.names, (const ferry_tensor *const *)in.t, (size_t)in.count, want.names,
                             (size_t)want.count, targets, (size_t)nt, &err);
    }
    if (expected_error) {
        /* TensorFlow failed here (e.g. an uninitialized variable); so must
         * Ferry, with the matching status and TensorFlow's message in its own. */
        const char *tf_message = cJSON_GetStringValue(cJSON_GetObjectItem(call, "error_message"));
        ferry_status code = ferry_code_of(expected_error);
        ok = st != FERRY_OK;
        if (!ok)
            snprintf(msg, cap, "succeeded where TensorFlow failed with %s", expected_error);
        else if (code && st != code)
            snprintf(msg, cap, "failed with status %d, not %d (TensorFlow: %s): %s", (int)st, (int)code,
                     expected_error, ferry_error_message(err));
        else if (tf_message && !strstr(ferry_error_message(err), tf_message))
            snprintf(msg, cap, "message \"%s\" lacks TensorFlow's \"%s\"", ferry_error_message(err), tf_message);
        ok = ok && (!code || st == code) && (!tf_message || strstr(ferry_error_message(err), tf_message));
        ferry_error_free(err);
        goto done;
    }
    if (st) {
        snprintf(msg, cap, "%s", ferry_error_message(err));
        ferry_error_free(err);
        goto done;
    }
    ok = 1;
    for (int i = 0; ok && i < want.count; i++) {
        char why[256];
        if (!got[i]) {
            snprintf(msg, cap, "no output '%s'", want.names[i]);
            ok = 0;
        } else if (!fixture_tensors_match(got[i], want.t[i], rtol, atol, why, sizeof(why))) {
            snprintf(msg, cap, "output '%s': %s", want.names[i], why);
            ok = 0;
        }
    }
done:
    for (int i = 0; i < MAX_TENSORS; i++)
        ferry_tensor_free(got[i]);
    tensors_free(&in);
    tensors_free(&want);
    return ok;
}

/* A call with its own restore map runs on a model loaded with that map. */
static ferry_model *load_with_map(const char *path, const ferry_model_options *base, cJSON *map, char *msg, size_t cap)
{
    ferry_name_pair pairs[MAX_TENSORS];
    size_t n = 0;
    cJSON *e;
    cJSON_ArrayForEach(e, map) if (n < MAX_TENSORS) pairs[n++] = (ferry_name_pair){ e->valuestring, e->string };
    ferry_model_options opts = *base;
    opts.restore_map = pairs;
    opts.restore_map_count = n;
    ferry_model *model = NULL;
    ferry_error *err = NULL;
    if (ferry_model_load(&model, path, &opts, &err) != FERRY_OK) {
        snprintf(msg, cap, "load with restore map: %s", ferry_error_message(err));
        ferry_error_free(err);
    }
    return model;
}

static int run_case(const char *case_dir, cJSON *m, const tally *t, char *msg, size_t cap)
{
    printed out = { "", "", 0, 0 };
    const char *kind = cJSON_GetStringValue(cJSON_GetObjectItem(m, "kind"));
    if (!kind || !strcmp(kind, "checkpoint") || !strcmp(kind, "broken"))
        return -1;
    char path[4096], ckpt[4096], tags[256] = "";
    model_path(path, sizeof(path), case_dir, cJSON_GetStringValue(cJSON_GetObjectItem(m, "path")), t);
    ferry_model_options opts = FERRY_MODEL_OPTIONS_INIT;
    opts.print = capture_print;
    opts.print_context = &out;
    cJSON *tag;
    cJSON_ArrayForEach(tag, cJSON_GetObjectItem(m, "tags"))
    {
        if (tags[0])
            strncat(tags, ",", sizeof(tags) - strlen(tags) - 1);
        strncat(tags, tag->valuestring, sizeof(tags) - strlen(tags) - 1);
    }
    if (cJSON_GetObjectItem(m, "tags"))
        opts.tags = tags;
    const char *c = cJSON_GetStringValue(cJSON_GetObjectItem(m, "checkpoint"));
    if (c && !strcmp(kind, "meta_graph")) {
        model_path(ckpt, sizeof(ckpt), case_dir, c, t);
        opts.checkpoint = ckpt;
    }
    ferry_model *model = NULL;
    ferry_error *err = NULL;
    if (ferry_model_load(&model, path, &opts, &err) != FERRY_OK) {
        snprintf(msg, cap, "load: %s", ferry_error_message(err));
        ferry_error_free(err);
        return 0;
    }
    cJSON *tol = cJSON_GetObjectItem(m, "tolerance");
    double rtol = cJSON_GetNumberValue(cJSON_GetObjectItem(tol, "rtol"));
    double atol = cJSON_GetNumberValue(cJSON_GetObjectItem(tol, "atol"));
    int ok = 1, ran = 0, k = 0;
    cJSON *call;
    cJSON_ArrayForEach(call, cJSON_GetObjectItem(m, "calls"))
    {
        char why[1024];
        cJSON *map = cJSON_GetObjectItem(call, "restore_map");
        ferry_model *mapped = map ? load_with_map(path, &opts, map, why, sizeof(why)) : NULL;
        out = (printed){ "", "", 0, 0 };
        int r = map && !mapped ? 0 : run_call(mapped ? mapped : model, case_dir, call, rtol, atol, why, sizeof(why));
        if (r > 0 && !check_printed(call, &out, why, sizeof(why)))
            r = 0;
        ferry_model_free(mapped);
        if (r == 0) {
            snprintf(msg, cap, "call %d: %s", k, why);
            ok = 0;
            break;
        }
        ran += r > 0;
        k++;
    }
    ferry_model_free(model);
    return ok ? (ran ? 1 : -1) : 0;
}

static void check_case(const char *case_dir, void *ctx)
{
    tally *t = ctx;
    cJSON *m = fixture_manifest(case_dir);
    if (!cJSON_GetArraySize(cJSON_GetObjectItem(m, "calls"))) {
        cJSON_Delete(m);
        return;
    }
    char msg[2048] = "";
    int r = run_case(case_dir, m, t, msg, sizeof(msg));
    cJSON_Delete(m);
    if (r < 0)
        return;
    const char *name = strrchr(case_dir, '/') + 1;
    int xfail = listed(t, name);
    if (r && !xfail) {
        printf("ok   %s\n", name);
        t->passed++;
    } else if (!r && xfail) {
        printf("xfail %s: %s\n", name, msg);
        t->expected_failures++;
    } else if (r && xfail) {
        printf("FAIL %s: passes now; remove it from tests/run_xfail.txt\n", name);
        t->failed++;
    } else {
        printf("FAIL %s: %s\n", name, msg);
        t->failed++;
    }
}

int main(int argc, char **argv)
{
    int zero_size = argc > 1 && !strcmp(argv[1], "zero_size");
    FILE *f = fopen(zero_size ? FERRY_SOURCE_DIR "/tests/zero_size/xfail.txt" : FERRY_SOURCE_DIR "/tests/run_xfail.txt",
                    "r");
    char *xfail = calloc(1, 1 << 20);
    if (f && xfail) {
        size_t n = fread(xfail, 1, (1 << 20) - 1, f);
        xfail[n] = '\0';
    }
    if (f)
        fclose(f);
    tally fixtures = { 0, 0, 0, zero_size ? FERRY_FIXTURES : NULL, xfail }, corpus = { 0, 0, 0, FERRY_CORPUS, xfail };
    fixture_for_each_case(zero_size ? FERRY_SOURCE_DIR "/tests/zero_size" : FERRY_FIXTURES, check_case, &fixtures);
    if (!zero_size)
        fixture_for_each_corpus_case(check_case, &corpus);
    int passed = fixtures.passed + corpus.passed, failed = fixtures.failed + corpus.failed;
    printf("run_fixtures%s: %d passed, %d failed, %d expected failures\n", zero_size ? " zero_size" : "", passed,
           failed, fixtures.expected_failures + corpus.expected_failures);
    free(xfail);
    return failed || passed == 0;
}
