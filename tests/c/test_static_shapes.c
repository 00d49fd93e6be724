/* Static shape rules against TensorFlow: for every op-conformance case of
 * the named families (tests/ops/<family>/cases.json) where TF ran, the
 * shapes Ferry infers for the fetches before any run (where it infers a
 * dim) must be the shapes of TF's outputs.
 *
 *   test_static_shapes                 the families in `checked` (CTest)
 *   test_static_shapes array nn ...    the named ones */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/model_internal.h"
#include "fixture.h"
#include "runtime/shapes.h"

#define OPS_DIR FERRY_SOURCE_DIR "/tests/ops"

/* The families checked by default: every family of tests/ops. */
static const char *const checked[] = { "array", "image", "linalg", "math", "nn", "random", "signal", "strings" };

/* Whether inferred shape s allows TF's shape (a JSON array): the same rank
 * and every known dim equal, or nothing known. */
static int agrees(const fy_shape *s, const cJSON *shape)
{
    if (s->rank < 0)
        return 1;
    if (s->rank != cJSON_GetArraySize(shape))
        return 0;
    for (int d = 0; d < s->rank; d++)
        if (s->dims[d] >= 0 && s->dims[d] != (int64_t)cJSON_GetArrayItem(shape, d)->valuedouble)
            return 0;
    return 1;
}

/* Checks one case; the number of fetches whose shape disagrees (or 1 when
 * the case cannot be planned). */
static int check_case(const char *dir, const cJSON *c, int *known_dims)
{
    const char *name = cJSON_GetStringValue(cJSON_GetObjectItem(c, "name"));
    char path[1400];
    snprintf(path, sizeof path, "%s/%s", dir, cJSON_GetStringValue(cJSON_GetObjectItem(c, "graph")));
    const cJSON *feeds = cJSON_GetObjectItem(c, "feeds"), *fetches = cJSON_GetObjectItem(c, "fetches");
    const cJSON *expect = cJSON_GetObjectItem(c, "expect");
    int nfeed = cJSON_GetArraySize(feeds), nfetch = cJSON_GetArraySize(fetches), bad = 0;
    const char **feed_names = calloc((size_t)nfeed + 1, sizeof(char *));
    const char **fetch_names = calloc((size_t)nfetch + 1, sizeof(char *));
    for (int i = 0; i < nfeed; i++)
        feed_names[i] = cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetArrayItem(feeds, i), "name"));
    for (int i = 0; i < nfetch; i++)
        fetch_names[i] = cJSON_GetStringValue(cJSON_GetArrayItem(fetches, i));
    ferry_model *m = NULL;
    ferry_error *err = NULL;
    fy_plan *p = NULL;
    fy_shape *all = NULL;
    if (ferry_model_load(&m, path, NULL, &err) != FERRY_OK ||
        fy_plan_build(&p, &m->runtime, feed_names, nfeed, fetch_names, nfetch, NULL, 0, &err) != FERRY_OK ||
        !(all = malloc((size_t)p->slot_count * sizeof(fy_shape))) ||
        fy_plan_infer_shapes(p, &m->runtime, all, &err) != FERRY_OK) {
        printf("FAIL %s: %s\n", name, err ? ferry_error_message(err) : "out of memory");
        bad = 1;
    }
    for (int i = 0; !bad && i < nfetch; i++) {
        const fy_shape *s = &all[p->slot_base[p->fetches[i].node] + p->fetches[i].index];
        const cJSON *want = cJSON_GetObjectItem(cJSON_GetArrayItem(expect, i), "shape");
        for (int d = 0; d < s->rank; d++)
            *known_dims += s->dims[d] >= 0;
        if (!agrees(s, want)) {
            char have[128], *tf = cJSON_PrintUnformatted(want);
            fy_shape_format(have, sizeof have, s->dims, s->rank);
            printf("FAIL %s: fetch %s inferred %s, TF gave %s\n", name, fetch_names[i], have, tf);
            free(tf);
            bad++;
        }
    }
    free(all);
    fy_plan_free(p);
    ferry_model_free(m);
    ferry_error_free(err);
    free(feed_names);
    free(fetch_names);
    return bad;
}

int main(int argc, char **argv)
{
    int cases = 0, bad = 0, known_dims = 0, nfam = argc > 1 ? argc - 1 : (int)(sizeof checked / sizeof *checked);
    const char *const *families = argc > 1 ? (const char *const *)argv + 1 : checked;
    for (int f = 0; f < nfam; f++) {
        char dir[1024], path[1100];
        snprintf(dir, sizeof dir, "%s/%s", OPS_DIR, families[f]);
        snprintf(path, sizeof path, "%s/cases.json", dir);
        char *text = fixture_read_file(path, NULL);
        cJSON *m = text ? cJSON_Parse(text) : NULL;
        free(text);
        if (!m) {
            printf("FAIL %s: no cases.json\n", families[f]);
            bad++;
            continue;
        }
        const cJSON *c;
        cJSON_ArrayForEach(c, cJSON_GetObjectItem(m, "cases"))
        {
            if (!cJSON_GetObjectItem(c, "expect"))
                continue;
            cases++;
            bad += check_case(dir, c, &known_dims) != 0;
        }
        cJSON_Delete(m);
    }
    printf("static shapes: %d cases, %d disagree with TF, %d dims inferred\n", cases, bad, known_dims);
    /* a run that infers nothing checks nothing */
    return bad || !known_dims ? 1 : 0;
}
