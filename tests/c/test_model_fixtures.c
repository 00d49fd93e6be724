/* Every model in tests/fixtures and the shared corpus loads (metadata) and
 * describes itself as TensorFlow did: tag sets, signatures, ops. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ferry/ferry.h>

#include "fixture.h"

typedef struct tally {
    int passed, failed;
    const char *models_root;
} tally;

static int fail(const char *case_dir, const char *fmt, const char *a, const char *b)
{
    fprintf(stderr, "  %s: ", case_dir);
    fprintf(stderr, fmt, a, b);
    fputc('\n', stderr);
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

/* "a,b" (sorted) from a JSON array of tags. */
static void join_tags(char *out, size_t n, cJSON *tags)
{
    const char *items[32];
    int k = 0;
    cJSON *t;
    cJSON_ArrayForEach(t, tags) if (k < 32) items[k++] = t->valuestring;
    for (int i = 1; i < k; i++)
        for (int j = i; j > 0 && strcmp(items[j - 1], items[j]) > 0; j--) {
            const char *x = items[j];
            items[j] = items[j - 1];
            items[j - 1] = x;
        }
    out[0] = '\0';
    for (int i = 0; i < k; i++) {
        if (i)
            strncat(out, ",", n - strlen(out) - 1);
        strncat(out, items[i], n - strlen(out) - 1);
    }
}

static int tensor_matches(const char *case_dir, const char *sig, const ferry_tensor_info *info, cJSON *want)
{
    ferry_dtype dt = fixture_dtype(cJSON_GetStringValue(cJSON_GetObjectItem(want, "dtype")));
    if (info->dtype != dt && !(dt == FERRY_DT_INVALID && info->dtype == 0))
        return fail(case_dir, "signature %s: tensor '%s' has the wrong dtype", sig, info->name);
    cJSON *shape = cJSON_GetObjectItem(want, "shape");
    if (cJSON_IsNull(shape) || !shape) {
        if (info->rank != -1)
            return fail(case_dir, "signature %s: tensor '%s' should have unknown rank", sig, info->name);
    } else if (info->rank == -1 && cJSON_GetArraySize(shape) == 0) {
        /* Old SavedModels record no shape; TF reports that as a scalar,
         * Ferry as unknown rank, since nothing was declared. */
    } else {
        int rank = cJSON_GetArraySize(shape), same = rank == info->rank;
        for (int d = 0; same && d < rank; d++)
            same = (int64_t)cJSON_GetArrayItem(shape, d)->valuedouble == info->dims[d];
        if (!same)
            return fail(case_dir, "signature %s: tensor '%s' has the wrong shape", sig, info->name);
    }
    cJSON *sparse = cJSON_GetObjectItem(want, "coo_sparse");
    if (sparse) {
        if (info->encoding != FERRY_ENCODING_COO_SPARSE ||
            strcmp(info->tensor, cJSON_GetStringValue(cJSON_GetObjectItem(sparse, "values"))) ||
            strcmp(info->indices_tensor, cJSON_GetStringValue(cJSON_GetObjectItem(sparse, "indices"))) ||
            strcmp(info->dense_shape_tensor, cJSON_GetStringValue(cJSON_GetObjectItem(sparse, "dense_shape"))))
            return fail(case_dir, "signature %s: sparse tensor '%s' differs", sig, info->name);
        return 1;
    }
    const char *tensor = cJSON_GetStringValue(cJSON_GetObjectItem(want, "tensor"));
    if (tensor && strcmp(tensor, info->tensor) != 0)
        return fail(case_dir, "signature %s: tensor '%s' names the wrong graph tensor", sig, info->name);
    return 1;
}

static int side_matches(const char *case_dir, const ferry_signature *s, cJSON *want, int outputs)
{
    size_t n = outputs ? ferry_signature_output_count(s) : ferry_signature_input_count(s);
    if ((size_t)cJSON_GetArraySize(want) != n)
        return fail(case_dir, "signature %s: %s count differs", ferry_signature_key(s), outputs ? "output" : "input");
    for (size_t i = 0; i < n; i++) {
        const ferry_tensor_info *info = outputs ? ferry_signature_output(s, i) : ferry_signature_input(s, i);
        cJSON *w = cJSON_GetObjectItem(want, info->name);
        if (!w)
            return fail(case_dir, "signature %s: TF has no tensor '%s'", ferry_signature_key(s), info->name);
        if (!tensor_matches(case_dir, ferry_signature_key(s), info, w))
            return 0;
    }
    return 1;
}

