/* Running signatures and feed/fetch requests through the C ABI. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/model_internal.h"
#include "api/options.h"
#include "base/error.h"
#include "base/file.h"
#include "base/tensor.h"
#include "runtime/passes.h"
#include "runtime/run.h"

/* Declared shapes are checked where they say something: a declared
 * scalar is not enforced, since TensorFlow itself accepts other shapes
 * for signatures exported without shapes. */
static ferry_status check_input(const ferry_tensor_info *info, ferry_dtype dtype, const ferry_tensor *t,
                                ferry_error **err)
{
    if (!t)
        return fy_fail(err, FERRY_ERR_INVALID_ARGUMENT, "input '%s' is NULL", info->name);
    if (dtype != FERRY_DT_INVALID && t->dtype != dtype)
        return fy_fail(err, FERRY_ERR_INVALID_ARGUMENT, "input '%s' must be %s, given %s", info->name,
                       ferry_dtype_name(dtype), ferry_dtype_name(t->dtype));
    if (info->rank <= 0)
        return FERRY_OK;
    int ok = t->rank == info->rank;
    for (int d = 0; ok && d < info->rank; d++)
        ok = info->dims[d] < 0 || info->dims[d] == t->dims[d];
    if (!ok) {
        char want[160], have[160];
        fy_shape_format(want, sizeof(want), info->dims, info->rank);
        fy_shape_format(have, sizeof(have), t->dims, t->rank);
        return fy_fail(err, FERRY_ERR_INVALID_ARGUMENT, "input '%s' must have shape %s (-1: any), given %s",
                       info->name, want, have);
    }
    return FERRY_OK;
}

/* What ends a run early, from the caller's options (NULL: nothing). */
static ferry_status run_bounds(fy_bounds *b, const ferry_run_options *given, ferry_error **err)
{
    ferry_run_options o;
    ferry_status st = fy_run_options_read(&o, given, err);
    if (st)
        return st;
    b->cancel = fy_cancel_flag(o.cancel);
    b->deadline_ns = 0;
    if (o.timeout_ms > 0) {
        int64_t now = fy_monotonic_ns();
        b->deadline_ns = o.timeout_ms > (INT64_MAX - now) / 1000000 ? INT64_MAX : now + o.timeout_ms * 1000000;
    }
    return FERRY_OK;
}

/* Runs a plan; on failure frees the outputs it allocated, leaving those slots NULL. */
static ferry_status run_plan(const fy_plan *plan, ferry_model *m, const ferry_tensor *const *feeds,
                             ferry_tensor **outputs, size_t count, const ferry_run_options *options,
                             ferry_error **err)
{
    fy_bounds bounds;
    ferry_status st = run_bounds(&bounds, options, err);
    if (st)
        return st;
    unsigned char *given = calloc(count + 1, 1);
    if (!given)
        return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    for (size_t i = 0; i < count; i++)
        given[i] = outputs[i] != NULL;
    st = fy_plan_run(plan, &m->runtime, feeds, outputs, bounds.cancel || bounds.deadline_ns ? &bounds : NULL, err);
    if (st)
        for (size_t i = 0; i < count; i++)
            if (!given[i]) {
                ferry_tensor_free(outputs[i]);
                outputs[i] = NULL;
            }
    free(given);
    return st;
}

ferry_status ferry_signature_run(ferry_tensor **outputs, const ferry_signature *sig,
                                 const char *const *input_names, const ferry_tensor *const *inputs,
                                 size_t input_count, ferry_error **err)
{
    return ferry_signature_run_v2(outputs, sig, input_names, inputs, input_count, NULL, err);
}

ferry_status ferry_signature_run_v2(ferry_tensor **outputs, const ferry_signature *sig,
                                    const char *const *input_names, const ferry_tensor *const *inputs,
                                    size_t input_count, const ferry_run_options *options, ferry_error **err)
{
    FY_API_ENTRY(err);
    if (!sig || (!outputs && sig->output_count) || (input_count && (!input_names || !inputs)))
        return fy_fail(err, FERRY_ERR_INVALID_ARGUMENT, "ferry_signature_run: outputs, signature and inputs are required");
    ferry_model *m = (ferry_model *)sig->model;
    if (!m->has_runtime)
        return fy_fail(err, FERRY_ERR_INVALID_ARGUMENT, "signature '%s': the model was loaded with FERRY_LOAD_METADATA_ONLY",
                       sig->key);
    if (!sig->plan)
        return fy_fail(err, FERRY_ERR_UNSUPPORTED, "signature '%s' cannot be run: %s", sig->key,
                       sig->not_runnable ? sig->not_runnable : "it was not prepared");
    const ferry_tensor **ordered = calloc(sig->input_count + 1, sizeof(ferry_tensor *));
    if (!ordered)
        return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    ferry_status st = FERRY_OK;
    for (size_t i = 0; !st && i < input_count; i++) {
        size_t k = 0;
        while (k < sig->input_count && strcmp(sig->inputs[k].name, input_names[i] ? input_names[i] : "") != 0)
            k++;
        if (k == sig->input_count)
            st = fy_fail(err, FERRY_ERR_NOT_FOUND, "signature '%s' has no input '%s'", sig->key,
                         input_names[i] ? input_names[i] : "(null)");
        else if (ordered[k])
            st = fy_fail(err, FERRY_ERR_INVALID_ARGUMENT, "input '%s' is given twice", input_names[i]);
        else if (!(st = check_input(&sig->inputs[k], sig->feed_dtypes[k], inputs[i], err)))
            ordered[k] = inputs[i];
    }
    for (size_t k = 0; !st && k < sig->input_count; k++)
        if (!ordered[k])
            st = fy_fail(err, FERRY_ERR_INVALID_ARGUMENT, "signature '%s' needs input '%s'", sig->key,
                         sig->inputs[k].name);
    if (!st)
        st = run_plan(sig->plan, m, ordered, outputs, sig->output_count, options, err);
    if (st)
        fy_error_prefix(err, "signature '%s'", sig->key);
    free(ordered);
    return st;
}

