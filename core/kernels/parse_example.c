/* ParseExample and ParseExampleV2: serialized tf.Example records into
 * dense and sparse tensors, as Estimator-era serving signatures do. */
#include <stdlib.h>
#include <string.h>

#include "example.pb-c.h"
#include "kernels/kernel.h"

typedef Tensorflow__Example Example;
typedef Tensorflow__Feature Feature;

#define MAX_FEATURES 1024

/* The spec of one parse: keys, types, shapes and defaults. */
typedef struct parse_spec {
    int sparse_count, dense_count;
    const ferry_string *sparse_keys[MAX_FEATURES], *dense_keys[MAX_FEATURES];
    ferry_dtype sparse_types[MAX_FEATURES], dense_types[MAX_FEATURES];
    const Tensorflow__TensorShapeProto *dense_shapes[MAX_FEATURES];
    const ferry_tensor *dense_defaults[MAX_FEATURES];
} parse_spec;

static const Feature *find_feature(const Example *ex, const ferry_string *key)
{
    const Tensorflow__Features *f = ex ? ex->features : NULL;
    for (size_t i = 0; f && i < f->n_feature; i++) {
        const char *k = f->feature[i]->key;
        if (strlen(k) == key->size && !memcmp(k, key->data, key->size))
            return f->feature[i]->value;
    }
    return NULL;
}

/* How many values a feature holds, checking it has the expected type. */
static int feature_count(const Feature *f, ferry_dtype dtype, size_t *count)
{
    *count = 0;
    if (!f || f->kind_case == TENSORFLOW__FEATURE__KIND__NOT_SET)
        return 1;
    switch (dtype) {
    case FERRY_DT_FLOAT:
        if (f->kind_case != TENSORFLOW__FEATURE__KIND_FLOAT_LIST)
            return 0;
        *count = f->float_list->n_value;
        return 1;
    case FERRY_DT_INT64:
        if (f->kind_case != TENSORFLOW__FEATURE__KIND_INT64_LIST)
            return 0;
        *count = f->int64_list->n_value;
        return 1;
    case FERRY_DT_STRING:
        if (f->kind_case != TENSORFLOW__FEATURE__KIND_BYTES_LIST)
            return 0;
        *count = f->bytes_list->n_value;
        return 1;
    default:
        return 0;
    }
}

/* Copies value k of a feature into element o of out. */
static ferry_status put(ferry_tensor *out, int64_t o, const Feature *f, size_t k, ferry_error **err)
{
    switch (out->dtype) {
    case FERRY_DT_FLOAT: ((float *)out->data)[o] = f->float_list->value[k]; return FERRY_OK;
    case FERRY_DT_INT64: ((int64_t *)out->data)[o] = f->int64_list->value[k]; return FERRY_OK;
    default: {
        ProtobufCBinaryData b = f->bytes_list->value[k];
        return fy_tensor_set_string(out, o, b.data, b.len, err);
    }
    }
}

static ferry_status copy_default(ferry_tensor *out, int64_t o, const ferry_tensor *d, int64_t k, ferry_error **err)
{
    if (out->dtype == FERRY_DT_STRING) {
        const ferry_string *s = (const ferry_string *)d->data + k;
        return fy_tensor_set_string(out, o, s->data, s->size, err);
    }
    size_t w = ferry_dtype_size(out->dtype);
    memcpy((char *)out->data + (size_t)o * w, (const char *)d->data + (size_t)k * w, w);
    return FERRY_OK;
}

