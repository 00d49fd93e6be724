/* The math and neural-network kernels called directly, against values
 * TensorFlow 2.21 computed for the same inputs (hard-coded below), and
 * against the errors hostile shapes and attributes must give. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include <ferry/ferry.h>

#include "base/tensor.h"
#include "check.h"
#include "kernels/elementwise.h"
#include "kernels/fast_math.h"
#include "runtime/runtime.h"

/* ---- a node, its attributes and its inputs ------------------------------ */

#define MAX_ATTRS 8
#define MAX_IO 8

typedef struct op_case {
    Tensorflow__NodeDef def;
    Tensorflow__NodeDef__AttrEntry entries[MAX_ATTRS];
    Tensorflow__NodeDef__AttrEntry *entry_ptrs[MAX_ATTRS];
    Tensorflow__AttrValue values[MAX_ATTRS];
    Tensorflow__AttrValue__ListValue lists[MAX_ATTRS];
    char strings[MAX_ATTRS][64];
    fy_node node;
    fy_value in[MAX_IO], out[MAX_IO];
    int n_in;
} op_case;

static void op_init(op_case *c, const char *op)
{
    memset(c, 0, sizeof(*c));
    tensorflow__node_def__init(&c->def);
    c->def.name = "n";
    c->def.op = (char *)op;
    c->def.attr = c->entry_ptrs;
    c->node.name = "n";
    c->node.op = op;
    c->node.def = &c->def;
}

static Tensorflow__AttrValue *attr_add(op_case *c, const char *key)
{
    size_t i = c->def.n_attr++;
    tensorflow__node_def__attr_entry__init(&c->entries[i]);
    tensorflow__attr_value__init(&c->values[i]);
    c->entries[i].key = (char *)key;
    c->entries[i].value = &c->values[i];
    c->entry_ptrs[i] = &c->entries[i];
    return &c->values[i];
}

static void attr_int(op_case *c, const char *key, int64_t v)
{
    Tensorflow__AttrValue *a = attr_add(c, key);
    a->value_case = TENSORFLOW__ATTR_VALUE__VALUE_I;
    a->i = v;
}

static void attr_float(op_case *c, const char *key, float v)
{
    Tensorflow__AttrValue *a = attr_add(c, key);
    a->value_case = TENSORFLOW__ATTR_VALUE__VALUE_F;
    a->f = v;
}

static void attr_bool(op_case *c, const char *key, int v)
{
    Tensorflow__AttrValue *a = attr_add(c, key);
    a->value_case = TENSORFLOW__ATTR_VALUE__VALUE_B;
    a->b = v;
}

static void attr_type(op_case *c, const char *key, ferry_dtype v)
{
    Tensorflow__AttrValue *a = attr_add(c, key);
    a->value_case = TENSORFLOW__ATTR_VALUE__VALUE_TYPE;
    a->type = (Tensorflow__DataType)v;
}

static void attr_str(op_case *c, const char *key, const char *v)
{
    Tensorflow__AttrValue *a = attr_add(c, key);
    char *copy = c->strings[c->def.n_attr - 1];
    snprintf(copy, sizeof(c->strings[0]), "%s", v);
    a->value_case = TENSORFLOW__ATTR_VALUE__VALUE_S;
    a->s.data = (uint8_t *)copy;
    a->s.len = strlen(copy);
}

static void attr_ints(op_case *c, const char *key, const int64_t *v, size_t n)
{
    Tensorflow__AttrValue *a = attr_add(c, key);
    Tensorflow__AttrValue__ListValue *l = &c->lists[c->def.n_attr - 1];
    tensorflow__attr_value__list_value__init(l);
    l->n_i = n;
    l->i = (int64_t *)v;
    a->value_case = TENSORFLOW__ATTR_VALUE__VALUE_LIST;
    a->list = l;
}

/* A list-of-strings attr (the strings must outlive the case). */
static void attr_strs(op_case *c, const char *key, ProtobufCBinaryData *v, size_t n)
{
    Tensorflow__AttrValue *a = attr_add(c, key);
    Tensorflow__AttrValue__ListValue *l = &c->lists[c->def.n_attr - 1];
    tensorflow__attr_value__list_value__init(l);
    l->n_s = n;
    l->s = v;
    a->value_case = TENSORFLOW__ATTR_VALUE__VALUE_LIST;
    a->list = l;
}

#define INTS(...) (const int64_t[]){ __VA_ARGS__ }, sizeof((const int64_t[]){ __VA_ARGS__ }) / sizeof(int64_t)
#define DIMS(...) (const int64_t[]){ __VA_ARGS__ }, (int)(sizeof((const int64_t[]){ __VA_ARGS__ }) / sizeof(int64_t))
#define SCALAR NULL, 0

/* Adds an input of the given shape; data (count elements) may be NULL for zeros. */
static ferry_tensor *input(op_case *c, ferry_dtype dtype, const int64_t *dims, int rank, const void *data)
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
    c->in[c->n_in++] = (fy_value){ .t = t, .owned = 1 };
    return t;
}

/* The pattern the generator used: ((i + seed) * 37 % 19 - 9) / 8, exact in float. */
static double pattern(int64_t i, int seed)
{
    return (double)(((i + seed) * 37) % 19 - 9) * 0.125;
}