static int view_matches(const char *case_dir, const ferry_model *m, cJSON *view, cJSON *ops)
{
    cJSON *sigs = cJSON_GetObjectItem(view, "signatures");
    if (sigs) {
        if ((size_t)cJSON_GetArraySize(sigs) != ferry_model_signature_count(m))
            return fail(case_dir, "%s%ssignature count differs", "", "");
        for (size_t i = 0; i < ferry_model_signature_count(m); i++) {
            const ferry_signature *s = ferry_model_signature(m, i);
            cJSON *w = cJSON_GetObjectItem(sigs, ferry_signature_key(s));
            if (!w)
                return fail(case_dir, "TF has no signature '%s'%s", ferry_signature_key(s), "");
            const char *method = cJSON_GetStringValue(cJSON_GetObjectItem(w, "method"));
            if (method && strcmp(method, ferry_signature_method(s)) != 0)
                return fail(case_dir, "signature %s: method %s differs", ferry_signature_key(s), method);
            if (!side_matches(case_dir, s, cJSON_GetObjectItem(w, "inputs"), 0) ||
                !side_matches(case_dir, s, cJSON_GetObjectItem(w, "outputs"), 1))
                return 0;
        }
    }
    cJSON *tag_sets = cJSON_GetObjectItem(view, "tag_sets");
    if (tag_sets && ferry_model_get_format(m) == FERRY_FORMAT_SAVED_MODEL) {
        if ((size_t)cJSON_GetArraySize(tag_sets) != ferry_model_tag_set_count(m))
            return fail(case_dir, "%s%stag set count differs", "", "");
        cJSON *ts;
        cJSON_ArrayForEach(ts, tag_sets)
        {
            char joined[256];
            join_tags(joined, sizeof(joined), ts);
            int found = 0;
            for (size_t i = 0; i < ferry_model_tag_set_count(m); i++)
                found |= !strcmp(joined, ferry_model_tag_set(m, i));
            if (!found)
                return fail(case_dir, "tag set {%s} missing%s", joined, "");
        }
    }
    if (ops) {
        if ((size_t)cJSON_GetArraySize(ops) != ferry_model_op_count(m))
            return fail(case_dir, "%s%sop count differs", "", "");
        for (size_t i = 0; i < ferry_model_op_count(m); i++)
            if (strcmp(cJSON_GetArrayItem(ops, (int)i)->valuestring, ferry_model_op(m, i)) != 0)
                return fail(case_dir, "op %s differs from TF's %s", ferry_model_op(m, i),
                            cJSON_GetArrayItem(ops, (int)i)->valuestring);
    }
    return 1;
}

static int load_and_check(const char *case_dir, const char *path, cJSON *tags, cJSON *view, cJSON *ops)
{
    char joined[256] = "";
    ferry_model_options opts = FERRY_MODEL_OPTIONS_INIT;
    opts.flags = FERRY_LOAD_METADATA_ONLY;
    if (tags) {
        join_tags(joined, sizeof(joined), tags);
        opts.tags = joined;
    }
    ferry_model *m = NULL;
    ferry_error *err = NULL;
    if (ferry_model_load(&m, path, &opts, &err) != FERRY_OK) {
        fail(case_dir, "load failed: %s%s", ferry_error_message(err), "");
        ferry_error_free(err);
        return 0;
    }
    int ok = view_matches(case_dir, m, view, ops);
    ferry_model_free(m);
    return ok;
}

static void check_case(const char *case_dir, void *ctx)
{
    tally *t = ctx;
    cJSON *m = fixture_manifest(case_dir);
    const char *kind = cJSON_GetStringValue(cJSON_GetObjectItem(m, "kind"));
    cJSON *view = cJSON_GetObjectItem(m, "tf_view");
    char path[4096];
    int ok = 1, checked = 0;
    if (kind && (!strcmp(kind, "saved_model") || !strcmp(kind, "meta_graph") || !strcmp(kind, "frozen_graph"))) {
        cJSON *ops = cJSON_GetObjectItem(view, "ops");
        if (!ops)
            ops = cJSON_GetObjectItem(m, "op_types");
        model_path(path, sizeof(path), case_dir, cJSON_GetStringValue(cJSON_GetObjectItem(m, "path")), t);
        ok &= load_and_check(case_dir, path, cJSON_GetObjectItem(m, "tags"), view, ops);
        checked = 1;
        /* The same model in other spellings (text .meta, .pbtxt, ...). */
        cJSON *alt;
        cJSON_ArrayForEach(alt, cJSON_GetObjectItem(m, "alternates"))
        {
            const char *rel = cJSON_GetStringValue(cJSON_GetObjectItem(alt, "path"));
            if (!rel)
                continue;
            model_path(path, sizeof(path), case_dir, rel, t);
            ok &= load_and_check(case_dir, path, cJSON_GetObjectItem(m, "tags"), view, NULL);
        }
    } else if (kind && !strcmp(kind, "broken")) {
        model_path(path, sizeof(path), case_dir, cJSON_GetStringValue(cJSON_GetObjectItem(m, "path")), t);
        ferry_model *model = NULL;
        ferry_error *err = NULL;
        ferry_status st = ferry_model_load(&model, path, NULL, &err);
        if (st != FERRY_ERR_NOT_FOUND || !strstr(ferry_error_message(err), "saved_model.pb"))
            ok = fail(case_dir, "a directory without saved_model.pb must fail to load: %s%s",
                      err ? ferry_error_message(err) : "it loaded", "");
        ferry_error_free(err);
        ferry_model_free(model);
        checked = 1;
    }
    cJSON_Delete(m);
    if (!checked)
        return;
    printf("%s %s\n", ok ? "ok  " : "FAIL", case_dir);
    if (ok)
        t->passed++;
    else
        t->failed++;
}

int main(void)
{
    tally fixtures = { 0, 0, NULL }, corpus = { 0, 0, FERRY_CORPUS };
    fixture_for_each_case(FERRY_FIXTURES, check_case, &fixtures);
    fixture_for_each_corpus_case(check_case, &corpus);
    int passed = fixtures.passed + corpus.passed, failed = fixtures.failed + corpus.failed;
    printf("model_fixtures: %d passed, %d failed\n", passed, failed);
    return failed || passed == 0;
}