static ferry_status parse_dense(fy_kernel_ctx *ctx, const parse_spec *sp, int j, Example **ex, int64_t batch,
                                int batched, int out_index)
{
    const Tensorflow__TensorShapeProto *sh = sp->dense_shapes[j];
    int rank = sh ? (int)sh->n_dim : 0;
    if (rank + 1 > FERRY_MAX_RANK)
        return fy_kernel_fail(ctx, FERRY_ERR_UNSUPPORTED, "dense shape of rank %d", rank);
    int64_t stride = 1;
    int variable = rank > 0 && sh->dim[0]->size < 0;
    for (int d = variable ? 1 : 0; d < rank; d++) {
        if (sh->dim[d]->size < 0)
            return fy_kernel_fail(ctx, FERRY_ERR_UNSUPPORTED, "dense feature with unknown inner dims");
        stride *= sh->dim[d]->size;
    }
    const ferry_tensor *dflt = sp->dense_defaults[j];
    /* Variable-length features are padded to the longest in the batch. */
    int64_t rows = variable ? 0 : 1;
    for (int64_t b = 0; variable && b < batch; b++) {
        size_t n;
        const Feature *f = find_feature(ex[b], sp->dense_keys[j]);
        if (!feature_count(f, sp->dense_types[j], &n) || (stride && n % (size_t)stride))
            return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "feature '%.*s' of example %lld has a bad length",
                                  (int)sp->dense_keys[j]->size, sp->dense_keys[j]->data, (long long)b);
        if (stride && (int64_t)(n / (size_t)stride) > rows)
            rows = (int64_t)(n / (size_t)stride);
    }
    int64_t dims[FERRY_MAX_RANK];
    int r = 0;
    if (batched)
        dims[r++] = batch;
    for (int d = 0; d < rank; d++)
        dims[r++] = variable && d == 0 ? rows : sh->dim[d]->size;
    ferry_tensor *out = fy_output_new(ctx, out_index, sp->dense_types[j], dims, r);
    if (!out)
        return FERRY_ERR_OUT_OF_MEMORY;
    int64_t per = variable ? rows * stride : stride;
    for (int64_t b = 0; b < batch; b++) {
        const Feature *f = find_feature(ex[b], sp->dense_keys[j]);
        size_t n;
        if (!feature_count(f, sp->dense_types[j], &n))
            return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "feature '%.*s' of example %lld has the wrong type",
                                  (int)sp->dense_keys[j]->size, sp->dense_keys[j]->data, (long long)b);
        if (n == 0 && !variable && dflt->count == 0)
            return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "feature '%.*s' is required but example %lld lacks it",
                                  (int)sp->dense_keys[j]->size, sp->dense_keys[j]->data, (long long)b);
        if (n != 0 && !variable && (int64_t)n != stride)
            return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT,
                                  "feature '%.*s' of example %lld has %zu values, expected %lld",
                                  (int)sp->dense_keys[j]->size, sp->dense_keys[j]->data, (long long)b, n,
                                  (long long)stride);
        for (int64_t k = 0; k < per; k++) {
            ferry_status st;
            if ((size_t)k < n)
                st = put(out, b * per + k, f, (size_t)k, ctx->err);
            else if (dflt->count == 0)
                return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "feature '%.*s' needs a default to pad with",
                                      (int)sp->dense_keys[j]->size, sp->dense_keys[j]->data);
            else
                st = copy_default(out, b * per + k, dflt, dflt->count == 1 ? 0 : k % dflt->count, ctx->err);
            if (st)
                return st;
        }
    }
    return FERRY_OK;
}

static ferry_status parse_sparse(fy_kernel_ctx *ctx, const parse_spec *sp, int j, Example **ex, int64_t batch,
                                 int batched, int first_output)
{
    size_t total = 0, longest = 0;
    for (int64_t b = 0; b < batch; b++) {
        size_t n;
        if (!feature_count(find_feature(ex[b], sp->sparse_keys[j]), sp->sparse_types[j], &n))
            return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "feature '%.*s' of example %lld has the wrong type",
                                  (int)sp->sparse_keys[j]->size, sp->sparse_keys[j]->data, (long long)b);
        total += n;
        if (n > longest)
            longest = n;
    }
    int index_rank = batched ? 2 : 1;
    int64_t idims[2] = { (int64_t)total, index_rank }, vdims[1] = { (int64_t)total }, sdims[1] = { index_rank };
    ferry_tensor *indices = fy_output_new(ctx, first_output + j, FERRY_DT_INT64, idims, 2);
    ferry_tensor *values = indices ? fy_output_new(ctx, first_output + sp->sparse_count + j, sp->sparse_types[j], vdims, 1) : NULL;
    ferry_tensor *shape = values ? fy_output_new(ctx, first_output + 2 * sp->sparse_count + j, FERRY_DT_INT64, sdims, 1) : NULL;
    if (!shape)
        return FERRY_ERR_OUT_OF_MEMORY;
    int64_t *ix = indices->data, *sv = shape->data;
    if (batched) {
        sv[0] = batch;
        sv[1] = (int64_t)longest;
    } else {
        sv[0] = (int64_t)longest;
    }
    int64_t o = 0;
    for (int64_t b = 0; b < batch; b++) {
        const Feature *f = find_feature(ex[b], sp->sparse_keys[j]);
        size_t n;
        feature_count(f, sp->sparse_types[j], &n);
        for (size_t k = 0; k < n; k++, o++) {
            if (batched) {
                ix[2 * o] = b;
                ix[2 * o + 1] = (int64_t)k;
            } else {
                ix[o] = (int64_t)k;
            }
            ferry_status st = put(values, o, f, k, ctx->err);
            if (st)
                return st;
        }
    }
    return FERRY_OK;
}