static ferry_tensor *input_pattern(op_case *c, ferry_dtype dtype, const int64_t *dims, int rank, int seed)
{
    ferry_tensor *t = input(c, dtype, dims, rank, NULL);
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

static ferry_tensor *input_floats(op_case *c, const int64_t *dims, int rank, const float *v)
{
    return input(c, FERRY_DT_FLOAT, dims, rank, v);
}

static ferry_tensor *input_ints(op_case *c, const int64_t *dims, int rank, const int32_t *v)
{
    return input(c, FERRY_DT_INT32, dims, rank, v);
}

static ferry_tensor *input_scalar_int(op_case *c, int32_t v)
{
    return input(c, FERRY_DT_INT32, NULL, 0, &v);
}

/* Runs the op's kernel with n_out outputs. */
static ferry_status op_run(op_case *c, int n_out, ferry_error **err)
{
    const fy_op_def *k = fy_op_find(c->node.op);
    if (!k)
        return fy_fail(err, FERRY_ERR_NOT_FOUND, "no kernel for %s", c->node.op);
    fy_kernel_ctx ctx = { .node = &c->node, .inputs = c->in, .input_count = c->n_in, .outputs = c->out,
                          .output_count = n_out, .err = err };
    return k->run(&ctx);
}

static void op_free(op_case *c)
{
    for (int i = 0; i < MAX_IO; i++) {
        if (c->in[i].owned)
            ferry_tensor_free(c->in[i].t);
        if (c->out[i].owned)
            ferry_tensor_free(c->out[i].t);
    }
}

/* ---- comparing results -------------------------------------------------- */

static int same_shape(const ferry_tensor *t, ferry_dtype dtype, const int64_t *dims, int rank)
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

static int close_to(double got, double want, double rtol, double atol)
{
    if (isnan(want) || isnan(got))
        return isnan(want) && isnan(got);
    if (isinf(want) || isinf(got))
        return got == want;
    return fabs(got - want) <= rtol * fabs(want) + atol;
}

static int check_values(const ferry_tensor *t, const double *want, int64_t n, double rtol, double atol)
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

/* Float outputs within 1e-5 relative of TF's (the fixtures' bar). */
static int floats_match(const ferry_tensor *t, const float *want, size_t n, const int64_t *dims, int rank)
{
    if (!same_shape(t, FERRY_DT_FLOAT, dims, rank))
        return 0;
    double w[1024];
    for (size_t i = 0; i < n && i < 1024; i++)
        w[i] = want[i];
    return n <= 1024 && check_values(t, w, (int64_t)n, 1e-5, 1e-6);
}

#define CHECK_FLOATS(t, want, shape) CHECK(floats_match((t), (want), sizeof(want) / sizeof((want)[0]), shape))

static int ints_match(const ferry_tensor *t, ferry_dtype dtype, const int64_t *want, size_t n)
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

#define CHECK_INTS(t, dtype, ...) CHECK(ints_match((t), (dtype), INTS(__VA_ARGS__)))

/* ---- unary math --------------------------------------------------------- */

typedef struct unary_case {
    const char *op;
    float in[8], out[8];
} unary_case;

typedef struct unary_case_f64 {
    const char *op;
    double in[8], out[8];
} unary_case_f64;

static const unary_case unary_f32_cases[] = {
    { "Neg", { -2.5f, -1.25f, -0.5f, -0.125f, 0.0f, 0.375f, 1.5f, 3.0f },
      { 2.5f, 1.25f, 0.5f, 0.125f, -0.0f, -0.375f, -1.5f, -3.0f } },
    { "Abs", { -2.5f, -1.25f, -0.5f, -0.125f, 0.0f, 0.375f, 1.5f, 3.0f },
      { 2.5f, 1.25f, 0.5f, 0.125f, 0.0f, 0.375f, 1.5f, 3.0f } },
    { "Square", { -2.5f, -1.25f, -0.5f, -0.125f, 0.0f, 0.375f, 1.5f, 3.0f },
      { 6.25f, 1.5625f, 0.25f, 0.015625f, 0.0f, 0.140625f, 2.25f, 9.0f } },
    { "Sqrt", { 0.125f, 0.25f, 0.5f, 1.0f, 1.5f, 2.0f, 4.0f, 9.0f },
      { 0.353553385f, 0.5f, 0.707106769f, 1.0f, 1.22474492f, 1.41421354f, 2.0f, 3.0f } },
    { "Rsqrt", { 0.125f, 0.25f, 0.5f, 1.0f, 1.5f, 2.0f, 4.0f, 9.0f },
      { 2.82842684f, 1.99999976f, 1.41421342f, 0.999999881f, 0.816496551f, 0.707106709f, 0.49999994f, 0.333333313f } },
    { "Reciprocal", { 0.125f, 0.25f, 0.5f, 1.0f, 1.5f, 2.0f, 4.0f, 9.0f },
      { 7.99999952f, 3.99999976f, 1.99999988f, 0.99999994f, 0.666666627f, 0.49999997f, 0.249999985f, 0.111111104f } },
    { "Inv", { -2.5f, -1.25f, -0.5f, -0.125f, 0.0f, 0.375f, 1.5f, 3.0f },
      { -0.399999976f, -0.799999952f, -1.99999988f, -7.99999952f, INFINITY, 2.66666651f, 0.666666627f, 0.333333313f } },
    { "Exp", { -2.5f, -1.25f, -0.5f, -0.125f, 0.0f, 0.375f, 1.5f, 3.0f },
      { 0.0820849985f, 0.286504805f, 0.606530666f, 0.882496893f, 1.0f, 1.45499146f, 4.48168898f, 20.085537f } },
    { "Expm1", { -2.5f, -1.25f, -0.5f, -0.125f, 0.0f, 0.375f, 1.5f, 3.0f },
      { -0.917914987f, -0.713495195f, -0.393469334f, -0.117503107f, 0.0f, 0.45499143f, 3.48168898f, 19.085537f } },
    { "Log", { 0.125f, 0.25f, 0.5f, 1.0f, 1.5f, 2.0f, 4.0f, 9.0f },
      { -2.07944155f, -1.38629436f, -0.693147182f, 0.0f, 0.405465096f, 0.693147182f, 1.38629436f, 2.19722462f } },
    { "Log1p", { -0.899999976f, -0.5f, -0.25f, 0.0f, 0.100000001f, 0.5f, 0.75f, 0.99000001f },
      { -2.30258489f, -0.693147182f, -0.287682086f, 0.0f, 0.0953101814f, 0.405465096f, 0.559615791f, 0.68813467f } },
    { "Sin", { -2.5f, -1.25f, -0.5f, -0.125f, 0.0f, 0.375f, 1.5f, 3.0f },
      { -0.598472178f, -0.948984623f, -0.47942555f, -0.12467473f, 0.0f, 0.366272539f, 0.997494996f, 0.141120002f } },
    { "Cos", { -2.5f, -1.25f, -0.5f, -0.125f, 0.0f, 0.375f, 1.5f, 3.0f },
      { -0.801143587f, 0.315322369f, 0.87758255f, 0.992197692f, 1.0f, 0.9305076f, 0.070737198f, -0.989992499f } },
    { "Tan", { -0.899999976f, -0.5f, -0.25f, 0.0f, 0.100000001f, 0.5f, 0.75f, 0.99000001f },
      { -1.26015818f, -0.546302497f, -0.255341917f, 0.0f, 0.100334674f, 0.546302497f, 0.931596458f, 1.52367675f } },
    { "Asin", { -0.899999976f, -0.5f, -0.25f, 0.0f, 0.100000001f, 0.5f, 0.75f, 0.99000001f },
      { -1.11976957f, -0.523598731f, -0.252680272f, 0.0f, 0.100167416f, 0.523598731f, 0.848062158f, 1.42925692f } },
    { "Acos", { -0.899999976f, -0.5f, -0.25f, 0.0f, 0.100000001f, 0.5f, 0.75f, 0.99000001f },
      { 2.69056582f, 2.09439516f, 1.82347679f, 1.57079637f, 1.47062874f, 1.04719758f, 0.722734272f, 0.14153941f } },
    { "Atan", { -2.5f, -1.25f, -0.5f, -0.125f, 0.0f, 0.375f, 1.5f, 3.0f },
      { -1.19028997f, -0.8960554f, -0.463647544f, -0.124354988f, 0.0f, 0.358770639f, 0.982793748f, 1.24904585f } },
    { "Sinh", { -2.5f, -1.25f, -0.5f, -0.125f, 0.0f, 0.375f, 1.5f, 3.0f },
      { -6.05020475f, -1.60191917f, -0.521095276f, -0.125325769f, 0.0f, 0.383851051f, 2.12927938f, 10.0178747f } },
    { "Cosh", { -2.5f, -1.25f, -0.5f, -0.125f, 0.0f, 0.375f, 1.5f, 3.0f },
      { 6.13228941f, 1.8884238f, 1.12762594f, 1.00782263f, 1.0f, 1.07114029f, 2.3524096f, 10.0676622f } },
    { "Tanh", { -2.5f, -1.25f, -0.5f, -0.125f, 0.0f, 0.375f, 1.5f, 3.0f },
      { -0.986614347f, -0.848283708f, -0.462117136f, -0.124353014f, 0.0f, 0.3583574f, 0.905148327f, 0.995054722f } },
    { "Asinh", { -2.5f, -1.25f, -0.5f, -0.125f, 0.0f, 0.375f, 1.5f, 3.0f },
      { -1.64723122f, -1.047593f, -0.481211841f, -0.124676749f, 0.0f, 0.36672461f, 1.19476318f, 1.81844652f } },
    { "Acosh", { 1.0f, 1.25f, 1.5f, 2.0f, 3.0f, 5.0f, 8.0f, 10.0f },
      { 0.0f, 0.693147182f, 0.962423682f, 1.31695795f, 1.76274717f, 2.29243159f, 2.76865935f, 2.99322295f } },
    { "Atanh", { -0.899999976f, -0.5f, -0.25f, 0.0f, 0.100000001f, 0.5f, 0.75f, 0.99000001f },
      { -1.47221935f, -0.549306154f, -0.255412817f, 0.0f, 0.100335352f, 0.549306154f, 0.972955108f, 2.64665294f } },
    { "Sigmoid", { -20.0f, -14.5f, -13.5f, -0.5f, 0.0f, 1.0f, 14.5f, 20.0f },
      { 2.06115414e-09f, 5.04347497e-07f, 1.37095708e-06f, 0.377540678f, 0.5f, 0.731058538f, 0.999999523f, 1.0f } },
    { "Erf", { -2.5f, -1.25f, -0.5f, -0.125f, 0.0f, 0.375f, 1.5f, 3.0f },
      { -0.99959296f, -0.922900259f, -0.520499885f, -0.140316188f, 0.0f, 0.404116869f, 0.966105103f, 0.999978006f } },
    { "Erfc", { -2.5f, -1.25f, -0.5f, -0.125f, 0.0f, 0.375f, 1.5f, 3.0f },
      { 1.99959302f, 1.92290008f, 1.52049994f, 1.14031625f, 1.0f, 0.595883131f, 0.0338948555f, 2.20904967e-05f } },
    { "Lgamma", { 0.125f, 0.25f, 0.5f, 1.0f, 1.5f, 2.0f, 4.0f, 9.0f },
      { 2.01941848f, 1.28802252f, 0.572364926f, 0.0f, -0.120782234f, 0.0f, 1.79175949f, 10.6046028f } },
    { "Floor", { -2.5f, -1.5f, -0.5f, 0.5f, 1.5f, 2.5f, 2.4000001f, -2.5999999f },
      { -3.0f, -2.0f, -1.0f, 0.0f, 1.0f, 2.0f, 2.0f, -3.0f } },
    { "Ceil", { -2.5f, -1.5f, -0.5f, 0.5f, 1.5f, 2.5f, 2.4000001f, -2.5999999f },
      { -2.0f, -1.0f, -0.0f, 1.0f, 2.0f, 3.0f, 3.0f, -2.0f } },
    { "Round", { -2.5f, -1.5f, -0.5f, 0.5f, 1.5f, 2.5f, 2.4000001f, -2.5999999f },
      { -2.0f, -2.0f, -0.0f, 0.0f, 2.0f, 2.0f, 2.0f, -3.0f } },
    { "Rint", { -2.5f, -1.5f, -0.5f, 0.5f, 1.5f, 2.5f, 2.4000001f, -2.5999999f },
      { -2.0f, -2.0f, -0.0f, 0.0f, 2.0f, 2.0f, 2.0f, -3.0f } },
    { "Sign", { -2.5f, -1.25f, -0.5f, -0.125f, 0.0f, 0.375f, 1.5f, 3.0f },
      { -1.0f, -1.0f, -1.0f, -1.0f, 0.0f, 1.0f, 1.0f, 1.0f } },
    { "Relu", { -2.5f, -1.25f, -0.5f, -0.125f, 0.0f, 0.375f, 1.5f, 3.0f },
      { 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.375f, 1.5f, 3.0f } },
    { "Relu6", { -3.0f, -2.75f, -2.5f, -2.0f, -1.0f, 1.0f, 4.0f, 6.0f },
      { 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 1.0f, 4.0f, 6.0f } },
    { "Elu", { -2.5f, -1.25f, -0.5f, -0.125f, 0.0f, 0.375f, 1.5f, 3.0f },
      { -0.917914987f, -0.713495195f, -0.393469334f, -0.117503107f, 0.0f, 0.375f, 1.5f, 3.0f } },
    { "Selu", { -2.5f, -1.25f, -0.5f, -0.125f, 0.0f, 0.375f, 1.5f, 3.0f },
      { -1.61378574f, -1.25439537f, -0.691758156f, -0.206582129f, 0.0f, 0.394012868f, 1.57605147f, 3.15210295f } },
    { "LeakyRelu", { -2.5f, -1.25f, -0.5f, -0.125f, 0.0f, 0.375f, 1.5f, 3.0f },
      { -0.75f, -0.375f, -0.150000006f, -0.0375000015f, 0.0f, 0.375f, 1.5f, 3.0f } },
    { "Softplus", { -20.0f, -14.5f, -13.5f, -0.5f, 0.0f, 1.0f, 14.5f, 20.0f },
      { 2.06115369e-09f, 5.04347668e-07f, 1.3709581e-06f, 0.474076986f, 0.693147182f, 1.31326163f, 14.5f, 20.0f } },
    { "Softsign", { -2.5f, -1.25f, -0.5f, -0.125f, 0.0f, 0.375f, 1.5f, 3.0f },
      { -0.714285731f, -0.555555582f, -0.333333343f, -0.111111112f, 0.0f, 0.272727281f, 0.600000024f, 0.75f } },
};
static const unary_case_f64 unary_f64_cases[] = {
    { "Tanh", { -30.0, -2.5, -0.5, 0.0, 0.75, 2.0, 15.0, 40.0 },
      { -1.0, -0.9866142981514302, -0.46211715726000979, 0.0,
        0.6351489523872873, 0.9640275800758169, 0.99999999999981271, 1.0 } },
    { "Sigmoid", { -30.0, -2.5, -0.5, 0.0, 0.75, 2.0, 15.0, 40.0 },
      { 9.3576229688393001e-14, 0.07585818002124356, 0.37754066879814546, 0.5,
        0.67917869917539297, 0.88079707797788243, 0.99999969409777312, 1.0 } },
    { "Softplus", { -30.0, -2.5, -0.5, 0.0, 0.75, 2.0, 15.0, 40.0 },
      { 9.3576229688397368e-14, 0.078889734292549626, 0.47407698418010669, 0.69314718055994529,
        1.1368710061148999, 2.1269280110429722, 15.000000305902272, 40.0 } },
    { "Erfc", { -30.0, -2.5, -0.5, 0.0, 0.75, 2.0, 15.0, 40.0 },
      { 2.0, 1.999593047982555, 1.5204998778130467, 1.0,
        0.2888443663464848, 0.0046777349810472662, 7.2129941724512078e-100, 0.0 } },
    { "Exp", { -30.0, -2.5, -0.5, 0.0, 0.75, 2.0, 15.0, 40.0 },
      { 9.3576229688401748e-14, 0.0820849986238988, 0.60653065971263342, 1.0,
        2.1170000166126748, 7.3890560989306504, 3269017.3724721107, 2.3538526683701997e+17 } },
};

static void unary_float32_ops_match_tensorflow(void)
{
    for (size_t k = 0; k < sizeof(unary_f32_cases) / sizeof(unary_f32_cases[0]); k++) {
        const unary_case *u = &unary_f32_cases[k];
        op_case c;
        op_init(&c, u->op);
        if (!strcmp(u->op, "LeakyRelu"))
            attr_float(&c, "alpha", 0.3f);
        input_floats(&c, DIMS(2, 4), u->in);
        CHECK_OK(op_run(&c, 1, err_));
        if (!floats_match(c.out[0].t, u->out, 8, DIMS(2, 4))) {
            fprintf(stderr, "  op %s\n", u->op);
            CHECK(0);
        }
        op_free(&c);
    }
}

/* ULPs between two floats of the same sign (a huge number across signs). */
static int64_t ulps_apart(float a, float b)
{
    int32_t x, y;
    memcpy(&x, &a, sizeof(x));
    memcpy(&y, &b, sizeof(y));
    if ((x < 0) != (y < 0))
        return a == b ? 0 : INT64_MAX;
    return x > y ? (int64_t)x - y : (int64_t)y - x;
}

/* Float tanh, sigmoid and erfc (vectorized, kernels/fast_math.h) through
 * the kernels, against double-precision libm rounded to float:
 * every float from -120 to 120 in steps of 2^-9 (and a sweep of tiny ones),
 * within 4 ULPs (subnormal results within 2^-149 absolute); NaN, infinities
 * and -0 too. */
static void vectorized_maps_stay_within_ulps(void)
{
    static const char *const ops[3] = { "Tanh", "Sigmoid", "Erfc" };
    enum { N = 2 * 120 * 512 + 1 + 200 };
    float *x = malloc(N * sizeof(float));
    for (int i = 0; i < N - 200; i++)
        x[i] = -120.0f + (float)i / 512.0f;
    for (int i = 0; i < 200; i++)
        x[N - 200 + i] = ldexpf(i % 2 ? -1.0f : 1.0f, -(i / 2) - 1); /* +-2^-1 .. +-2^-100 */
    for (int op = 0; op < 3; op++) {
        op_case c;
        op_init(&c, ops[op]);
        input_floats(&c, DIMS(N), x);
        CHECK_OK(op_run(&c, 1, err_));
        const float *y = c.out[0].t ? c.out[0].t->data : NULL;
        int64_t worst = 0;
        for (int i = 0; y && i < N; i++) {
            double v = x[i];
            float want = (float)(op == 0 ? tanh(v) : op == 1 ? 1.0 / (1.0 + exp(-v)) : erfc(v));
            int64_t d = ulps_apart(y[i], want);
            if (fabsf(want) < 1.2e-38f && fabsf(y[i] - want) <= 1.4e-45f)
                d = 0;
            if (d > worst)
                worst = d;
            if (d > 4) {
                fprintf(stderr, "  %s(%.9g) = %.9g, want %.9g\n", ops[op], v, y[i], want);
                check_current_failed = 1;
                break;
            }
        }
        printf("  %s: at most %lld ULPs from libm\n", ops[op], (long long)worst);
        op_free(&c);
    }
    free(x);
    float special[4] = { NAN, INFINITY, -INFINITY, -0.0f };
    for (int op = 0; op < 3; op++) {
        op_case c;
        op_init(&c, ops[op]);
        input_floats(&c, DIMS(1, 4), special);
        CHECK_OK(op_run(&c, 1, err_));
        const float *y = c.out[0].t ? c.out[0].t->data : NULL;
        CHECK(y && isnan(y[0]));
        if (op == 2)
            CHECK(y && y[1] == 0.0f && y[2] == 2.0f && y[3] == 1.0f);
        else
            CHECK(y && y[1] == 1.0f && y[2] == (op ? 0.0f : -1.0f));
        if (op < 2)
            CHECK(y && (op ? y[3] == 0.5f : (y[3] == 0.0f && signbit(y[3]))));
        op_free(&c);
    }
}

/* e^x for x <= 0 (softmax's exponentials) within 2 ULPs of libm's double
 * exp, subnormal results included, and NaN kept. */
static void exp_of_nonpositive_stays_within_ulps(void)
{
    enum { N = 120 * 1024 + 1 };
    float *x = malloc(N * sizeof(float)), *y = malloc(N * sizeof(float));
    for (int i = 0; x && i < N; i++)
        x[i] = -(float)i / 1024.0f;
    volatile int64_t count = N; /* a constant count trips a false GCC warning once inlined */
    if (x && y)
        fy_exp_nonpositive_array_f32(x, y, count);
    int64_t worst = 0;
    for (int i = 0; x && y && i < N; i++) {
        float want = (float)exp((double)x[i]);
        int64_t d = ulps_apart(y[i], want);
        if (d > worst)
            worst = d;
    }
    printf("  exp (x <= 0): at most %lld ULPs from libm\n", (long long)worst);
    CHECK(worst <= 2);
    float special[3] = { NAN, -INFINITY, 0.0f }, out[3];
    fy_exp_nonpositive_array_f32(special, out, 3);
    CHECK(isnan(out[0]) && out[1] == 0.0f && out[2] == 1.0f);
    free(x);
    free(y);
}

/* The AVX-512 tanh, sigmoid and erfc give the baseline's bits (on a CPU that
 * has AVX-512; elsewhere there is nothing to compare). */
static void vector_targets_agree(void)
{
#ifdef FY_AVX512
    if (!fy_cpu_has_avx512())
        return;
    enum { N = 1 << 16 };
    float *x = malloc(N * sizeof(float)), *a = malloc(N * sizeof(float)), *b = malloc(N * sizeof(float));
    for (int i = 0; x && i < N; i++)
        x[i] = (float)(i - N / 2) / 256.0f; /* -128 .. 128 */
    if (x) {
        x[0] = NAN;
        x[1] = INFINITY;
        x[2] = -INFINITY;
        x[3] = -0.0f;
        x[4] = 1e-30f;
        x[5] = -3e-39f;
    }
    static void (*const base[4])(const float *, float *, int64_t) = { fy_tanh_array_f32, fy_sigmoid_array_f32,
                                                                       fy_erfc_array_f32,
                                                                       fy_exp_nonpositive_array_f32 };
    static void (*const wide[4])(const float *, float *, int64_t) = {
        fy_tanh_array_f32_avx512, fy_sigmoid_array_f32_avx512, fy_erfc_array_f32_avx512,
        fy_exp_nonpositive_array_f32_avx512
    };
    volatile int64_t count = N; /* a constant count trips a false GCC warning once inlined */
    for (int f = 0; f < 4; f++) {
        if (f == 3 && x) /* exp of x <= 0 only: make the positive half negative */
            for (int i = N / 2 + 1; i < N; i++)
                x[i] = -x[i];
        int same = x && a && b;
        if (same) {
            base[f](x, a, count);
            wide[f](x, b, count);
            same = !memcmp(a, b, N * sizeof(float));
        }
        if (!same)
            fprintf(stderr, "  map %d differs\n", f);
        CHECK(same);
    }
    free(x);
    free(a);
    free(b);
#endif
}

static void unary_float64_ops_match_tensorflow(void)
{
    for (size_t k = 0; k < sizeof(unary_f64_cases) / sizeof(unary_f64_cases[0]); k++) {
        const unary_case_f64 *u = &unary_f64_cases[k];
        op_case c;
        op_init(&c, u->op);
        input(&c, FERRY_DT_DOUBLE, DIMS(8), u->in);
        CHECK_OK(op_run(&c, 1, err_));
        if (!same_shape(c.out[0].t, FERRY_DT_DOUBLE, DIMS(8)) || !check_values(c.out[0].t, u->out, 8, 1e-13, 1e-300)) {
            fprintf(stderr, "  op %s\n", u->op);
            CHECK(0);
        }
        op_free(&c);
    }
}

/* Half and bfloat16 compute in float and round once; TF rounds after
 * each half-precision step, so its results may be a couple of units in
 * the last place away (up to 0.2% in half, 1.6% in bfloat16). */
static void unary_half_and_bfloat16_round_like_tensorflow(void)
{
    static const struct {
        const char *op;
        ferry_dtype dtype;
        uint16_t in[8], out[8];
    } cases[] = {
        { "Sigmoid", FERRY_DT_HALF, { 0xcd00, 0xc600, 0xbe00, 0xb400, 0x0000, 0x3800, 0x4200, 0x4880 },
          { 0x0000, 0x1910, 0x31d7, 0x3701, 0x3800, 0x38fb, 0x3b9f, 0x3c00 } },
        /* Softplus switches to exp(x) at half's own threshold, log(eps) + 2. */
        { "Softplus", FERRY_DT_HALF, { 0xcd00, 0xc600, 0xbe00, 0xb400, 0x0000, 0x3800, 0x4200, 0x4880 },
          { 0x0000, 0x1912, 0x3272, 0x389c, 0x398c, 0x3bcb, 0x4219, 0x4880 } },
        { "Tanh", FERRY_DT_HALF, { 0xcd00, 0xc600, 0xbe00, 0xb400, 0x0000, 0x3800, 0x4200, 0x4880 },
          { 0xbc00, 0xbc00, 0xbb3e, 0xb3d6, 0x0000, 0x3765, 0x3bf6, 0x3c00 } },
        { "Exp", FERRY_DT_BFLOAT16, { 0xc1a0, 0xc0c0, 0xbfc0, 0xbe80, 0x0000, 0x3f00, 0x4040, 0x4110 },
          { 0x310e, 0x3b22, 0x3e64, 0x3f47, 0x3f80, 0x3fd3, 0x41a1, 0x45fd } },
        { "Elu", FERRY_DT_BFLOAT16, { 0xc1a0, 0xc0c0, 0xbfc0, 0xbe80, 0x0000, 0x3f00, 0x4040, 0x4110 },
          { 0xbf80, 0xbf7f, 0xbf47, 0xbe64, 0x0000, 0x3f00, 0x4040, 0x4110 } },
    };
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        op_case c;
        op_init(&c, cases[k].op);
        input(&c, cases[k].dtype, DIMS(8), cases[k].in);
        CHECK_OK(op_run(&c, 1, err_));
        const ferry_tensor *t = c.out[0].t;
        CHECK(t && t->dtype == cases[k].dtype && t->count == 8);
        for (int i = 0; t && i < 8; i++)
            if (abs((int)((const uint16_t *)t->data)[i] - (int)cases[k].out[i]) > 2) {
                fprintf(stderr, "  %s element %d is 0x%04x, expected 0x%04x\n", cases[k].op, i,
                        ((const uint16_t *)t->data)[i], cases[k].out[i]);
                CHECK(0);
            }
        op_free(&c);
    }
}