/* "a,b|c|d" identifies a feed/fetch/target combination. */
static char *plan_key(const char *const *feeds, size_t nf, const char *const *fetches, size_t nt,
                      const char *const *targets, size_t ng)
{
    size_t len = 4;
    for (size_t i = 0; i < nf; i++)
        len += strlen(feeds[i]) + 1;
    for (size_t i = 0; i < nt; i++)
        len += strlen(fetches[i]) + 1;
    for (size_t i = 0; i < ng; i++)
        len += strlen(targets[i]) + 1;
    char *key = malloc(len);
    if (!key)
        return NULL;
    key[0] = '\0';
    const char *const *lists[3] = { feeds, fetches, targets };
    size_t counts[3] = { nf, nt, ng };
    for (int l = 0; l < 3; l++) {
        for (size_t i = 0; i < counts[l]; i++) {
            strcat(key, lists[l][i]);
            strcat(key, "\n");
        }
        strcat(key, "|");
    }
    return key;
}

static ferry_status cached_plan(const fy_plan **out, ferry_model *m, const char *const *feeds, size_t nf,
                                const char *const *fetches, size_t nt, const char *const *targets, size_t ng,
                                ferry_error **err)
{
    char *key = plan_key(feeds, nf, fetches, nt, targets, ng);
    if (!key)
        return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    pthread_mutex_lock(&m->plans_lock);
    fy_cached_plan *c = m->plans;
    while (c && strcmp(c->key, key) != 0)
        c = c->next;
    ferry_status st = FERRY_OK;
    if (!c) {
        fy_plan *plan = NULL;
        st = fy_passes_plan(&plan, &m->runtime, feeds, (int)nf, fetches, (int)nt, targets, (int)ng, err);
        c = st ? NULL : calloc(1, sizeof(*c));
        if (!st && !c) {
            fy_plan_free(plan);
            st = fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
        }
        if (c) {
            c->key = key;
            key = NULL;
            c->plan = plan;
            c->next = m->plans;
            m->plans = c;
        }
    }
    pthread_mutex_unlock(&m->plans_lock);
    free(key);
    if (!st)
        *out = c->plan;
    return st;
}

ferry_status ferry_model_run(ferry_tensor **outputs, const ferry_model *model, const char *const *feed_names,
                             const ferry_tensor *const *feeds, size_t feed_count, const char *const *fetch_names,
                             size_t fetch_count, const char *const *target_names, size_t target_count,
                             ferry_error **err)
{
    return ferry_model_run_v2(outputs, model, feed_names, feeds, feed_count, fetch_names, fetch_count, target_names,
                              target_count, NULL, err);
}

ferry_status ferry_model_run_v2(ferry_tensor **outputs, const ferry_model *model, const char *const *feed_names,
                                const ferry_tensor *const *feeds, size_t feed_count, const char *const *fetch_names,
                                size_t fetch_count, const char *const *target_names, size_t target_count,
                                const ferry_run_options *options, ferry_error **err)
{
    FY_API_ENTRY(err);
    if (!model || (fetch_count && (!outputs || !fetch_names)) || (feed_count && (!feed_names || !feeds)) ||
        (target_count && !target_names))
        return fy_fail(err, FERRY_ERR_INVALID_ARGUMENT, "ferry_model_run: a required argument is NULL");
    ferry_model *m = (ferry_model *)model;
    if (!m->has_runtime)
        return fy_fail(err, FERRY_ERR_INVALID_ARGUMENT, "the model was loaded with FERRY_LOAD_METADATA_ONLY");
    for (size_t i = 0; i < feed_count; i++)
        if (!feed_names[i] || !feeds[i])
            return fy_fail(err, FERRY_ERR_INVALID_ARGUMENT, "feed %zu is NULL", i);
    for (size_t i = 0; i < fetch_count; i++)
        if (!fetch_names[i])
            return fy_fail(err, FERRY_ERR_INVALID_ARGUMENT, "fetch %zu is NULL", i);
    for (size_t i = 0; i < target_count; i++)
        if (!target_names[i])
            return fy_fail(err, FERRY_ERR_INVALID_ARGUMENT, "target %zu is NULL", i);
    const fy_plan *plan = NULL;
    ferry_status st = cached_plan(&plan, m, feed_names, feed_count, fetch_names, fetch_count, target_names,
                                  target_count, err);
    if (!st)
        st = run_plan(plan, m, feeds, outputs, fetch_count, options, err);
    return st;
}