static ferry_status parse(fy_kernel_ctx *ctx, const parse_spec *sp, const ferry_tensor *serialized)
{
    if (serialized->dtype != FERRY_DT_STRING || serialized->rank > 1)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "serialized must be a string scalar or vector");
    int batched = serialized->rank == 1;
    int64_t batch = serialized->count;
    Example **ex = calloc((size_t)batch + 1, sizeof(Example *));
    if (!ex)
        return fy_kernel_fail(ctx, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    const ferry_string *s = serialized->data;
    ferry_status st = FERRY_OK;
    for (int64_t b = 0; b < batch; b++) {
        ex[b] = tensorflow__example__unpack(NULL, s[b].size, (const uint8_t *)s[b].data);
        if (!ex[b]) {
            st = fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "example %lld is not a serialized tf.Example", (long long)b);
            break;
        }
    }
    for (int j = 0; !st && j < sp->sparse_count; j++)
        st = parse_sparse(ctx, sp, j, ex, batch, batched, 0);
    for (int j = 0; !st && j < sp->dense_count; j++)
        st = parse_dense(ctx, sp, j, ex, batch, batched, 3 * sp->sparse_count + j);
    for (int64_t b = 0; b < batch; b++)
        if (ex[b])
            tensorflow__example__free_unpacked(ex[b], NULL);
    free(ex);
    return st;
}

/* Type list attr as dtypes (at most cap). */
static int attr_types(const fy_node *n, const char *name, ferry_dtype *out, int cap)
{
    const Tensorflow__AttrValue *v = fy_node_attr(n, name);
    if (!v || v->value_case != TENSORFLOW__ATTR_VALUE__VALUE_LIST)
        return 0;
    int k = 0;
    for (size_t i = 0; i < v->list->n_type && k < cap; i++)
        out[k++] = (ferry_dtype)v->list->type[i];
    return k;
}

static int attr_shapes(const fy_node *n, const Tensorflow__TensorShapeProto **out, int cap)
{
    const Tensorflow__AttrValue *v = fy_node_attr(n, "dense_shapes");
    if (!v || v->value_case != TENSORFLOW__ATTR_VALUE__VALUE_LIST)
        return 0;
    int k = 0;
    for (size_t i = 0; i < v->list->n_shape && k < cap; i++)
        out[k++] = v->list->shape[i];
    return k;
}

static ferry_status check_spec(fy_kernel_ctx *ctx, const parse_spec *sp, int shapes)
{
    if (shapes != sp->dense_count)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "%d dense keys but %d dense shapes", sp->dense_count, shapes);
    for (int j = 0; j < sp->dense_count; j++)
        if (!sp->dense_defaults[j] || sp->dense_defaults[j]->dtype != sp->dense_types[j])
            return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "dense default %d does not match its type", j);
    return FERRY_OK;
}

/* Types and shapes from the attrs, checked, then the parse. */
static ferry_status run_spec(fy_kernel_ctx *ctx, parse_spec *sp)
{
    attr_types(ctx->node, "sparse_types", sp->sparse_types, MAX_FEATURES);
    attr_types(ctx->node, "Tdense", sp->dense_types, MAX_FEATURES);
    int shapes = attr_shapes(ctx->node, sp->dense_shapes, MAX_FEATURES);
    ferry_status st = check_spec(ctx, sp, shapes);
    const ferry_tensor *serialized = st ? NULL : fy_input(ctx, 0);
    return serialized ? parse(ctx, sp, serialized) : (st ? st : FERRY_ERR_INVALID_ARGUMENT);
}