/* Integers wrap in two's complement, as TF's do. */
static void unary_integers_wrap(void)
{
    static const int8_t x8[] = { -128, -7, -1, 0, 1, 5, 6, 127 };
    static const int32_t x32[] = { INT32_MIN, 65536, -46341, 3 };
    static const int64_t x64[] = { INT64_MIN, 3037000500, -5 };
    const char *ops[] = { "Neg", "Abs", "Square", "Sign", "Relu", "Relu6", "Round" };
    static const int64_t want8[][8] = {
        { -128, 7, 1, 0, -1, -5, -6, -127 }, { -128, 7, 1, 0, 1, 5, 6, 127 }, { 0, 49, 1, 0, 1, 25, 36, 1 },
        { -1, -1, -1, 0, 1, 1, 1, 1 },       { 0, 0, 0, 0, 1, 5, 6, 127 },    { 0, 0, 0, 0, 1, 5, 6, 6 },
        { -128, -7, -1, 0, 1, 5, 6, 127 },
    };
    for (int k = 0; k < 7; k++) {
        op_case c;
        op_init(&c, ops[k]);
        input(&c, FERRY_DT_INT8, DIMS(8), x8);
        CHECK_OK(op_run(&c, 1, err_));
        CHECK(ints_match(c.out[0].t, FERRY_DT_INT8, want8[k], 8));
        op_free(&c);
    }
    op_case c;
    op_init(&c, "Square");
    input(&c, FERRY_DT_INT32, DIMS(4), x32);
    CHECK_OK(op_run(&c, 1, err_));
    CHECK_INTS(c.out[0].t, FERRY_DT_INT32, 0, 0, -2147479015, 9);
    op_free(&c);
    op_init(&c, "Square");
    input(&c, FERRY_DT_INT64, DIMS(3), x64);
    CHECK_OK(op_run(&c, 1, err_));
    CHECK_INTS(c.out[0].t, FERRY_DT_INT64, 0, -9223372036709301616, 25);
    op_free(&c);
    op_init(&c, "Neg");
    input(&c, FERRY_DT_INT64, DIMS(3), x64);
    CHECK_OK(op_run(&c, 1, err_));
    CHECK_INTS(c.out[0].t, FERRY_DT_INT64, INT64_MIN, -3037000500, 5);
    op_free(&c);
    /* Reciprocal has no integer kernel in TF either. */
    op_init(&c, "Reciprocal");
    input(&c, FERRY_DT_INT32, DIMS(4), x32);
    CHECK_FAILS(FERRY_ERR_UNSUPPORTED, "int32", op_run(&c, 1, err_));
    op_free(&c);
}

static void predicates_and_logical_not(void)
{
    static const float x[] = { NAN, INFINITY, -INFINITY, 0.0f, -2.5f };
    const char *ops[] = { "IsNan", "IsInf", "IsFinite" };
    static const int64_t want[][5] = { { 1, 0, 0, 0, 0 }, { 0, 1, 1, 0, 0 }, { 0, 0, 0, 1, 1 } };
    for (int k = 0; k < 3; k++) {
        op_case c;
        op_init(&c, ops[k]);
        input_floats(&c, DIMS(5), x);
        CHECK_OK(op_run(&c, 1, err_));
        CHECK(ints_match(c.out[0].t, FERRY_DT_BOOL, want[k], 5));
        op_free(&c);
    }
    static const uint8_t b[] = { 1, 0, 0 };
    op_case c;
    op_init(&c, "LogicalNot");
    input(&c, FERRY_DT_BOOL, DIMS(3), b);
    CHECK_OK(op_run(&c, 1, err_));
    CHECK_INTS(c.out[0].t, FERRY_DT_BOOL, 0, 1, 1);
    op_free(&c);
    op_init(&c, "LogicalNot");
    input_floats(&c, DIMS(5), x);
    CHECK_FAILS(FERRY_ERR_UNSUPPORTED, "float32", op_run(&c, 1, err_));
    op_free(&c);
}

static void binary_real_ops_and_clip(void)
{
    static const float y[] = { 1.0f, -2.0f }, x[] = { 0.5f, -1.0f, 0.0f };
    static const float want[] = { 1.10714877f, 2.3561945f, 1.57079637f, -1.3258177f, -2.03444386f, -1.57079637f };
    op_case c;
    op_init(&c, "Atan2");
    input_floats(&c, DIMS(2, 1), y);
    input_floats(&c, DIMS(3), x);
    CHECK_OK(op_run(&c, 1, err_));
    CHECK_FLOATS(c.out[0].t, want, DIMS(2, 3));
    op_free(&c);

    /* The x-prefixed ops give 0 wherever x is 0, even for a NaN y. */
    static const float xs[] = { 0, 0, 0, 2, 1.5f }, ys[] = { NAN, 0, 2, 0, 3 };
    static const float xlogy[] = { 0, 0, 0, -INFINITY, 1.6479185f }, xdivy[] = { 0, 0, 0, INFINITY, 0.5f };
    static const float xlog1py[] = { 0, 0, 0, 0, 2.0794415f };
    const char *xops[] = { "Xlogy", "Xdivy", "Xlog1py" };
    const float *xwant[] = { xlogy, xdivy, xlog1py };
    for (int k = 0; k < 3; k++) {
        op_init(&c, xops[k]);
        input_floats(&c, DIMS(5), xs);
        input_floats(&c, DIMS(5), ys);
        CHECK_OK(op_run(&c, 1, err_));
        CHECK(floats_match(c.out[0].t, xwant[k], 5, DIMS(5)));
        op_free(&c);
    }

    static const float t[] = { -2.5f, -1.25f, -0.5f, -0.125f, 0.0f, 0.375f, 1.5f, 3.0f }, lo = -1.0f, hi = 0.5f;
    static const float clipped[] = { -1.0f, -1.0f, -0.5f, -0.125f, 0.0f, 0.375f, 0.5f, 0.5f };
    op_init(&c, "ClipByValue");
    input_floats(&c, DIMS(8), t);
    input_floats(&c, SCALAR, &lo);
    input_floats(&c, SCALAR, &hi);
    CHECK_OK(op_run(&c, 1, err_));
    CHECK_FLOATS(c.out[0].t, clipped, DIMS(8));
    op_free(&c);

    static const int32_t v[] = { 1, 5, 9 }, los[] = { 2, 2, 2 }, his[] = { 3, 4, 8 };
    op_init(&c, "ClipByValue");
    input_ints(&c, DIMS(3), v);
    input_ints(&c, DIMS(3), los);
    input_ints(&c, DIMS(3), his);
    CHECK_OK(op_run(&c, 1, err_));
    CHECK_INTS(c.out[0].t, FERRY_DT_INT32, 2, 4, 8);
    op_free(&c);

    op_init(&c, "ClipByValue");
    input_ints(&c, DIMS(3), v);
    input_ints(&c, DIMS(1), los);
    input_ints(&c, DIMS(3), his);
    CHECK_FAILS(FERRY_ERR_INVALID_ARGUMENT, "bounds", op_run(&c, 1, err_));
    op_free(&c);
}

/* ---- reductions --------------------------------------------------------- */

/* Reduces the [2, 3, 4] pattern over the given axes. */
static void reduce_pattern(op_case *c, const char *op, const int32_t *axes, int n_axes, int keep)
{
    op_init(c, op);
    if (keep)
        attr_bool(c, "keep_dims", 1);
    input_pattern(c, FERRY_DT_FLOAT, DIMS(2, 3, 4), 0);
    int64_t n = n_axes;
    input(c, FERRY_DT_INT32, n_axes < 0 ? NULL : &n, n_axes < 0 ? 0 : 1, axes);
}

static void reductions_match_tensorflow(void)
{
    op_case c;
    static const float sum1[] = { -0.125f, 1.875f, 1.5f, 1.125f, 0.125f, -0.25f, -0.625f, -1.0f };
    reduce_pattern(&c, "Sum", (const int32_t[]){ 1 }, 1, 0);
    CHECK_OK(op_run(&c, 1, err_));
    CHECK_FLOATS(c.out[0].t, sum1, DIMS(2, 4));
    op_free(&c);

    static const float sum02[] = { 0.125f, -1.5f, 4.0f };
    reduce_pattern(&c, "Sum", (const int32_t[]){ 0, 2 }, 2, 1);
    CHECK_OK(op_run(&c, 1, err_));
    CHECK_FLOATS(c.out[0].t, sum02, DIMS(1, 3, 1));
    op_free(&c);

    static const float mean_all[] = { 0.109375f };
    reduce_pattern(&c, "Mean", (const int32_t[]){ 0, 1, 2 }, 3, 0);
    CHECK_OK(op_run(&c, 1, err_));
    CHECK_FLOATS(c.out[0].t, mean_all, SCALAR);
    op_free(&c);

    /* A scalar axis tensor names one axis. */
    static const float max1[] = { 0.75f, 1.125f, 1.0f, 0.875f, 1.125f, 1.0f, 0.875f, 0.75f };
    reduce_pattern(&c, "Max", (const int32_t[]){ 1 }, -1, 0);
    CHECK_OK(op_run(&c, 1, err_));
    CHECK_FLOATS(c.out[0].t, max1, DIMS(2, 4));
    op_free(&c);

    static const float min0[] = { -1.125f, -1.125f, -0.125f };
    reduce_pattern(&c, "Min", (const int32_t[]){ 0, -1 }, 2, 0);
    CHECK_OK(op_run(&c, 1, err_));
    CHECK_FLOATS(c.out[0].t, min0, DIMS(3));
    op_free(&c);

    static const float norm1[] = {
        1.375f, 1.29301f, 1.11803401f, 0.960143209f, 1.375f, 1.38067007f, 1.41972709f, 1.4895469f,
    };
    reduce_pattern(&c, "EuclideanNorm", (const int32_t[]){ 1 }, 1, 0);
    CHECK_OK(op_run(&c, 1, err_));
    CHECK_FLOATS(c.out[0].t, norm1, DIMS(2, 4));
    op_free(&c);

    /* No axes: a copy. */
    reduce_pattern(&c, "Prod", NULL, 0, 0);
    CHECK_OK(op_run(&c, 1, err_));
    CHECK(same_shape(c.out[0].t, FERRY_DT_FLOAT, DIMS(2, 3, 4)) &&
          !memcmp(c.out[0].t->data, c.in[0].t->data, c.in[0].t->nbytes));
    op_free(&c);
}

static void reductions_of_integers_bools_and_empties(void)
{
    static const int32_t xi[] = { -3, -4, 7, 0 }, one = 1, zero = 0;
    op_case c;
    op_init(&c, "Mean"); /* integer division truncates, as in TF */
    input_ints(&c, DIMS(2, 2), xi);
    input_scalar_int(&c, one);
    CHECK_OK(op_run(&c, 1, err_));
    CHECK_INTS(c.out[0].t, FERRY_DT_INT32, -3, 3);
    op_free(&c);

    op_init(&c, "Prod");
    input_ints(&c, DIMS(2, 2), xi);
    input_scalar_int(&c, zero);
    CHECK_OK(op_run(&c, 1, err_));
    CHECK_INTS(c.out[0].t, FERRY_DT_INT32, -21, 0);
    op_free(&c);

    /* Empty reductions give the identity: -inf, the lowest int, NaN for a mean. */
    const char *ops[] = { "Max", "Mean", "Sum" };
    for (int k = 0; k < 3; k++) {
        op_init(&c, ops[k]);
        input(&c, FERRY_DT_FLOAT, DIMS(0, 2), NULL);
        input_scalar_int(&c, zero);
        CHECK_OK(op_run(&c, 1, err_));
        double want = k == 0 ? -INFINITY : k == 1 ? NAN : 0;
        CHECK(same_shape(c.out[0].t, FERRY_DT_FLOAT, DIMS(2)) &&
              check_values(c.out[0].t, (double[]){ want, want }, 2, 0, 0));
        op_free(&c);
    }
    op_init(&c, "Max");
    input(&c, FERRY_DT_INT32, DIMS(0, 2), NULL);
    input_scalar_int(&c, zero);
    CHECK_OK(op_run(&c, 1, err_));
    CHECK_INTS(c.out[0].t, FERRY_DT_INT32, INT32_MIN, INT32_MIN);
    op_free(&c);

    static const uint8_t b[] = { 1, 0, 1, 1 };
    op_init(&c, "All");
    input(&c, FERRY_DT_BOOL, DIMS(2, 2), b);
    input_scalar_int(&c, one);
    CHECK_OK(op_run(&c, 1, err_));
    CHECK_INTS(c.out[0].t, FERRY_DT_BOOL, 0, 1);
    op_free(&c);
    op_init(&c, "Any");
    input(&c, FERRY_DT_BOOL, DIMS(2, 2), b);
    input_scalar_int(&c, zero);
    CHECK_OK(op_run(&c, 1, err_));
    CHECK_INTS(c.out[0].t, FERRY_DT_BOOL, 1, 1);
    op_free(&c);
    op_init(&c, "Sum");
    input(&c, FERRY_DT_BOOL, DIMS(2, 2), b);
    input_scalar_int(&c, zero);
    CHECK_FAILS(FERRY_ERR_UNSUPPORTED, "bool", op_run(&c, 1, err_));
    op_free(&c);
}

