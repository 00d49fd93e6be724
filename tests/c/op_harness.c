/* The single-op harness (op_harness.h). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <stdlib.h>

#include "base/error.h"
#include "base/tensor.h"
#include "kernels/elementwise.h"
#include "op_harness.h"

void op_begin(op_case *r, const char *op, int nout)
{
    memset(r, 0, sizeof(*r));
    r->def = (Tensorflow__NodeDef)TENSORFLOW__NODE_DEF__INIT;
    r->def.name = (char *)"n";
    r->def.op = (char *)op;
    r->def.attr = r->entry_ptrs;
    r->node.name = "n";
    r->node.op = op;
    r->node.def = &r->def;
    r->nout = nout;
}

Tensorflow__AttrValue *attr(op_case *r, const char *key)
{
    size_t i = r->def.n_attr++;
    r->entries[i] = (Tensorflow__NodeDef__AttrEntry)TENSORFLOW__NODE_DEF__ATTR_ENTRY__INIT;
    r->entries[i].key = (char *)key;
    r->values[i] = (Tensorflow__AttrValue)TENSORFLOW__ATTR_VALUE__INIT;
    r->entries[i].value = &r->values[i];
    r->entry_ptrs[i] = &r->entries[i];
    return &r->values[i];
}

void attr_int(op_case *r, const char *key, int64_t v)
{
    Tensorflow__AttrValue *a = attr(r, key);
    a->value_case = TENSORFLOW__ATTR_VALUE__VALUE_I;
    a->i = v;
}

void attr_float(op_case *r, const char *key, float v)
{
    Tensorflow__AttrValue *a = attr(r, key);
    a->value_case = TENSORFLOW__ATTR_VALUE__VALUE_F;
    a->f = v;
}

void attr_bool(op_case *r, const char *key, int v)
{
    Tensorflow__AttrValue *a = attr(r, key);
    a->value_case = TENSORFLOW__ATTR_VALUE__VALUE_B;
    a->b = v;
}

void attr_type(op_case *r, const char *key, ferry_dtype v)
{
    Tensorflow__AttrValue *a = attr(r, key);
    a->value_case = TENSORFLOW__ATTR_VALUE__VALUE_TYPE;
    a->type = (Tensorflow__DataType)v;
}

void attr_string(op_case *r, const char *key, const char *v)
{
    Tensorflow__AttrValue *a = attr(r, key);
    a->value_case = TENSORFLOW__ATTR_VALUE__VALUE_S;
    a->s.data = (uint8_t *)v;
    a->s.len = strlen(v);
}

Tensorflow__AttrValue__ListValue *attr_list(op_case *r, const char *key)
{
    Tensorflow__AttrValue *a = attr(r, key);
    size_t i = (size_t)(a - r->values);
    r->lists[i] = (Tensorflow__AttrValue__ListValue)TENSORFLOW__ATTR_VALUE__LIST_VALUE__INIT;
    a->value_case = TENSORFLOW__ATTR_VALUE__VALUE_LIST;
    a->list = &r->lists[i];
    return a->list;
}

void attr_ints(op_case *r, const char *key, const int64_t *v, size_t n)
{
    Tensorflow__AttrValue__ListValue *l = attr_list(r, key);
    l->i = (int64_t *)v;
    l->n_i = n;
}

void attr_floats(op_case *r, const char *key, const float *v, size_t n)
{
    Tensorflow__AttrValue__ListValue *l = attr_list(r, key);
    l->f = (float *)v;
    l->n_f = n;
}

ferry_tensor *mk(ferry_dtype dt, int rank, const int64_t *dims, const void *data)
{
    ferry_tensor *t = NULL;
    if (ferry_tensor_new(&t, dt, dims, rank, NULL) != FERRY_OK)
        return NULL;
    if (t->nbytes && data)
        memcpy(t->data, data, t->nbytes);
    return t;
}

ferry_tensor *mk_strings(int rank, const int64_t *dims, const char *const *s)
{
    ferry_tensor *t = NULL;
    if (ferry_tensor_new(&t, FERRY_DT_STRING, dims, rank, NULL) != FERRY_OK)
        return NULL;
    for (int64_t i = 0; i < t->count; i++)
        ferry_tensor_set_string(t, i, s[i], strlen(s[i]), NULL);
    return t;
}

void op_in(op_case *r, ferry_tensor *t)
{
    r->in[r->nin++] = (fy_value){ .t = t, .owned = 1 };
}

ferry_status op_exec(op_case *r)
{
    const fy_op_def *k = fy_op_find(r->node.op);
    if (!k) {
        fprintf(stderr, "no kernel for %s\n", r->node.op);
        return FERRY_ERR_INTERNAL;
    }
    fy_kernel_ctx ctx = { .node = &r->node, .inputs = r->in, .input_count = r->nin, .outputs = r->out,
                          .output_count = r->nout, .err = &r->err, .pool = r->pool };
    return k->run(&ctx);
}

void op_end(op_case *r)
{
    for (int i = 0; i < r->nin; i++)
        ferry_tensor_free(r->in[i].t);
    for (int i = 0; i < r->nout; i++)
        if (r->out[i].owned)
            ferry_tensor_free(r->out[i].t);
    ferry_error_free(r->err);
}

int expect_tensor(const fy_value *v, ferry_dtype dt, int rank, const int64_t *dims, const void *data, const char *file,
                  int line)
{
    const ferry_tensor *t = v->t;
    if (!t) {
        fprintf(stderr, "%s:%d: no output tensor\n", file, line);
        return 0;
    }
    char want[128], have[128];
    fy_shape_format(want, sizeof(want), dims, rank);
    fy_shape_format(have, sizeof(have), t->dims, t->rank);
    if (t->dtype != dt || strcmp(want, have) != 0) {
        fprintf(stderr, "%s:%d: output is %s%s, expected %s%s\n", file, line, ferry_dtype_name(t->dtype), have,
                ferry_dtype_name(dt), want);
        return 0;
    }
    if (dt == FERRY_DT_STRING) {
        const char *const *s = data;
        const ferry_string *got = t->data;
        for (int64_t i = 0; i < t->count; i++)
            if (got[i].size != strlen(s[i]) || memcmp(got[i].data, s[i], got[i].size) != 0) {
                fprintf(stderr, "%s:%d: string %lld is \"%.*s\", expected \"%s\"\n", file, line, (long long)i,
                        (int)got[i].size, got[i].data, s[i]);
                return 0;
            }
        return 1;
    }
    if (t->nbytes && memcmp(t->data, data, t->nbytes) != 0) {
        size_t esz = ferry_dtype_size(dt);
        for (int64_t i = 0; i < t->count; i++)
            if (memcmp((const char *)t->data + i * esz, (const char *)data + i * esz, esz) != 0) {
                fprintf(stderr, "%s:%d: element %lld differs\n", file, line, (long long)i);
                break;
            }
        return 0;
    }
    return 1;
}

ferry_tensor *i32(int rank, const int64_t *dims, const int32_t *v) { return mk(FERRY_DT_INT32, rank, dims, v); }
ferry_tensor *i64(int rank, const int64_t *dims, const int64_t *v) { return mk(FERRY_DT_INT64, rank, dims, v); }
ferry_tensor *f32(int rank, const int64_t *dims, const float *v) { return mk(FERRY_DT_FLOAT, rank, dims, v); }
ferry_tensor *scalar_i32(int32_t v) { return mk(FERRY_DT_INT32, 0, NULL, &v); }

ferry_tensor *iota(int rank, const int64_t *dims)
{
    ferry_tensor *t = NULL;
    ferry_tensor_new(&t, FERRY_DT_INT32, dims, rank, NULL);
    for (int64_t i = 0; t && i < t->count; i++)
        ((int32_t *)t->data)[i] = (int32_t)i;
    return t;
}

void attr_strings(op_case *r, const char *key, ProtobufCBinaryData *v, size_t n)
{
    Tensorflow__AttrValue__ListValue *l = attr_list(r, key);
    l->s = v;
    l->n_s = n;
}

ferry_tensor *op_input(op_case *c, ferry_dtype dtype, const int64_t *dims, int rank, const void *data)
{
    ferry_tensor *t = NULL;
    ferry_error *err = NULL;
    if (ferry_tensor_new(&t, dtype, dims, rank, &err) != FERRY_OK) {
        fprintf(stderr, "tensor: %s\n", ferry_error_message(err));
        ferry_error_free(err);
        abort();
    }
    if (data && t->nbytes)
        memcpy(t->data, data, t->nbytes);
    op_in(c, t);
    return t;
}

double pattern(int64_t i, int seed)
{
    return (double)(((i + seed) * 37) % 19 - 9) * 0.125;
}

ferry_tensor *op_input_pattern(op_case *c, ferry_dtype dtype, const int64_t *dims, int rank, int seed)
{
    ferry_tensor *t = op_input(c, dtype, dims, rank, NULL);
    for (int64_t i = 0; i < t->count; i++) {
        if (dtype == FERRY_DT_FLOAT)
            ((float *)t->data)[i] = (float)pattern(i, seed);
        else if (dtype == FERRY_DT_DOUBLE)
            ((double *)t->data)[i] = pattern(i, seed);
        else if (dtype == FERRY_DT_HALF)
            ((uint16_t *)t->data)[i] = fy_float_to_half((float)pattern(i, seed));
    }
    return t;
}

ferry_tensor *op_input_floats(op_case *c, const int64_t *dims, int rank, const float *v)
{
    return op_input(c, FERRY_DT_FLOAT, dims, rank, v);
}

ferry_tensor *op_input_ints(op_case *c, const int64_t *dims, int rank, const int32_t *v)
{
    return op_input(c, FERRY_DT_INT32, dims, rank, v);
}

ferry_tensor *op_input_scalar_int(op_case *c, int32_t v)
{
    return op_input(c, FERRY_DT_INT32, NULL, 0, &v);
}

ferry_status op_call(op_case *c, int nout, ferry_error **err)
{
    const fy_op_def *k = fy_op_find(c->node.op);
    c->nout = nout;
    if (!k)
        return fy_fail(err, FERRY_ERR_NOT_FOUND, "no kernel for %s", c->node.op);
    fy_kernel_ctx ctx = { .node = &c->node, .inputs = c->in, .input_count = c->nin, .outputs = c->out,
                          .output_count = nout, .err = err };
    return k->run(&ctx);
}

int same_shape(const ferry_tensor *t, ferry_dtype dtype, const int64_t *dims, int rank)
{
    if (!t || t->dtype != dtype || t->rank != rank || (rank && memcmp(t->dims, dims, (size_t)rank * sizeof(int64_t)))) {
        char have[128] = "(none)", want[128];
        if (t)
            fy_shape_format(have, sizeof(have), t->dims, t->rank);
        fy_shape_format(want, sizeof(want), dims, rank);
        fprintf(stderr, "  output is %s%s, expected %s%s\n", t ? ferry_dtype_name(t->dtype) : "", have,
                ferry_dtype_name(dtype), want);
        return 0;
    }
    return 1;
}

int close_to(double got, double want, double rtol, double atol)
{
    if (isnan(want) || isnan(got))
        return isnan(want) && isnan(got);
    if (isinf(want) || isinf(got))
        return got == want;
    return fabs(got - want) <= rtol * fabs(want) + atol;
}

int check_values(const ferry_tensor *t, const double *want, int64_t n, double rtol, double atol)
{
    if (t->count != n) {
        fprintf(stderr, "  %lld values, expected %lld\n", (long long)t->count, (long long)n);
        return 0;
    }
    for (int64_t i = 0; i < n; i++) {
        double got = t->dtype == FERRY_DT_FLOAT ? ((const float *)t->data)[i]
                   : t->dtype == FERRY_DT_DOUBLE ? ((const double *)t->data)[i]
                   : t->dtype == FERRY_DT_HALF ? fy_half_to_float(((const uint16_t *)t->data)[i])
                   : t->dtype == FERRY_DT_INT32 ? ((const int32_t *)t->data)[i]
                   : t->dtype == FERRY_DT_INT64 ? (double)((const int64_t *)t->data)[i]
                   : t->dtype == FERRY_DT_BOOL ? ((const uint8_t *)t->data)[i]
                                               : NAN;
        if (!close_to(got, want[i], rtol, atol)) {
            fprintf(stderr, "  element %lld is %.9g, expected %.9g\n", (long long)i, got, want[i]);
            return 0;
        }
    }
    return 1;
}

int floats_match(const ferry_tensor *t, const float *want, size_t n, const int64_t *dims, int rank)
{
    if (!same_shape(t, FERRY_DT_FLOAT, dims, rank))
        return 0;
    double w[1024];
    for (size_t i = 0; i < n && i < 1024; i++)
        w[i] = want[i];
    return n <= 1024 && check_values(t, w, (int64_t)n, 1e-5, 1e-6);
}


int ints_match(const ferry_tensor *t, ferry_dtype dtype, const int64_t *want, size_t n)
{
    if (!t || t->dtype != dtype || t->count != (int64_t)n)
        return 0;
    for (size_t i = 0; i < n; i++) {
        int64_t got = dtype == FERRY_DT_INT8 ? ((const int8_t *)t->data)[i]
                    : dtype == FERRY_DT_INT32 ? ((const int32_t *)t->data)[i]
                    : dtype == FERRY_DT_INT64 ? ((const int64_t *)t->data)[i]
                                              : ((const uint8_t *)t->data)[i];
        if (got != want[i]) {
            fprintf(stderr, "  element %zu is %lld, expected %lld\n", i, (long long)got, (long long)want[i]);
            return 0;
        }
    }
    return 1;
}
