/* Every checkpoint in tests/fixtures and in the shared corpus lists and
 * reads with exactly what TensorFlow recorded in the case's manifest. */
#include <stdio.h>
#include <string.h>

#include <ferry/ferry.h>

#include "fixture.h"

typedef struct tally {
    int passed, failed, cases;
    const char *models_root; /* where model paths in the manifests point */
} tally;

static int check_variable(const ferry_checkpoint *c, const char *case_dir, cJSON *var,
                          double rtol, double atol)
{
    const char *name = cJSON_GetStringValue(cJSON_GetObjectItem(var, "name"));
    const ferry_variable_info *v = name ? ferry_checkpoint_find(c, name) : NULL;
    if (!v) {
        fprintf(stderr, "  %s: variable '%s' not listed\n", case_dir, name ? name : "?");
        return 0;
    }
    ferry_dtype want = fixture_dtype(cJSON_GetStringValue(cJSON_GetObjectItem(var, "dtype")));
    if (v->dtype != want) {
        fprintf(stderr, "  %s: '%s' has dtype %s, TF says %s\n", case_dir, name,
                ferry_dtype_name(v->dtype), ferry_dtype_name(want));
        return 0;
    }
    cJSON *shape = cJSON_GetObjectItem(var, "shape");
    int rank = cJSON_GetArraySize(shape);
    int same = rank == v->rank;
    for (int d = 0; same && d < rank; d++)
        same = (int64_t)cJSON_GetArrayItem(shape, d)->valuedouble == v->dims[d];
    if (!same) {
        fprintf(stderr, "  %s: '%s' has the wrong shape\n", case_dir, name);
        return 0;
    }
    const char *full_name = cJSON_GetStringValue(cJSON_GetObjectItem(var, "full_name"));
    if (full_name && full_name[0] && strcmp(full_name, v->full_name) != 0) {
        fprintf(stderr, "  %s: '%s' has full name '%s', TF says '%s'\n", case_dir, name,
                v->full_name, full_name);
        return 0;
    }
    cJSON *slot = cJSON_GetObjectItem(var, "slot");
    const char *slot_name = cJSON_GetStringValue(cJSON_GetObjectItem(slot, "slot_name"));
    if (slot_name && (!v->slot_name || strcmp(slot_name, v->slot_name) != 0)) {
        fprintf(stderr, "  %s: '%s' should be optimizer slot '%s'\n", case_dir, name, slot_name);
        return 0;
    }
    if (!slot && v->slot_name) {
        fprintf(stderr, "  %s: '%s' is not a slot variable\n", case_dir, name);
        return 0;
    }
    const char *file = cJSON_GetStringValue(cJSON_GetObjectItem(var, "file"));
    if (!file)
        return 1;
    char msg[512];
    ferry_tensor *expected = NULL, *got = NULL;
    if (fixture_tensor(&expected, case_dir, file, want, msg, sizeof(msg))) {
        fprintf(stderr, "  %s\n", msg);
        return 0;
    }
    ferry_error *err = NULL;
    int ok = 0;
    if (ferry_checkpoint_read(&got, c, name, &err) != FERRY_OK)
        fprintf(stderr, "  %s: reading '%s': %s\n", case_dir, name, ferry_error_message(err));
    else if (!(ok = fixture_tensors_match(got, expected, rtol, atol, msg, sizeof(msg))))
        fprintf(stderr, "  %s: '%s': %s\n", case_dir, name, msg);
    ferry_error_free(err);
    ferry_tensor_free(got);
    ferry_tensor_free(expected);
    return ok;
}

/* Which checkpoint a manifest describes, as a path to hand to ferry_checkpoint_open. */
static int checkpoint_path(char *out, size_t n, cJSON *m, const char *case_dir, const tally *t)
{
    const char *kind = cJSON_GetStringValue(cJSON_GetObjectItem(m, "kind"));
    const char *rel = NULL;
    if (kind && !strcmp(kind, "checkpoint"))
        rel = cJSON_GetStringValue(cJSON_GetObjectItem(m, "path"));
    else if (kind && !strcmp(kind, "meta_graph"))
        rel = cJSON_GetStringValue(cJSON_GetObjectItem(m, "checkpoint"));
    else if (kind && !strcmp(kind, "saved_model"))
        rel = cJSON_GetStringValue(cJSON_GetObjectItem(m, "path"));
    if (!rel)
        return 0;
    if (t->models_root) {
        const char *slash = strrchr(case_dir, '/');
        snprintf(out, n, "%s/%s/%s", t->models_root, slash ? slash + 1 : case_dir, rel);
    } else {
        snprintf(out, n, "%s/%s", case_dir, rel);
    }
    return 1;
}

static void check_case(const char *case_dir, void *ctx)
{
    tally *t = ctx;
    cJSON *m = fixture_manifest(case_dir);
    cJSON *vars = cJSON_GetObjectItem(m, "variables");
    char path[4096];
    if (!cJSON_IsArray(vars) || cJSON_GetArraySize(vars) == 0 || !checkpoint_path(path, sizeof(path), m, case_dir, t)) {
        cJSON_Delete(m);
        return;
    }
    cJSON *tol = cJSON_GetObjectItem(m, "tolerance");
    double rtol = cJSON_GetNumberValue(cJSON_GetObjectItem(tol, "rtol"));
    double atol = cJSON_GetNumberValue(cJSON_GetObjectItem(tol, "atol"));
    /* Checkpoint values are stored, not computed: they must match exactly. */
    (void)rtol;
    (void)atol;
    ferry_checkpoint *c = NULL;
    ferry_error *err = NULL;
    int ok = 1;
    if (ferry_checkpoint_open(&c, path, &err) != FERRY_OK) {
        fprintf(stderr, "  %s: %s\n", case_dir, ferry_error_message(err));
        ok = 0;
    } else {
        cJSON *var;
        int listed = 0;
        cJSON_ArrayForEach(var, vars)
        {
            ok &= check_variable(c, case_dir, var, 0, 0);
            listed++;
        }
        if ((size_t)listed != ferry_checkpoint_variable_count(c)) {
            fprintf(stderr, "  %s: Ferry lists %zu variables, TF %d\n", case_dir,
                    ferry_checkpoint_variable_count(c), listed);
            ok = 0;
        }
    }
    ferry_error_free(err);
    ferry_checkpoint_free(c);
    cJSON_Delete(m);
    printf("%s %s\n", ok ? "ok  " : "FAIL", case_dir);
    if (ok)
        t->passed++;
    else
        t->failed++;
}

int main(void)
{
    tally t = { 0, 0, 0, NULL };
    fixture_for_each_case(FERRY_FIXTURES, check_case, &t);
    tally corpus = { 0, 0, 0, FERRY_CORPUS };
    fixture_for_each_corpus_case(check_case, &corpus);
    int passed = t.passed + corpus.passed, failed = t.failed + corpus.failed;
    printf("checkpoint_fixtures: %d passed, %d failed\n", passed, failed);
    return failed || passed == 0;
}