static void reduction_axes_are_checked(void)
{
    op_case c;
    reduce_pattern(&c, "Sum", (const int32_t[]){ 1, -2 }, 2, 0);
    CHECK_FAILS(FERRY_ERR_INVALID_ARGUMENT, "twice", op_run(&c, 1, err_));
    op_free(&c);
    reduce_pattern(&c, "Sum", (const int32_t[]){ 3 }, 1, 0);
    CHECK_FAILS(FERRY_ERR_INVALID_ARGUMENT, "out of range", op_run(&c, 1, err_));
    op_free(&c);
    reduce_pattern(&c, "Sum", (const int32_t[]){ 0, 1, 2, 0 }, 4, 0);
    CHECK_FAILS(FERRY_ERR_INVALID_ARGUMENT, "4 reduction axes", op_run(&c, 1, err_));
    op_free(&c);
    float x = 5;
    op_init(&c, "Sum");
    input_floats(&c, SCALAR, &x);
    input_scalar_int(&c, 0);
    CHECK_FAILS(FERRY_ERR_INVALID_ARGUMENT, "rank 0", op_run(&c, 1, err_));
    op_free(&c);
}

/* Ties go to the first; NaN never wins over a number. */
static void arg_max_and_min(void)
{
    static const float x[] = { 3, 1, 3, NAN, 2, -1 };
    op_case c;
    op_init(&c, "ArgMax");
    input_floats(&c, DIMS(2, 3), x);
    input_scalar_int(&c, 1);
    CHECK_OK(op_run(&c, 1, err_));
    CHECK_INTS(c.out[0].t, FERRY_DT_INT64, 0, 1);
    op_free(&c);
    op_init(&c, "ArgMin");
    attr_type(&c, "output_type", FERRY_DT_INT32);
    input_floats(&c, DIMS(2, 3), x);
    input_scalar_int(&c, -1);
    CHECK_OK(op_run(&c, 1, err_));
    CHECK_INTS(c.out[0].t, FERRY_DT_INT32, 1, 2);
    op_free(&c);
    op_init(&c, "ArgMax");
    input_floats(&c, DIMS(2, 3), x);
    input_scalar_int(&c, 0);
    CHECK_OK(op_run(&c, 1, err_));
    CHECK_INTS(c.out[0].t, FERRY_DT_INT64, 0, 1, 0);
    op_free(&c);
    op_init(&c, "ArgMax");
    input(&c, FERRY_DT_FLOAT, DIMS(0, 2), NULL);
    input_scalar_int(&c, 0);
    CHECK_FAILS(FERRY_ERR_INVALID_ARGUMENT, "empty", op_run(&c, 1, err_));
    op_free(&c);
}

/* ---- matrix products ---------------------------------------------------- */

static void matmul_transposes_and_float64(void)
{
    static const float want[] = { 0.390625f, 0.15625f, -0.078125f, -0.3125f, 2.6875f, 1.703125f, 0.71875f, -0.265625f };
    op_case c;
    op_init(&c, "MatMul");
    attr_bool(&c, "transpose_a", 1);
    attr_bool(&c, "transpose_b", 1);
    input_pattern(&c, FERRY_DT_FLOAT, DIMS(3, 2), 0);
    input_pattern(&c, FERRY_DT_FLOAT, DIMS(4, 3), 1);
    CHECK_OK(op_run(&c, 1, err_));
    CHECK_FLOATS(c.out[0].t, want, DIMS(2, 4));
    op_free(&c);

    op_init(&c, "MatMul");
    input_pattern(&c, FERRY_DT_DOUBLE, DIMS(2, 3), 0);
    input_pattern(&c, FERRY_DT_DOUBLE, DIMS(3, 2), 1);
    CHECK_OK(op_run(&c, 1, err_));
    CHECK(same_shape(c.out[0].t, FERRY_DT_DOUBLE, DIMS(2, 2)) &&
          check_values(c.out[0].t, (const double[]){ 0.34375, 0.21875, 2.03125, 1.75 }, 4, 0, 0));
    op_free(&c);

    static const int32_t a[] = { 1, -2, 3, 4 }, b[] = { INT32_MAX, 1, 2, 3 };
    op_init(&c, "MatMul");
    input_ints(&c, DIMS(2, 2), a);
    input_ints(&c, DIMS(2, 2), b);
    CHECK_OK(op_run(&c, 1, err_));
    CHECK_INTS(c.out[0].t, FERRY_DT_INT32, 2147483643, -5, -2147483643, 15);
    op_free(&c);

    op_init(&c, "MatMul");
    input_pattern(&c, FERRY_DT_FLOAT, DIMS(2, 3), 0);
    input_pattern(&c, FERRY_DT_FLOAT, DIMS(2, 3), 1);
    CHECK_FAILS(FERRY_ERR_INVALID_ARGUMENT, "incompatible: [2,3] and [2,3]", op_run(&c, 1, err_));
    op_free(&c);
}

/* A single row times a matrix takes BLAS's matrix-vector path: every
 * transpose combination must match the plain sum. */
static void one_row_products_match_the_sum(void)
{
    enum { K = 5, N = 7 };
    for (int ta = 0; ta < 2; ta++)
        for (int tb = 0; tb < 2; tb++) {
            op_case c;
            op_init(&c, "MatMul");
            attr_bool(&c, "transpose_a", ta);
            attr_bool(&c, "transpose_b", tb);
            const ferry_tensor *a = ta ? input_pattern(&c, FERRY_DT_FLOAT, DIMS(K, 1), 2)
                                       : input_pattern(&c, FERRY_DT_FLOAT, DIMS(1, K), 2);
            const ferry_tensor *b = tb ? input_pattern(&c, FERRY_DT_FLOAT, DIMS(N, K), 3)
                                       : input_pattern(&c, FERRY_DT_FLOAT, DIMS(K, N), 3);
            CHECK_OK(op_run(&c, 1, err_));
            float want[N];
            const float *x = a->data, *y = b->data;
            for (int j = 0; j < N; j++) {
                double sum = 0;
                for (int k = 0; k < K; k++)
                    sum += (double)x[k] * (tb ? y[j * K + k] : y[k * N + j]);
                want[j] = (float)sum;
            }
            CHECK_FLOATS(c.out[0].t, want, DIMS(1, N));
            op_free(&c);
        }
}

/* Bit for bit what TensorFlow 2.21 computes (tf.quantization.fake_quant_*). */
static int same_floats(const ferry_tensor *t, const float *want, int64_t n)
{
    return t && t->dtype == FERRY_DT_FLOAT && t->count == n && !memcmp(t->data, want, (size_t)n * sizeof(float));
}

static void fake_quant_matches_tensorflow(void)
{
    static const float x[] = { -7.0f, -6.0f, -0.3f, -0.01f, 0.0f, 0.02f, 0.5f, 1.2345f, 3.3f, 5.99f, 6.0f, 9.0f };
    static const float args[] = { -6.023529529571533f, -5.976470470428467f, -0.2823529541492462f, 0.0f, 0.0f, 0.0f,
                                  0.5176470875740051f, 1.2235294580459595f, 3.2941176891326904f, 5.976470470428467f,
                                  5.976470470428467f, 5.976470470428467f };
    static const float narrow4[] = { -1.3714284896850586f, -1.3714284896850586f, -0.45714282989501953f, 0.0f, 0.0f,
                                     0.0f, 0.45714282989501953f, 1.3714284896850586f, 3.1999998092651367f,
                                     5.028571128845215f, 5.028571128845215f, 5.028571128845215f };
    static const float vars[] = { -0.7058823704719543f, -0.7058823704719543f, -0.29647061228752136f,
                                  -0.014117647893726826f, 0.0f, 0.014117647893726826f, 0.4941176772117615f,
                                  1.2282353639602661f, 2.894117832183838f, 2.894117832183838f, 2.894117832183838f,
                                  2.894117832183838f };
    static const float channels[] = { -1.0322580337524414f, -6.193548202514648f, 0.0f, 0.0f, 0.0f, 0.0f,
                                      0.5161290168762207f, 1.1612902879714966f, 3.274193525314331f,
                                      0.9677419066429138f, 5.806451320648193f, 3.5f };
    op_case c;
    op_init(&c, "FakeQuantWithMinMaxArgs");
    input_floats(&c, DIMS(12), x);
    CHECK_OK(op_run(&c, 1, err_));
    CHECK(same_floats(c.out[0].t, args, 12));
    op_free(&c);

    op_init(&c, "FakeQuantWithMinMaxArgs");
    attr_float(&c, "min", -1.3f);
    attr_float(&c, "max", 5.1f);
    attr_int(&c, "num_bits", 4);
    attr_bool(&c, "narrow_range", 1);
    input_floats(&c, DIMS(12), x);
    CHECK_OK(op_run(&c, 1, err_));
    CHECK(same_floats(c.out[0].t, narrow4, 12));
    op_free(&c);

    op_init(&c, "FakeQuantWithMinMaxVars");
    input_floats(&c, DIMS(12), x);
    input_floats(&c, SCALAR, (const float[]){ -0.7f });
    input_floats(&c, SCALAR, (const float[]){ 2.9f });
    CHECK_OK(op_run(&c, 1, err_));
    CHECK(same_floats(c.out[0].t, vars, 12));
    op_free(&c);

    op_init(&c, "FakeQuantWithMinMaxVarsPerChannel");
    attr_int(&c, "num_bits", 5);
    input_floats(&c, DIMS(4, 3), x);
    input_floats(&c, DIMS(3), (const float[]){ -1.0f, -6.0f, 0.5f });
    input_floats(&c, DIMS(3), (const float[]){ 1.0f, 6.0f, 4.0f });
    CHECK_OK(op_run(&c, 1, err_));
    CHECK(same_floats(c.out[0].t, channels, 12));
    op_free(&c);

    /* TF: a [0, 0] range gives zeros; an inverted one clamps everything to the nudged min. */
    op_init(&c, "FakeQuantWithMinMaxVars");
    input_floats(&c, DIMS(4), (const float[]){ -1.0f, 0.0f, 0.3f, 2.0f });
    input_floats(&c, SCALAR, (const float[]){ 0.0f });
    input_floats(&c, SCALAR, (const float[]){ 0.0f });
    CHECK_OK(op_run(&c, 1, err_));
    CHECK(same_floats(c.out[0].t, (const float[]){ 0.0f, 0.0f, 0.0f, 0.0f }, 4));
    op_free(&c);

    op_init(&c, "FakeQuantWithMinMaxVars");
    input_floats(&c, DIMS(4), (const float[]){ -1.0f, 0.0f, 0.3f, 2.0f });
    input_floats(&c, SCALAR, (const float[]){ 2.0f });
    input_floats(&c, SCALAR, (const float[]){ 1.0f });
    CHECK_OK(op_run(&c, 1, err_));
    CHECK(same_floats(c.out[0].t, (const float[]){ 1.0f, 1.0f, 1.0f, 1.0f }, 4));
    op_free(&c);

    op_init(&c, "FakeQuantWithMinMaxArgs");
    attr_float(&c, "min", 1.0f);
    attr_float(&c, "max", 1.0f);
    input_floats(&c, DIMS(12), x);
    CHECK_FAILS(FERRY_ERR_INVALID_ARGUMENT, "min has to be smaller than max", op_run(&c, 1, err_));
    op_free(&c);
}

#define BYTES(str) { sizeof(str) - 1, (uint8_t *)(str) }