static const ferry_string *scalar_key(fy_kernel_ctx *ctx, int input)
{
    const ferry_tensor *k = ctx->inputs[input].t;
    return k && k->dtype == FERRY_DT_STRING && k->count == 1 ? k->data : NULL;
}

/* ParseExample: keys are separate scalar inputs. */
static ferry_status parse_example_v1(fy_kernel_ctx *ctx, parse_spec *sp)
{
    sp->sparse_count = (int)fy_attr_int(ctx->node, "Nsparse", 0);
    sp->dense_count = (int)fy_attr_int(ctx->node, "Ndense", 0);
    if (sp->sparse_count < 0 || sp->dense_count < 0 || sp->sparse_count > MAX_FEATURES ||
        sp->dense_count > MAX_FEATURES || ctx->input_count != 2 + sp->sparse_count + 2 * sp->dense_count)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "inputs do not match Nsparse and Ndense");
    int in = 2;
    for (int j = 0; j < sp->sparse_count; j++)
        if (!(sp->sparse_keys[j] = scalar_key(ctx, in++)))
            return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "sparse key %d must be a string scalar", j);
    for (int j = 0; j < sp->dense_count; j++)
        if (!(sp->dense_keys[j] = scalar_key(ctx, in++)))
            return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "dense key %d must be a string scalar", j);
    for (int j = 0; j < sp->dense_count; j++)
        sp->dense_defaults[j] = ctx->inputs[in++].t;
    return run_spec(ctx, sp);
}

/* ParseExampleV2: keys come as string vectors; no ragged features yet. */
static ferry_status parse_example_v2(fy_kernel_ctx *ctx, parse_spec *sp)
{
    const ferry_tensor *sparse = ctx->input_count > 2 ? ctx->inputs[2].t : NULL;
    const ferry_tensor *dense = ctx->input_count > 3 ? ctx->inputs[3].t : NULL;
    const ferry_tensor *ragged = ctx->input_count > 4 ? ctx->inputs[4].t : NULL;
    if (!sparse || !dense || !ragged || sparse->dtype != FERRY_DT_STRING || dense->dtype != FERRY_DT_STRING)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "keys must be string vectors");
    if (ragged->count > 0)
        return fy_kernel_fail(ctx, FERRY_ERR_UNSUPPORTED, "ragged features are not supported yet");
    sp->sparse_count = (int)sparse->count;
    sp->dense_count = (int)dense->count;
    if (sp->sparse_count > MAX_FEATURES || sp->dense_count > MAX_FEATURES || ctx->input_count != 5 + sp->dense_count)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "inputs do not match the keys");
    for (int j = 0; j < sp->sparse_count; j++)
        sp->sparse_keys[j] = (const ferry_string *)sparse->data + j;
    for (int j = 0; j < sp->dense_count; j++) {
        sp->dense_keys[j] = (const ferry_string *)dense->data + j;
        sp->dense_defaults[j] = ctx->inputs[5 + j].t;
    }
    return run_spec(ctx, sp);
}

/* The spec is large; it lives on the heap for one call. */
static ferry_status with_spec(fy_kernel_ctx *ctx, ferry_status (*fn)(fy_kernel_ctx *, parse_spec *))
{
    parse_spec *sp = calloc(1, sizeof(*sp));
    if (!sp)
        return fy_kernel_fail(ctx, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    ferry_status st = fn(ctx, sp);
    free(sp);
    return st;
}

static ferry_status k_parse_example(fy_kernel_ctx *ctx) { return with_spec(ctx, parse_example_v1); }
static ferry_status k_parse_example_v2(fy_kernel_ctx *ctx) { return with_spec(ctx, parse_example_v2); }

const fy_op_def fy_kernels_parse[] = {
    { .name = "ParseExample", .run = k_parse_example,
      .outputs = "sparse_indices:Nsparse,sparse_values:sparse_types,sparse_shapes:Nsparse,dense_values:Tdense", .traits = FY_OP_DYNAMIC_SHAPE },
    { .name = "ParseExampleV2", .run = k_parse_example_v2,
      .outputs = "sparse_indices:num_sparse,sparse_values:sparse_types,sparse_shapes:num_sparse,dense_values:Tdense," "ragged_values:ragged_value_types,ragged_row_splits:ragged_split_types", .traits = FY_OP_DYNAMIC_SHAPE },
    { .name = NULL },
};