/* Values recorded from TensorFlow 2.21 running the same nodes. */
static void fused_products_match_tensorflow(void)
{
    static const float a[] = { 0.5f, -1.0f, 2.0f, 1.5f, 0.25f, -3.0f }, b[] = { 1.0f, -2.0f, 0.5f, 0.75f, -1.25f, 2.5f };
    static const struct {
        const char *act;
        float want[4];
    } mm[] = {
        { NULL, { -2.4000000953674316f, 3.049999952316284f, 5.474999904632568f, -10.512499809265137f } },
        { "Relu6", { 0.0f, 3.049999952316284f, 5.474999904632568f, 0.0f } },
        { "LeakyRelu", { -0.7200000286102295f, 3.049999952316284f, 5.474999904632568f, -3.15375018119812f } },
        { "Sigmoid", { 0.08317268639802933f, 0.9547825455665588f, 0.9958272576332092f, 2.719365329539869e-05f } },
        { "GeluExact", { -0.019674325361847878f, 3.0465102195739746f, 5.474999904632568f, -0.0f } },
        { "GeluApproximate", { -0.019276857376098633f, 3.046903371810913f, 5.474999904632568f, -0.0f } },
    };
    for (size_t k = 0; k < sizeof(mm) / sizeof(mm[0]); k++) {
        ProtobufCBinaryData ops[2] = { BYTES("BiasAdd"), { 0, NULL } };
        if (mm[k].act)
            ops[1] = (ProtobufCBinaryData){ strlen(mm[k].act), (uint8_t *)mm[k].act };
        op_case c;
        op_init(&c, "_FusedMatMul");
        attr_strs(&c, "fused_ops", ops, mm[k].act ? 2 : 1);
        attr_int(&c, "num_args", 1);
        attr_float(&c, "leakyrelu_alpha", 0.3f);
        input_floats(&c, DIMS(2, 3), a);
        input_floats(&c, DIMS(3, 2), b);
        input_floats(&c, DIMS(2), (const float[]){ 0.1f, -0.2f });
        CHECK_OK(op_run(&c, 1, err_));
        CHECK_FLOATS(c.out[0].t, mm[k].want, DIMS(2, 2));
        op_free(&c);
    }

    float x[18], w[16];
    for (int i = 0; i < 18; i++)
        x[i] = (float)(i - 8) * 0.25f;
    for (int i = 0; i < 16; i++)
        w[i] = (float)(i - 7) * 0.125f;
    static const float bias_relu[] = { 4.125f, 1.75f, 4.125f, 2.25f, 2.1875f, 0.625f, 4.125f, 3.25f, 4.125f,
                                       3.75f, 0.6875f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f };
    static const float norm_relu6[] = { 3.9878928661346436f, 1.5838823318481445f, 3.9878928661346436f,
                                        1.9370825290679932f, 1.9333772659301758f, 0.7891813516616821f,
                                        3.9878928661346436f, 2.6434831619262695f, 3.9878928661346436f,
                                        2.9966835975646973f, 0.342784583568573f, 0.2593808174133301f,
                                        0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f };
    for (int bn = 0; bn < 2; bn++) {
        ProtobufCBinaryData ops[2] = { BYTES("BiasAdd"), BYTES("Relu") };
        if (bn) {
            ops[0] = (ProtobufCBinaryData)BYTES("FusedBatchNorm");
            ops[1] = (ProtobufCBinaryData)BYTES("Relu6");
        }
        op_case c;
        op_init(&c, "_FusedConv2D");
        attr_strs(&c, "fused_ops", ops, 2);
        attr_int(&c, "num_args", bn ? 4 : 1);
        attr_ints(&c, "strides", INTS(1, 1, 1, 1));
        attr_str(&c, "padding", "SAME");
        attr_float(&c, "epsilon", 0.001f);
        input_floats(&c, DIMS(1, 3, 3, 2), x);
        input_floats(&c, DIMS(2, 2, 2, 2), w);
        if (bn) {
            input_floats(&c, DIMS(2), (const float[]){ 1.5f, 0.5f });
            input_floats(&c, DIMS(2), (const float[]){ 0.25f, -0.5f });
            input_floats(&c, DIMS(2), (const float[]){ 0.1f, -0.2f });
            input_floats(&c, DIMS(2), (const float[]){ 2.0f, 0.5f });
        } else {
            input_floats(&c, DIMS(2), (const float[]){ 0.5f, -1.0f });
        }
        CHECK_OK(op_run(&c, 1, err_));
        if (bn)
            CHECK_FLOATS(c.out[0].t, norm_relu6, DIMS(1, 3, 3, 2));
        else
            CHECK_FLOATS(c.out[0].t, bias_relu, DIMS(1, 3, 3, 2));
        op_free(&c);
    }
}

/* Values recorded from TensorFlow 2.21 (tf.raw_ops.Conv2DBackpropFilter). */
static void conv2d_filter_gradient_matches_tensorflow(void)
{
    static const float same[] = {
        10.125f, 7.125f, 7.375f, 3.375f, 1.875f, 5.125f, -5.5f, 4.25f, -8.5f, -1.25f, -8.75f, -5.375f, -6.25f, -6.75f,
        -3.375f, -7.125f, 3.625f, -3.375f, -11.125f, -4.25f, -9.625f, -5.875f, -8.125f, -8.875f, -2.125f, -10.625f,
        5.875f, -7.0f, 9.75f, 0.75f, 9.25f, 8.375f, 6.5f, 10.75f, 6.5f, 6.25f, 3.875f, -3.375f, 3.625f, 3.625f,
        10.25f, 7.875f, 12.125f, 10.875f, 3.75f, 8.25f, -4.625f, 5.625f, -6.25f, -1.375f, -6.375f, -5.25f, -6.5f, -7.75f,
    };
    static const float valid[] = {
        -2.25f, 1.125f, 1.875f, 0.0f, -2.625f, 0.875f, 1.75f, 0.0f, -3.0f, 0.625f, 1.625f, 0.0f, 3.5f, 4.5f, 2.875f,
        -1.375f, 3.125f, 4.25f, 2.75f, -1.375f, 1.375f, 1.25f, -1.5f, 2.75f, 2.375f, 1.0f, -3.0f, 0.0f, 2.0f, 0.75f,
        -3.125f, 0.0f, -1.125f, -3.625f, 0.875f, 2.75f, 3.125f, 4.25f, 2.75f, -1.375f, 1.375f, 1.25f, -1.5f, 2.75f,
        2.375f, 1.0f, -3.0f, 0.0f, 2.0f, 0.75f, -3.125f, 0.0f, -1.125f, -3.625f, 0.875f, 2.75f, -1.5f, -5.25f, -2.0f,
        -1.375f, -1.875f, -5.5f, -2.125f, -1.375f, -2.25f, 1.125f, 1.875f, 0.0f, -2.625f, 0.875f, 1.75f, 0.0f,
    };
    float x[120], dy[80];
    for (int i = 0; i < 120; i++)
        x[i] = (float)(i % 11 - 5) * 0.5f;
    for (int pass = 0; pass < 2; pass++) {
        int64_t dy_count = pass ? 2 * 2 * 2 * 4 : 2 * 4 * 5 * 2;
        for (int i = 0; i < dy_count; i++)
            dy[i] = (float)(i % 7 - 3) * 0.25f;
        op_case c;
        op_init(&c, "Conv2DBackpropFilter");
        static const int64_t strides[2][4] = { { 1, 1, 1, 1 }, { 1, 2, 2, 1 } };
        attr_ints(&c, "strides", strides[pass], 4);
        attr_str(&c, "padding", pass ? "VALID" : "SAME");
        input_floats(&c, DIMS(2, 4, 5, 3), x);
        const int32_t sizes[2][4] = { { 3, 3, 3, 2 }, { 2, 3, 3, 4 } };
        input(&c, FERRY_DT_INT32, DIMS(4), sizes[pass]);
        if (pass)
            input_floats(&c, DIMS(2, 2, 2, 4), dy);
        else
            input_floats(&c, DIMS(2, 4, 5, 2), dy);
        CHECK_OK(op_run(&c, 1, err_));
        if (pass)
            CHECK_FLOATS(c.out[0].t, valid, DIMS(2, 3, 3, 4));
        else
            CHECK_FLOATS(c.out[0].t, same, DIMS(3, 3, 3, 2));
        op_free(&c);
    }
}

static void batch_matmul_broadcasts_and_adjoints(void)
{
    static const float bcast[] = {
        0.21875f, 0.09375f, 1.75f, 1.46875f, -0.53125f, -0.65625f, 0.0625f, -0.21875f,
        -1.28125f, -1.40625f, -1.625f, -1.90625f, 0.90625f, 0.765625f, 0.0625f, 0.0625f,
        0.0625f, -0.078125f, 0.0625f, 0.0625f, -0.78125f, -0.921875f, 0.0625f, 0.0625f,
    };
    op_case c;
    op_init(&c, "BatchMatMulV2");
    input_pattern(&c, FERRY_DT_FLOAT, DIMS(2, 1, 2, 3), 0);
    input_pattern(&c, FERRY_DT_FLOAT, DIMS(3, 3, 2), 2);
    CHECK_OK(op_run(&c, 1, err_));
    CHECK_FLOATS(c.out[0].t, bcast, DIMS(2, 3, 2, 2));
    op_free(&c);

    static const float adj[] = {
        0.390625f, 0.15625f, -0.078125f, -0.3125f, 2.6875f, 1.703125f, 0.71875f, -0.265625f,
        -0.3125f, -0.59375f, -0.28125f, 0.625f, -0.125f, -0.265625f, -0.40625f, 0.34375f,
    };
    op_init(&c, "BatchMatMul");
    attr_bool(&c, "adj_x", 1);
    attr_bool(&c, "adj_y", 1);
    input_pattern(&c, FERRY_DT_FLOAT, DIMS(2, 3, 2), 0);
    input_pattern(&c, FERRY_DT_FLOAT, DIMS(2, 4, 3), 1);
    CHECK_OK(op_run(&c, 1, err_));
    CHECK_FLOATS(c.out[0].t, adj, DIMS(2, 2, 4));
    op_free(&c);

    /* V3: int8 operands, int32 result. */
    int8_t x[6], y[6];
    for (int i = 0; i < 6; i++) {
        x[i] = (int8_t)(pattern(i, 0) * 8);
        y[i] = (int8_t)(pattern(i, 1) * 8);
    }
    op_init(&c, "BatchMatMulV3");
    attr_type(&c, "Tout", FERRY_DT_INT32);
    input(&c, FERRY_DT_INT8, DIMS(2, 3), x);
    input(&c, FERRY_DT_INT8, DIMS(3, 2), y);
    CHECK_OK(op_run(&c, 1, err_));
    CHECK_INTS(c.out[0].t, FERRY_DT_INT32, 22, 14, 130, 112);
    op_free(&c);

    op_init(&c, "BatchMatMulV2");
    input_pattern(&c, FERRY_DT_FLOAT, DIMS(2, 2, 3), 0);
    input_pattern(&c, FERRY_DT_FLOAT, DIMS(3, 3, 2), 1);
    CHECK_FAILS(FERRY_ERR_INVALID_ARGUMENT, "incompatible", op_run(&c, 1, err_));
    op_free(&c);

    /* Half operands compute in float. */
    op_init(&c, "BatchMatMulV2");
    input_pattern(&c, FERRY_DT_HALF, DIMS(2, 3), 0);
    input_pattern(&c, FERRY_DT_HALF, DIMS(3, 2), 1);
    CHECK_OK(op_run(&c, 1, err_));
    CHECK(same_shape(c.out[0].t, FERRY_DT_HALF, DIMS(2, 2)) &&
          check_values(c.out[0].t, (const double[]){ 0.34375, 0.21875, 2.03125, 1.75 }, 4, 0, 0));
    op_free(&c);
}

/* Empty products never reach BLAS, whatever the other dims. */
static void empty_products(void)
{
    op_case c;
    op_init(&c, "MatMul");
    input(&c, FERRY_DT_FLOAT, DIMS(3, 0), NULL);
    input(&c, FERRY_DT_FLOAT, DIMS(0, 2), NULL);
    CHECK_OK(op_run(&c, 1, err_));
    CHECK(same_shape(c.out[0].t, FERRY_DT_FLOAT, DIMS(3, 2)) &&
          check_values(c.out[0].t, (const double[]){ 0, 0, 0, 0, 0, 0 }, 6, 0, 0));
    op_free(&c);
    op_init(&c, "MatMul");
    input(&c, FERRY_DT_FLOAT, DIMS(0, (int64_t)1 << 40), NULL);
    input(&c, FERRY_DT_FLOAT, DIMS((int64_t)1 << 40, 0), NULL);
    CHECK_OK(op_run(&c, 1, err_));
    CHECK(same_shape(c.out[0].t, FERRY_DT_FLOAT, DIMS(0, 0)));
    op_free(&c);
}

typedef struct einsum_case {
    const char *eq;
    int64_t a[4];
    int ra;
    int64_t b[4];
    int rb; /* -1: one operand */
    int64_t out[4];
    int ro;
    float want[32];
} einsum_case;

static const einsum_case einsum_cases[] = {
    { "abc,cd->abd", { 2, 3, 4 }, 3, { 4, 5 }, 2, { 2, 3, 5 }, 3,
      {
          -1.484375f, -1.71875f, -1.953125f, -2.1875f, -0.34375f, 0.8125f, 0.53125f, 0.25f,
          -0.03125f, 0.578125f, 0.4375f, 0.40625f, 0.375f, 0.34375f, 0.015625f, 0.0625f,
          0.28125f, 0.5f, 0.71875f, -0.546875f, -0.3125f, 0.15625f, 0.625f, 1.09375f,
          -1.109375f, 1.09375f, 0.625f, 0.15625f, -0.3125f, 1.0f,
      } },
    { "aecd,abcd->acbe", { 2, 3, 2, 4 }, 4, { 2, 2, 2, 4 }, 4, { 2, 2, 2, 3 }, 4,
      {
          1.390625f, 0.3125f, -3.4375f, -0.484375f, 0.0625f, 0.3125f, 1.0625f, -0.6875f,
          1.71875f, -1.1875f, 1.0625f, -2.03125f, -1.1875f, 0.6875f, -1.890625f, 0.625f,
          -0.625f, 1.09375f, -0.125f, -1.890625f, 1.09375f, 0.125f, -0.015625f, -0.15625f,
      } },
    { "acbe,aecd->abcd", { 2, 2, 3, 3 }, 4, { 2, 3, 2, 2 }, 4, { 2, 3, 2, 2 }, 4,
      {
          -0.4375f, -0.5625f, 0.125f, 0.125f, 1.53125f, 1.25f, -0.296875f, -0.15625f,
          0.828125f, 0.6875f, -0.71875f, -0.4375f, 2.484375f, 2.609375f, -0.296875f, -0.046875f,
          -0.390625f, -0.71875f, 0.078125f, -0.421875f, -0.296875f, -0.484375f, 0.453125f, -0.796875f,
      } },
    { "abc,cde->abde", { 2, 2, 3 }, 3, { 3, 2, 2 }, 3, { 2, 2, 2, 2 }, 4,
      {
          -0.4375f, -0.5625f, -0.6875f, -0.8125f, 1.53125f, 1.25f, 0.96875f, 0.6875f,
          0.828125f, 0.6875f, 0.546875f, 0.40625f, 0.125f, 0.125f, 0.125f, 0.125f,
      } },
    { "abcd,cde->abe", { 2, 2, 3, 2 }, 4, { 3, 2, 2 }, 3, { 2, 2, 2 }, 3,
      { 0.6875f, 0.28125f, 1.109375f, 0.96875f, -1.140625f, -0.71875f, -1.015625f, -1.21875f } },
    { "...ij,...jk->...ik", { 2, 1, 2, 3 }, 4, { 3, 3, 2 }, 3, { 2, 3, 2, 2 }, 4,
      {
          0.34375f, 0.21875f, 2.03125f, 1.75f, -0.40625f, -0.53125f, 0.34375f, 0.0625f,
          -1.15625f, -1.28125f, -1.34375f, -1.625f, 1.046875f, 0.90625f, 0.0625f, 0.0625f,
          0.203125f, 0.0625f, 0.0625f, 0.0625f, -0.640625f, -0.78125f, 0.0625f, 0.0625f,
      } },
    { "ij,jk", { 2, 3 }, 2, { 3, 2 }, 2, { 2, 2 }, 2,
      { 0.34375f, 0.21875f, 2.03125f, 1.75f } },
    { "bij,bjk->bki", { 2, 2, 3 }, 3, { 2, 3, 2 }, 3, { 2, 2, 2 }, 3,
      { 0.34375f, 2.03125f, 0.21875f, 1.75f, 0.203125f, 0.0625f, 0.0625f, 0.0625f } },
    { "ab,b->a", { 3, 2 }, 2, { 2 }, 1, { 3 }, 1,
      { -0.140625f, 2.0f, 1.46875f } },
    { "ab,cb->", { 2, 2 }, 2, { 3, 2 }, 2, { 0 }, 0,
      { 4.171875f } },
    { "a b c , c d -> a b d", { 2, 3, 4 }, 3, { 4, 5 }, 2, { 2, 3, 5 }, 3,
      {
          -1.484375f, -1.71875f, -1.953125f, -2.1875f, -0.34375f, 0.8125f, 0.53125f, 0.25f,
          -0.03125f, 0.578125f, 0.4375f, 0.40625f, 0.375f, 0.34375f, 0.015625f, 0.0625f,
          0.28125f, 0.5f, 0.71875f, -0.546875f, -0.3125f, 0.15625f, 0.625f, 1.09375f,
          -1.109375f, 1.09375f, 0.625f, 0.15625f, -0.3125f, 1.0f,
      } },
    { "ij->ji", { 2, 3 }, 2, { 0 }, -1, { 3, 2 }, 2,
      { -1.125f, 0.875f, 1.125f, 0.75f, 1.0f, 0.625f } },
    { "ijk->j", { 2, 3, 2 }, 3, { 0 }, -1, { 3 }, 1,
      { 0.875f, 2.25f, 1.25f } },
    { "ij->", { 2, 3 }, 2, { 0 }, -1, { 0 }, 0,
      { 3.25f } },
    { "...j->...", { 2, 3 }, 2, { 0 }, -1, { 2 }, 1,
      { 1.0f, 2.25f } },
};

static void einsum_matches_tensorflow(void)
{
    for (size_t k = 0; k < sizeof(einsum_cases) / sizeof(einsum_cases[0]); k++) {
        const einsum_case *e = &einsum_cases[k];
        op_case c;
        op_init(&c, "Einsum");
        attr_str(&c, "equation", e->eq);
        input_pattern(&c, FERRY_DT_FLOAT, e->a, e->ra, 0);
        if (e->rb >= 0)
            input_pattern(&c, FERRY_DT_FLOAT, e->b, e->rb, 1);
        CHECK_OK(op_run(&c, 1, err_));
        int64_t n = 1;
        for (int d = 0; d < e->ro; d++)
            n *= e->out[d];
        if (!floats_match(c.out[0].t, e->want, (size_t)n, e->out, e->ro)) {
            fprintf(stderr, "  equation %s\n", e->eq);
            CHECK(0);
        }
        op_free(&c);
    }
}

static void einsum_rejects_what_it_cannot_do(void)
{
    static const struct {
        const char *eq;
        ferry_status code;
        const char *needle;
    } bad[] = {
        { "ii,jk->i", FERRY_ERR_UNSUPPORTED, "repeated labels" },
        { "ij,jk->ik,", FERRY_ERR_INVALID_ARGUMENT, "bad subscripts" },
        { "ijk,jk->ik", FERRY_ERR_INVALID_ARGUMENT, "operand 0 has rank 2" },
        { "ij,jk->iz", FERRY_ERR_INVALID_ARGUMENT, "unknown or repeated" },
        { "ij,jk->ii", FERRY_ERR_INVALID_ARGUMENT, "unknown or repeated" },
        { "ij,ik->jk", FERRY_ERR_INVALID_ARGUMENT, "disagree" },
        { "ij->ik", FERRY_ERR_INVALID_ARGUMENT, "does not have 2 operands" },
    };
    for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
        op_case c;
        op_init(&c, "Einsum");
        attr_str(&c, "equation", bad[k].eq);
        input_pattern(&c, FERRY_DT_FLOAT, DIMS(2, 3), 0);
        input_pattern(&c, FERRY_DT_FLOAT, DIMS(3, 2), 1);
        CHECK_FAILS(bad[k].code, bad[k].needle, op_run(&c, 1, err_));
        op_free(&c);
    }
}

static void bias_add_in_both_layouts(void)
{
    static const float bias[] = { 1, 2, 3 };
    static const float nhwc[] = { -0.125f, 3.125f, 4.0f, 1.875f, 2.75f, 3.625f };
    static const float nchw[] = { -0.125f, 2.125f, 2.0f, 1.875f, 2.75f, 2.625f, 2.5f, 2.375f, 3.25f, 3.125f, 3.0f, 2.875f };
    op_case c;
    op_init(&c, "BiasAdd");
    input_pattern(&c, FERRY_DT_FLOAT, DIMS(2, 3), 0);
    input_floats(&c, DIMS(3), bias);
    CHECK_OK(op_run(&c, 1, err_));
    CHECK_FLOATS(c.out[0].t, nhwc, DIMS(2, 3));
    op_free(&c);
    op_init(&c, "BiasAdd");
    attr_str(&c, "data_format", "NCHW");
    input_pattern(&c, FERRY_DT_FLOAT, DIMS(1, 3, 2, 2), 0);
    input_floats(&c, DIMS(3), bias);
    CHECK_OK(op_run(&c, 1, err_));
    CHECK_FLOATS(c.out[0].t, nchw, DIMS(1, 3, 2, 2));
    op_free(&c);
    op_init(&c, "BiasAddV1");
    input_pattern(&c, FERRY_DT_FLOAT, DIMS(3, 2), 0);
    input_floats(&c, DIMS(3), bias);
    CHECK_FAILS(FERRY_ERR_INVALID_ARGUMENT, "3 values", op_run(&c, 1, err_));
    op_free(&c);
}

/* A row with one large logit: the max shift keeps it finite. */
static void softmax_and_log_softmax(void)
{
    static const float soft[] = {
        1.21535018e-10f, 0.71833533f, 0.205806509f, 0.0589645617f, 0.016893629f, 1.0f, 2.67863736e-33f, 7.67442517e-34f,
        2.19875943e-34f, 6.29955229e-35f,
    };
    static const float logsoft[] = {
        -22.8308182f, -0.330818772f, -1.58081877f, -2.83081865f, -4.08081865f, 0.0f, -75.0f, -76.25f, -77.5f, -78.75f,
    };
    float x[10];
    for (int i = 0; i < 10; i++)
        x[i] = (float)pattern(i, 0) * 10;
    x[5] = 80;
    for (int k = 0; k < 2; k++) {
        op_case c;
        op_init(&c, k ? "LogSoftmax" : "Softmax");
        input_floats(&c, DIMS(2, 5), x);
        CHECK_OK(op_run(&c, 1, err_));
        if (k)
            CHECK_FLOATS(c.out[0].t, logsoft, DIMS(2, 5));
        else
            CHECK_FLOATS(c.out[0].t, soft, DIMS(2, 5));
        op_free(&c);
    }
    op_case c;
    op_init(&c, "Softmax");
    input_floats(&c, SCALAR, x);
    CHECK_FAILS(FERRY_ERR_INVALID_ARGUMENT, "rank 1", op_run(&c, 1, err_));
    op_free(&c);
}

static void cross_entropy_and_l2_loss(void)
{
    static const float logits[] = { 1, 2, 3, 0.5f, -1, 80 }, dense[] = { 0.2f, 0.3f, 0.5f, 1, 0, 0 };
    static const int32_t sparse[] = { 2, 0 };
    static const float sparse_loss[] = { 0.40760595f, 79.5f }, dense_loss[] = { 1.1076059f, 79.5f };
    static const float sparse_back[] = { 9.0030573e-02f, 2.4472848e-01f, -3.3475906e-01f, -1, 6.6396770e-36f, 1 };
    static const float dense_back[] = { -1.0996943e-01f, -5.5271536e-02f, 1.6524094e-01f, -1, 6.6396770e-36f, 1 };
    op_case c;
    op_init(&c, "SparseSoftmaxCrossEntropyWithLogits");
    input_floats(&c, DIMS(2, 3), logits);
    input_ints(&c, DIMS(2), sparse);
    CHECK_OK(op_run(&c, 2, err_));
    CHECK_FLOATS(c.out[0].t, sparse_loss, DIMS(2));
    CHECK_FLOATS(c.out[1].t, sparse_back, DIMS(2, 3));
    op_free(&c);
    op_init(&c, "SoftmaxCrossEntropyWithLogits");
    input_floats(&c, DIMS(2, 3), logits);
    input_floats(&c, DIMS(2, 3), dense);
    CHECK_OK(op_run(&c, 2, err_));
    CHECK_FLOATS(c.out[0].t, dense_loss, DIMS(2));
    CHECK_FLOATS(c.out[1].t, dense_back, DIMS(2, 3));
    op_free(&c);
    op_init(&c, "SparseSoftmaxCrossEntropyWithLogits");
    input_floats(&c, DIMS(2, 3), logits);
    input_ints(&c, DIMS(2), (const int32_t[]){ 3, 0 });
    CHECK_FAILS(FERRY_ERR_INVALID_ARGUMENT, "label 3 is outside the valid range [0, 3)", op_run(&c, 2, err_));
    op_free(&c);

    static const float t[] = { 1, 2, 3, -4 }, half_sum[] = { 15 };
    op_init(&c, "L2Loss");
    input_floats(&c, DIMS(2, 2), t);
    CHECK_OK(op_run(&c, 1, err_));
    CHECK_FLOATS(c.out[0].t, half_sum, SCALAR);
    op_free(&c);
}

/* ---- convolutions ------------------------------------------------------- */

/* conv op over pattern inputs x (seed 0) and filter (seed 1). */
static void conv_case(op_case *c, const char *op, const int64_t *x, int xr, const int64_t *f, int fr, const char *padding)
{
    op_init(c, op);
    attr_str(c, "padding", padding);
    input_pattern(c, FERRY_DT_FLOAT, x, xr, 0);
    input_pattern(c, FERRY_DT_FLOAT, f, fr, 1);
}

static void conv2d_matches_tensorflow(void)
{
    op_case c;
    static const float same_s2[] = { -1.5f, -1.953125f, 3.9375f, 1.921875f, -3.671875f, -3.109375f, 3.3125f, 2.28125f };
    conv_case(&c, "Conv2D", DIMS(1, 4, 4, 2), DIMS(3, 3, 2, 2), "SAME");
    attr_ints(&c, "strides", INTS(1, 2, 2, 1));
    CHECK_OK(op_run(&c, 1, err_));
    CHECK_FLOATS(c.out[0].t, same_s2, DIMS(1, 2, 2, 2));
    op_free(&c);

    static const float dilated[] = {
        -0.859375f, 1.34375f, 0.875f, 0.40625f, 0.78125f, 0.3125f, 1.921875f, 1.453125f,
        0.046875f, -0.421875f, -0.890625f, -1.359375f,
    };
    conv_case(&c, "Conv2D", DIMS(1, 5, 6, 1), DIMS(2, 2, 1, 1), "VALID");
    attr_ints(&c, "strides", INTS(1, 1, 1, 1));
    attr_ints(&c, "dilations", INTS(1, 2, 2, 1));
    CHECK_OK(op_run(&c, 1, err_));
    CHECK_FLOATS(c.out[0].t, dilated, DIMS(1, 3, 4, 1));
    op_free(&c);

    static const float explicit_nchw[] = {
        -0.578125f, -0.15625f, 0.140625f, 0.0f, -0.359375f, 2.0625f, 1.15625f, 0.0f,
        1.5625f, 1.3125f, 0.40625f, 0.0f, -0.59375f, -0.40625f, 0.03125f, 0.0f,
        -0.5f, 1.75f, 1.03125f, 0.0f, 1.5f, 1.375f, 0.46875f, 0.0f,
    };
    conv_case(&c, "Conv2D", DIMS(1, 2, 3, 3), DIMS(2, 2, 2, 2), "EXPLICIT");
    attr_str(&c, "data_format", "NCHW");
    attr_ints(&c, "strides", INTS(1, 1, 1, 1));
    attr_ints(&c, "explicit_paddings", INTS(0, 0, 0, 0, 1, 0, 0, 2));
    CHECK_OK(op_run(&c, 1, err_));
    CHECK_FLOATS(c.out[0].t, explicit_nchw, DIMS(1, 2, 3, 4));
    op_free(&c);

    /* Four input channels over a filter of two: two groups. */
    static const float grouped[] = {
        -1.234375f, -1.125f, 1.03125f, -0.09375f, 1.5625f, 1.28125f, 0.96875f, -1.4375f,
        -0.265625f, -0.140625f, -0.046875f, 1.21875f, -1.921875f, -1.890625f, -1.890625f, -1.90625f,
    };
    conv_case(&c, "Conv2D", DIMS(1, 3, 3, 4), DIMS(2, 2, 2, 4), "VALID");
    attr_ints(&c, "strides", INTS(1, 1, 1, 1));
    CHECK_OK(op_run(&c, 1, err_));
    CHECK_FLOATS(c.out[0].t, grouped, DIMS(1, 2, 2, 4));
    op_free(&c);

    static const float pointwise[] = { 0.34375f, 0.21875f, 2.03125f, 1.75f, 1.046875f, 0.90625f, 0.0625f, 0.0625f };
    conv_case(&c, "Conv2D", DIMS(1, 2, 2, 3), DIMS(1, 1, 3, 2), "SAME");
    attr_ints(&c, "strides", INTS(1, 1, 1, 1));
    CHECK_OK(op_run(&c, 1, err_));
    CHECK_FLOATS(c.out[0].t, pointwise, DIMS(1, 2, 2, 2));
    op_free(&c);
}

/* Depthwise over 40 channels (a 32-channel span and a tail of 8), multiplier
 * 1 and 2, SAME and VALID, strides 1 and 2: every output equals the window's
 * products summed in TensorFlow's order (taps row by row), bit for bit. */
static void depthwise_wide_matches_direct_sums(void)
{
    enum { N = 2, H = 7, W = 9, C = 40 };
    static const struct { const char *padding; int stride, mult; } cases[] = {
        { "SAME", 1, 1 }, { "SAME", 2, 1 }, { "VALID", 1, 1 }, { "SAME", 2, 2 },
    };
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        int s = cases[k].stride, mult = cases[k].mult, same = !strcmp(cases[k].padding, "SAME");
        op_case c;
        conv_case(&c, "DepthwiseConv2dNative", DIMS(N, H, W, C), DIMS(3, 3, C, mult), cases[k].padding);
        attr_ints(&c, "strides", INTS(1, s, s, 1));
        CHECK_OK(op_run(&c, 1, err_));
        int oh = same ? (H + s - 1) / s : (H - 3) / s + 1, ow = same ? (W + s - 1) / s : (W - 3) / s + 1;
        int ph = same ? ((oh - 1) * s + 3 - H) / 2 : 0, pw = same ? ((ow - 1) * s + 3 - W) / 2 : 0;
        const ferry_tensor *y = c.out[0].t;
        CHECK(y && y->rank == 4 && y->dims[1] == oh && y->dims[2] == ow && y->dims[3] == C * mult);
        const float *x = c.in[0].t->data, *f = c.in[1].t->data, *yv = y ? y->data : NULL;
        int bad = 0;
        for (int n = 0; yv && n < N; n++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++)
                    for (int o = 0; o < C * mult; o++) {
                        float acc = 0;
                        for (int a = 0; a < 3; a++)
                            for (int b = 0; b < 3; b++) {
                                int ih = i * s - ph + a, iw = j * s - pw + b;
                                if (ih >= 0 && ih < H && iw >= 0 && iw < W)
                                    acc += x[((n * H + ih) * W + iw) * C + o / mult] * f[(a * 3 + b) * C * mult + o];
                            }
                        bad += yv[((n * oh + i) * ow + j) * C * mult + o] != acc;
                    }
        CHECK(bad == 0);
        op_free(&c);
    }
}

static void conv3d_depthwise_and_transposed(void)
{
    op_case c;
    static const float conv3d[] = {
        0.890625f, 0.75f, 1.6875f, 1.5625f, 0.90625f, 0.96875f, 0.171875f, 0.25f,
        -1.15625f, -1.125f, 1.734375f, 1.5f, 1.140625f, 1.0f, 0.421875f, 0.375f,
    };
    conv_case(&c, "Conv3D", DIMS(1, 3, 3, 3, 1), DIMS(2, 2, 2, 1, 2), "SAME");
    attr_ints(&c, "strides", INTS(1, 2, 2, 2, 1));
    CHECK_OK(op_run(&c, 1, err_));
    CHECK_FLOATS(c.out[0].t, conv3d, DIMS(1, 2, 2, 2, 2));
    op_free(&c);

    static const float depthwise[] = {
        -1.828125f, -1.828125f, 0.328125f, -0.125f, 2.25f, 1.9375f, 1.6875f, -0.015625f,
        -1.765625f, -1.828125f, -1.90625f, -1.28125f, 1.875f, 1.625f, 1.4375f, 0.65625f,
    };
    conv_case(&c, "DepthwiseConv2dNative", DIMS(1, 4, 4, 2), DIMS(3, 3, 2, 2), "SAME");
    attr_ints(&c, "strides", INTS(1, 2, 2, 1));
    CHECK_OK(op_run(&c, 1, err_));
    CHECK_FLOATS(c.out[0].t, depthwise, DIMS(1, 2, 2, 4));
    op_free(&c);

    static const float transposed[] = {
        0.734375f, 0.359375f, -0.015625f, -0.390625f, 1.515625f, 0.296875f, 0.59375f, -0.25f,
        3.53125f, 0.484375f, 0.109375f, -0.265625f, -0.15625f, 0.703125f, 0.875f, 0.03125f,
        2.140625f, 1.34375f, 0.546875f, -0.25f, -2.03125f, 0.1875f, 1.1875f, 0.34375f,
        0.109375f, 0.875f, 0.453125f, 0.03125f, -0.65625f, -0.78125f, 0.03125f, 0.03125f,
    };
    static const int32_t sizes[] = { 1, 4, 4, 2 };
    op_init(&c, "Conv2DBackpropInput");
    attr_str(&c, "padding", "SAME");
    attr_ints(&c, "strides", INTS(1, 2, 2, 1));
    input_ints(&c, DIMS(4), sizes);
    input_pattern(&c, FERRY_DT_FLOAT, DIMS(3, 3, 2, 3), 1);
    input_pattern(&c, FERRY_DT_FLOAT, DIMS(1, 2, 2, 3), 0);
    CHECK_OK(op_run(&c, 1, err_));
    CHECK_FLOATS(c.out[0].t, transposed, DIMS(1, 4, 4, 2));
    op_free(&c);
}

static void conv_rejects_bad_geometry(void)
{
    op_case c;
    conv_case(&c, "Conv2D", DIMS(1, 3, 3, 4), DIMS(5, 2, 4, 6), "VALID");
    CHECK_FAILS(FERRY_ERR_INVALID_ARGUMENT, "would be negative", op_run(&c, 1, err_));
    op_free(&c);
    conv_case(&c, "Conv2D", DIMS(1, 3, 3, 4), DIMS(2, 2, 3, 6), "VALID");
    CHECK_FAILS(FERRY_ERR_INVALID_ARGUMENT, "depth 4", op_run(&c, 1, err_));
    op_free(&c);
    conv_case(&c, "Conv2D", DIMS(1, 3, 3, 0), DIMS(2, 2, 2, 6), "VALID");
    CHECK_FAILS(FERRY_ERR_INVALID_ARGUMENT, "depth 0", op_run(&c, 1, err_));
    op_free(&c);
    conv_case(&c, "Conv2D", DIMS(1, 3, 3, 2), DIMS(2, 2, 2, 2), "SAME");
    attr_ints(&c, "strides", INTS(2, 1, 1, 1));
    CHECK_FAILS(FERRY_ERR_UNSUPPORTED, "batch and channel", op_run(&c, 1, err_));
    op_free(&c);
    conv_case(&c, "Conv2D", DIMS(1, 3, 3, 2), DIMS(2, 2, 2, 2), "SAME");
    attr_ints(&c, "strides", INTS(1, 0, 1, 1));
    CHECK_FAILS(FERRY_ERR_INVALID_ARGUMENT, "out of range", op_run(&c, 1, err_));
    op_free(&c);
    conv_case(&c, "Conv2D", DIMS(1, 3, 3, 2), DIMS(2, 2, 2, 2), "FULL");
    CHECK_FAILS(FERRY_ERR_UNSUPPORTED, "padding 'FULL'", op_run(&c, 1, err_));
    op_free(&c);
    conv_case(&c, "Conv2D", DIMS(1, 3, 3, 2), DIMS(2, 2, 2, 2), "EXPLICIT");
    attr_ints(&c, "explicit_paddings", INTS(0, 0, 1, 1, 1, 1, 0, 0, 9));
    CHECK_FAILS(FERRY_ERR_INVALID_ARGUMENT, "8 values", op_run(&c, 1, err_));
    op_free(&c);
    conv_case(&c, "Conv2D", DIMS(1, 3, 3, 2), DIMS(2, 2, 2, 2), "SAME");
    attr_str(&c, "data_format", "NDHWC");
    CHECK_FAILS(FERRY_ERR_UNSUPPORTED, "data_format NDHWC", op_run(&c, 1, err_));
    op_free(&c);
    /* Huge windows over empty batches: no overflow, no work. */
    conv_case(&c, "Conv2D", DIMS(0, (int64_t)1 << 40, 3, 2), DIMS(2, 2, 2, 2), "SAME");
    CHECK_FAILS(FERRY_ERR_UNSUPPORTED, "window dims", op_run(&c, 1, err_));
    op_free(&c);
    conv_case(&c, "Conv2D", DIMS(0, 1 << 20, 1 << 20, 2), DIMS(1 << 20, 1 << 20, 2, 0), "VALID");
    CHECK_OK(op_run(&c, 1, err_));
    CHECK(same_shape(c.out[0].t, FERRY_DT_FLOAT, DIMS(0, 1, 1, 0)));
    op_free(&c);
    static const int32_t sizes[] = { 1, 4, 4, 2 };
    op_init(&c, "Conv2DBackpropInput");
    attr_str(&c, "padding", "VALID");
    input_ints(&c, DIMS(4), sizes);
    input_pattern(&c, FERRY_DT_FLOAT, DIMS(3, 3, 2, 3), 1);
    input_pattern(&c, FERRY_DT_FLOAT, DIMS(1, 2, 3, 3), 0);
    CHECK_FAILS(FERRY_ERR_INVALID_ARGUMENT, "out_backprop is [1,2,3,3] where [1,2,2,3]", op_run(&c, 1, err_));
    op_free(&c);
}

/* ---- pooling ------------------------------------------------------------ */

static void pool_case(op_case *c, const char *op, const int64_t *x, int xr, const char *padding)
{
    op_init(c, op);
    attr_str(c, "padding", padding);
    input_pattern(c, FERRY_DT_FLOAT, x, xr, 0);
}

/* SAME averages count only the window's valid elements. */
static void pooling_matches_tensorflow(void)
{
    op_case c;
    static const float max_same[] = {
        1.125f, 1.125f, 0.875f, 0.625f, 0.5f, 0.25f, 1.125f, 1.0f,
        0.75f,
    };
    static const float avg_same[] = {
        0.28125f, 0.6875f, 0.5f, -0.0625f, -0.25f, -0.4375f, 0.1875f, 0.0f,
        -0.1875f,
    };
    static const float avg_valid[] = { 0.03125f, 0.5f, 0.125f, 0.0f, -0.1875f, -0.3125f, 0.5f, 0.375f };
    for (int avg = 0; avg < 2; avg++) {
        pool_case(&c, avg ? "AvgPool" : "MaxPool", DIMS(1, 5, 5, 1), "SAME");
        attr_ints(&c, "ksize", INTS(1, 3, 3, 1));
        attr_ints(&c, "strides", INTS(1, 2, 2, 1));
        CHECK_OK(op_run(&c, 1, err_));
        if (avg)
            CHECK_FLOATS(c.out[0].t, avg_same, DIMS(1, 3, 3, 1));
        else
            CHECK_FLOATS(c.out[0].t, max_same, DIMS(1, 3, 3, 1));
        op_free(&c);
    }
    pool_case(&c, "AvgPool", DIMS(1, 4, 4, 2), "VALID");
    attr_ints(&c, "ksize", INTS(1, 2, 2, 1));
    attr_ints(&c, "strides", INTS(1, 2, 2, 1));
    CHECK_OK(op_run(&c, 1, err_));
    CHECK_FLOATS(c.out[0].t, avg_valid, DIMS(1, 2, 2, 2));
    op_free(&c);

    static const int32_t k[] = { 1, 3, 3, 1 }, s[] = { 1, 2, 2, 1 };
    pool_case(&c, "MaxPoolV2", DIMS(1, 5, 5, 1), "SAME");
    input_ints(&c, DIMS(4), k);
    input_ints(&c, DIMS(4), s);
    CHECK_OK(op_run(&c, 1, err_));
    CHECK_FLOATS(c.out[0].t, max_same, DIMS(1, 3, 3, 1));
    op_free(&c);

    static const float max3d[] = {
        1.125f, 1.125f, 0.875f, 0.75f, -0.125f, -0.25f, -0.625f, -0.75f,
        0.75f, 1.125f, 1.0f, 0.875f, 0.0f, -0.125f, -0.5f, -0.625f,
    };
    static const float avg3d[] = {
        0.21875f, 0.390625f, 0.4375f, 0.3125f, -0.3125f, -0.4375f, -0.6875f, -0.8125f,
        -0.1875f, 0.28125f, 0.625f, 0.5f, -0.125f, -0.25f, -0.5f, -0.625f,
    };
    for (int avg = 0; avg < 2; avg++) {
        pool_case(&c, avg ? "AvgPool3D" : "MaxPool3D", DIMS(1, 3, 3, 3, 2), "SAME");
        attr_ints(&c, "ksize", INTS(1, 2, 2, 2, 1));
        attr_ints(&c, "strides", INTS(1, 2, 2, 2, 1));
        CHECK_OK(op_run(&c, 1, err_));
        if (avg)
            CHECK_FLOATS(c.out[0].t, avg3d, DIMS(1, 2, 2, 2, 2));
        else
            CHECK_FLOATS(c.out[0].t, max3d, DIMS(1, 2, 2, 2, 2));
        op_free(&c);
    }
}

/* TF's CPU pools only NHWC; NCHW must give the same numbers, transposed. */
static void pooling_channels_first_is_a_transpose(void)
{
    op_case c, d;
    pool_case(&c, "AvgPool", DIMS(1, 4, 5, 3), "SAME");
    attr_ints(&c, "ksize", INTS(1, 2, 3, 1));
    attr_ints(&c, "strides", INTS(1, 2, 2, 1));
    CHECK_OK(op_run(&c, 1, err_));
    op_init(&d, "AvgPool");
    attr_str(&d, "padding", "SAME");
    attr_str(&d, "data_format", "NCHW");
    attr_ints(&d, "ksize", INTS(1, 1, 2, 3));
    attr_ints(&d, "strides", INTS(1, 1, 2, 2));
    ferry_tensor *x = input(&d, FERRY_DT_FLOAT, DIMS(1, 3, 4, 5), NULL);
    for (int64_t i = 0; i < 60; i++)
        ((float *)x->data)[(i % 3) * 20 + i / 3] = (float)pattern(i, 0);
    CHECK_OK(op_run(&d, 1, err_));
    const ferry_tensor *a = c.out[0].t, *b = d.out[0].t;
    CHECK(same_shape(b, FERRY_DT_FLOAT, DIMS(1, 3, 2, 3)));
    for (int64_t i = 0; a && b && i < 18; i++)
        CHECK(((const float *)a->data)[i] == ((const float *)b->data)[(i % 3) * 6 + i / 3]);
    op_free(&c);
    op_free(&d);
}

static void pooling_rejects_bad_windows(void)
{
    op_case c;
    pool_case(&c, "MaxPool", DIMS(1, 3, 3, 4), "VALID");
    attr_ints(&c, "ksize", INTS(1, 5, 1, 1));
    CHECK_FAILS(FERRY_ERR_INVALID_ARGUMENT, "would be negative", op_run(&c, 1, err_));
    op_free(&c);
    pool_case(&c, "MaxPool", DIMS(1, 3, 3, 4), "VALID");
    attr_ints(&c, "ksize", INTS(1, 2, 2, 2));
    CHECK_FAILS(FERRY_ERR_UNSUPPORTED, "ksize other than 1", op_run(&c, 1, err_));
    op_free(&c);
    pool_case(&c, "AvgPool", DIMS(1, 3, 3, 4), "VALID");
    CHECK_FAILS(FERRY_ERR_INVALID_ARGUMENT, "ksize is missing", op_run(&c, 1, err_));
    op_free(&c);
    pool_case(&c, "MaxPool", DIMS(3, 4), "VALID");
    attr_ints(&c, "ksize", INTS(1, 1));
    CHECK_FAILS(FERRY_ERR_INVALID_ARGUMENT, "rank 4 or 5", op_run(&c, 1, err_));
    op_free(&c);
}

/* ---- normalization, resizing, gradients --------------------------------- */

static void batch_norm_case(op_case *c, int training, float factor)
{
    static const float scale[] = { 1, 2, 0.5f }, offset[] = { 0.1f, 0, -1 }, mean[] = { 0.2f, -0.1f, 0 };
    static const float var[] = { 1, 0.5f, 2 };
    op_init(c, "FusedBatchNormV3");
    attr_float(c, "epsilon", 0.001f);
    attr_bool(c, "is_training", training);
    attr_float(c, "exponential_avg_factor", factor);
    input_pattern(c, FERRY_DT_FLOAT, DIMS(2, 2, 2, 3), 0);
    input_floats(c, DIMS(3), scale);
    input_floats(c, DIMS(3), offset);
    input_floats(c, DIMS(3), mean);
    input_floats(c, DIMS(3), var);
}

static void fused_batch_norm_inference_and_training(void)
{
    op_case c;
    static const float infer[] = {
        -1.22433805f, 3.46136379f, -0.64653492f, 0.774662793f, 2.40176272f, -0.779084325f, 0.39985013f, 1.34216142f,
        -0.91163373f, 0.0250374675f, 0.282560319f, -1.04418314f, -0.349775165f, -0.777040839f, -1.17673254f, -0.724587798f,
        -1.83664191f, -1.30928195f, -1.09940052f, -2.8962431f, -0.602351785f, 0.899600327f, 2.75496292f, -0.73490119f,
    };
    batch_norm_case(&c, 0, 1);
    CHECK_OK(op_run(&c, 6, err_));
    CHECK_FLOATS(c.out[0].t, infer, DIMS(2, 2, 2, 3));
    static const float mean[] = { 0.2f, -0.1f, 0 }, var[] = { 1, 0.5f, 2 };
    CHECK_FLOATS(c.out[1].t, mean, DIMS(3));
    CHECK_FLOATS(c.out[2].t, var, DIMS(3));
    CHECK_FLOATS(c.out[3].t, mean, DIMS(3));
    CHECK_FLOATS(c.out[4].t, var, DIMS(3));
    CHECK(same_shape(c.out[5].t, FERRY_DT_FLOAT, DIMS(0)));
    op_free(&c);

    /* Training: batch statistics, folded half-way into the running ones. */
    static const float train_y[] = {
        -1.28226912f, 2.67425418f, -0.470683038f, 1.31964934f, 1.6868372f, -0.746848404f, 0.831789613f, 0.699420273f,
        -1.02301383f, 0.343929857f, -0.28799659f, -1.2991792f, -0.143929869f, -1.27541351f, -1.57534456f, -0.631789565f,
        -2.2628305f, -1.85150993f, -1.11964929f, -3.25024724f, -0.378627896f, 1.48226917f, 2.01597619f, -0.654793262f,
    };
    static const float train_mean[] = { 0.0687500015f, 0.00468749925f, 0.140625f };
    static const float train_var[] = { 0.837053597f, 0.579101562f, 1.26283479f };
    static const float batch_mean[] = { -0.0625f, 0.109375f, 0.28125f };
    static const float batch_var[] = { 0.58984375f, 0.575927734f, 0.459960938f };
    batch_norm_case(&c, 1, 0.5f);
    CHECK_OK(op_run(&c, 6, err_));
    CHECK_FLOATS(c.out[0].t, train_y, DIMS(2, 2, 2, 3));
    CHECK_FLOATS(c.out[1].t, train_mean, DIMS(3));
    CHECK_FLOATS(c.out[2].t, train_var, DIMS(3));
    CHECK_FLOATS(c.out[3].t, batch_mean, DIMS(3));
    CHECK_FLOATS(c.out[4].t, batch_var, DIMS(3));
    op_free(&c);

    /* NCHW training without running statistics (empty mean and variance). */
    static const float nchw_y[] = {
        -1.32307768f, 1.48408926f, 1.32813561f, 1.17218184f, 2.45748472f, 2.12981987f, 1.80215538f, 1.47449076f,
        -1.27210104f, -1.40815151f, -1.54420209f, -1.68025255f, -0.231401652f, -0.387355387f, -0.543309093f, -0.699262798f,
        -1.47449076f, -1.80215538f, -2.12981987f, -2.45748472f, -0.319747448f, -0.45579797f, -0.591848493f, -0.727898955f,
    };
    static const float nchw_var[] = { 0.734095991f, 0.665178597f, 0.241071433f };
    static const float scale[] = { 1, 2, 0.5f }, offset[] = { 0.1f, 0, -1 };
    op_init(&c, "FusedBatchNormV3");
    attr_str(&c, "data_format", "NCHW");
    input_pattern(&c, FERRY_DT_FLOAT, DIMS(2, 3, 2, 2), 0);
    input_floats(&c, DIMS(3), scale);
    input_floats(&c, DIMS(3), offset);
    input(&c, FERRY_DT_FLOAT, DIMS(0), NULL);
    input(&c, FERRY_DT_FLOAT, DIMS(0), NULL);
    CHECK_OK(op_run(&c, 6, err_));
    CHECK_FLOATS(c.out[0].t, nchw_y, DIMS(2, 3, 2, 2));
    CHECK_FLOATS(c.out[2].t, nchw_var, DIMS(3));
    op_free(&c);

    /* Inference needs real statistics. */
    op_init(&c, "FusedBatchNormV3");
    attr_bool(&c, "is_training", 0);
    attr_str(&c, "data_format", "NCHW");
    input_pattern(&c, FERRY_DT_FLOAT, DIMS(2, 3, 2, 2), 0);
    input_floats(&c, DIMS(3), scale);
    input_floats(&c, DIMS(3), offset);
    input(&c, FERRY_DT_FLOAT, DIMS(0), NULL);
    input_floats(&c, DIMS(3), scale);
    CHECK_FAILS(FERRY_ERR_INVALID_ARGUMENT, "input 3 must be 3 float32 values", op_run(&c, 6, err_));
    op_free(&c);
}

static void lrn_matches_tensorflow(void)
{
    static const float want[] = {
        -1.02455199f, 0.882226408f, 0.841953456f, 0.824761152f, 0.860907555f, 0.853384972f, 0.656651556f, 0.541111171f,
        0.388958901f, 0.204268426f,
    };
    op_case c;
    op_init(&c, "LRN");
    attr_int(&c, "depth_radius", 1);
    attr_float(&c, "bias", 0.5f);
    attr_float(&c, "alpha", 0.25f);
    attr_float(&c, "beta", 0.75f);
    input_pattern(&c, FERRY_DT_FLOAT, DIMS(1, 1, 2, 5), 0);
    CHECK_OK(op_run(&c, 1, err_));
    CHECK_FLOATS(c.out[0].t, want, DIMS(1, 1, 2, 5));
    op_free(&c);
}

static void resize_in_every_coordinate_mode(void)
{
    static const float bilinear_legacy[] = {
        -1.125f, 1.125f, 0.916666627f, 0.791666627f, 0.583333313f, 0.458333313f, -0.299999952f, 0.524999976f,
        0.316666603f, 0.191666603f, -0.0166667104f, -0.14166671f, 0.0499999523f, -0.0750000477f, -0.125f, -0.25f,
        -0.141666621f, -0.266666621f, -0.550000072f, -0.675000072f, -0.24999994f, -0.37499994f, 0.683333457f, 0.558333457f,
        -0.75f, -0.875f, -0.291666567f, -0.416666567f, 0.958333313f, 0.833333313f,
    };
    static const float bilinear_corners[] = {
        -1.125f, 1.125f, 0.875f, 0.75f, 0.5f, 0.375f, -0.4375f, 0.625f,
        0.375f, 0.25f, 0.0f, -0.125f, 0.25f, 0.125f, -0.125f, -0.25f,
        -0.5f, -0.625f, -0.25f, -0.375f, -0.03125f, -0.15625f, 0.1875f, 0.0625f,
        -0.75f, -0.875f, 0.0625f, -0.0625f, 0.875f, 0.75f,
    };
    static const float bilinear_half[] = {
        -0.770833254f, 1.08333337f, 0.875f, 0.75f, 0.541666627f, 0.416666627f, -0.379166603f, 0.683333337f,
        0.474999964f, 0.349999964f, 0.141666591f, 0.0166665912f, 0.208333328f, 0.0833333284f, -0.125f, -0.25f,
        -0.458333373f, -0.583333373f, -0.39166683f, -0.51666683f, -0.0124999732f, -0.137499973f, 0.366666794f, 0.241666794f,
        -0.791666687f, -0.916666687f, 0.0625f, -0.0625f, 0.916666627f, 0.791666627f,
    };
    static const float nearest_legacy[] = {
        -1.125f, 1.125f, 1.0f, 0.875f, 0.75f, 0.625f, -1.125f, 1.125f,
        1.0f, 0.875f, 0.75f, 0.625f, 0.25f, 0.125f, 0.0f, -0.125f,
        -0.25f, -0.375f, 0.25f, 0.125f, 0.0f, -0.125f, -0.25f, -0.375f,
        -0.75f, -0.875f, -1.0f, -1.125f, 1.125f, 1.0f,
    };
    static const float nearest_corners[] = {
        -1.125f, 1.125f, 0.75f, 0.625f, 0.5f, 0.375f, 0.25f, 0.125f,
        -0.25f, -0.375f, -0.5f, -0.625f, 0.25f, 0.125f, -0.25f, -0.375f,
        -0.5f, -0.625f, -0.75f, -0.875f, 1.125f, 1.0f, 0.875f, 0.75f,
        -0.75f, -0.875f, 1.125f, 1.0f, 0.875f, 0.75f,
    };
    static const float nearest_half[] = {
        -1.125f, 1.125f, 0.75f, 0.625f, 0.5f, 0.375f, -1.125f, 1.125f,
        0.75f, 0.625f, 0.5f, 0.375f, 0.25f, 0.125f, -0.25f, -0.375f,
        -0.5f, -0.625f, -0.75f, -0.875f, 1.125f, 1.0f, 0.875f, 0.75f,
        -0.75f, -0.875f, 1.125f, 1.0f, 0.875f, 0.75f,
    };
    const float *want[2][3] = { { bilinear_legacy, bilinear_corners, bilinear_half },
                                { nearest_legacy, nearest_corners, nearest_half } };
    static const int32_t size[] = { 5, 3 };
    for (int nearest = 0; nearest < 2; nearest++)
        for (int mode = 0; mode < 3; mode++) {
            op_case c;
            op_init(&c, nearest ? "ResizeNearestNeighbor" : "ResizeBilinear");
            attr_bool(&c, "align_corners", mode == 1);
            attr_bool(&c, "half_pixel_centers", mode == 2);
            input_pattern(&c, FERRY_DT_FLOAT, DIMS(1, 3, 4, 2), 0);
            input_ints(&c, DIMS(2), size);
            CHECK_OK(op_run(&c, 1, err_));
            if (!floats_match(c.out[0].t, want[nearest][mode], 30, DIMS(1, 5, 3, 2))) {
                fprintf(stderr, "  nearest %d mode %d\n", nearest, mode);
                CHECK(0);
            }
            op_free(&c);
        }
    op_case c;
    op_init(&c, "ResizeBilinear");
    input_pattern(&c, FERRY_DT_FLOAT, DIMS(1, 3, 4, 2), 0);
    input_ints(&c, DIMS(2), (const int32_t[]){ 0, 3 });
    CHECK_FAILS(FERRY_ERR_INVALID_ARGUMENT, "positive", op_run(&c, 1, err_));
    op_free(&c);
}

static void gradients_match_tensorflow(void)
{
    static const float relu[] = { 0.0f, 1.0f, 0.875f, 0.75f, 0.625f, 0.5f };
    static const float bias[] = { 0.875f, 2.25f, 1.25f };
    static const float sigmoid[] = { -1.14257812f, -1.015625f, -0.65625f, -0.38671875f };
    op_case c;
    op_init(&c, "ReluGrad");
    input_pattern(&c, FERRY_DT_FLOAT, DIMS(6), 1);
    input_pattern(&c, FERRY_DT_FLOAT, DIMS(6), 0);
    CHECK_OK(op_run(&c, 1, err_));
    CHECK_FLOATS(c.out[0].t, relu, DIMS(6));
    op_free(&c);
    op_init(&c, "BiasAddGrad");
    attr_str(&c, "data_format", "NCHW");
    input_pattern(&c, FERRY_DT_FLOAT, DIMS(2, 3, 2), 0);
    CHECK_OK(op_run(&c, 1, err_));
    CHECK_FLOATS(c.out[0].t, bias, DIMS(3));
    op_free(&c);
    float y[4];
    for (int i = 0; i < 4; i++)
        y[i] = (float)pattern(i, 0) + 0.5f;
    op_init(&c, "SigmoidGrad");
    input_floats(&c, DIMS(4), y);
    input_pattern(&c, FERRY_DT_FLOAT, DIMS(4), 1);
    CHECK_OK(op_run(&c, 1, err_));
    CHECK_FLOATS(c.out[0].t, sigmoid, DIMS(4));
    op_free(&c);
}

RUN_TESTS("kernels_nn",
          TEST(unary_float32_ops_match_tensorflow),
          TEST(unary_float64_ops_match_tensorflow),
          TEST(unary_half_and_bfloat16_round_like_tensorflow),
          TEST(unary_integers_wrap),
          TEST(predicates_and_logical_not),
          TEST(binary_real_ops_and_clip),
          TEST(reductions_match_tensorflow),
          TEST(reductions_of_integers_bools_and_empties),
          TEST(reduction_axes_are_checked),
          TEST(arg_max_and_min),
          TEST(matmul_transposes_and_float64),
          TEST(one_row_products_match_the_sum), TEST(vectorized_maps_stay_within_ulps), TEST(exp_of_nonpositive_stays_within_ulps), TEST(vector_targets_agree), TEST(fake_quant_matches_tensorflow), TEST(fused_products_match_tensorflow),
          TEST(conv2d_filter_gradient_matches_tensorflow),
          TEST(batch_matmul_broadcasts_and_adjoints),
          TEST(empty_products),
          TEST(einsum_matches_tensorflow),
          TEST(einsum_rejects_what_it_cannot_do),
          TEST(bias_add_in_both_layouts),
          TEST(softmax_and_log_softmax),
          TEST(cross_entropy_and_l2_loss),
          TEST(conv2d_matches_tensorflow),
          TEST(conv3d_depthwise_and_transposed), TEST(depthwise_wide_matches_direct_sums),
          TEST(conv_rejects_bad_geometry),
          TEST(pooling_matches_tensorflow),
          TEST(pooling_channels_first_is_a_transpose),
          TEST(pooling_rejects_bad_windows),
          TEST(fused_batch_norm_inference_and_training),
          TEST(lrn_matches_tensorflow),
          TEST(resize_in_every_coordinate_mode),
          TEST(gradients_match_tensorflow))
