/* Assert, Print, PrintV2 and StringFormat, as TensorFlow runs them: text
 * in TF's forms (kernels/summarize.h), printed through the runtime's sink. */
#include <stdlib.h>
#include <string.h>

#include "kernels/kernel.h"
#include "kernels/summarize.h"

/* A string attr's bytes (not NUL-terminated), or dflt. */
static const char *string_attr(const fy_node *n, const char *name, size_t *len, const char *dflt)
{
    const Tensorflow__AttrValue *v = fy_node_attr(n, name);
    if (v && v->value_case == TENSORFLOW__ATTR_VALUE__VALUE_S) {
        *len = v->s.len;
        return (const char *)v->s.data;
    }
    *len = strlen(dflt);
    return dflt;
}

static ferry_status text_status(fy_kernel_ctx *ctx, fy_text *t)
{
    if (!t->failed)
        return FERRY_OK;
    fy_text_free(t);
    return fy_kernel_fail(ctx, FERRY_ERR_OUT_OF_MEMORY, "out of memory for its text");
}

/* "[a][b]..." for inputs from..count-1, each summarized in the compact form;
 * sep goes between them. */
static ferry_status compact_inputs(fy_kernel_ctx *ctx, fy_text *out, int from, int64_t summarize, const char *sep)
{
    for (int i = from; i < ctx->input_count; i++) {
        const ferry_tensor *t = fy_input(ctx, i);
        if (!t) {
            fy_text_free(out);
            return FERRY_ERR_INVALID_ARGUMENT;
        }
        if (i > from)
            fy_text_adds(out, sep);
        fy_text_add(out, "[", 1);
        fy_summarize(out, t, summarize, 0);
        fy_text_add(out, "]", 1);
    }
    return text_status(ctx, out);
}

/* Assert(condition, data...): fails INVALID_ARGUMENT with the data when the
 * condition is false. */
static ferry_status k_assert(fy_kernel_ctx *ctx)
{
    const ferry_tensor *c = fy_input(ctx, 0);
    if (!c)
        return FERRY_ERR_INVALID_ARGUMENT;
    if (c->dtype != FERRY_DT_BOOL || c->count != 1 || c->rank > 0)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "the condition must be a bool scalar");
    if (*(const uint8_t *)c->data)
        return FERRY_OK;
    fy_text msg = { 0 };
    ferry_status st = compact_inputs(ctx, &msg, 1, fy_attr_int(ctx->node, "summarize", 3), " ");
    if (st)
        return st;
    st = fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "assertion failed: %s", msg.data ? msg.data : "");
    fy_text_free(&msg);
    return st;
}

/* Print(input, data...): input passes through; message and data go to
 * standard error, the first first_n times (all when negative). */
static ferry_status k_print(fy_kernel_ctx *ctx)
{
    if (!fy_input(ctx, 0))
        return FERRY_ERR_INVALID_ARGUMENT;
    int64_t first_n = fy_attr_int(ctx->node, "first_n", -1);
    if (first_n >= 0 && ctx->print && ctx->print->times && ctx->print->times(ctx->print, ctx->node) >= first_n) {
        fy_output_forward(ctx, 0, 0);
        return FERRY_OK;
    }
    size_t len;
    const char *message = string_attr(ctx->node, "message", &len, "");
    fy_text text = { 0 };
    fy_text_add(&text, message, len);
    ferry_status st = compact_inputs(ctx, &text, 1, fy_attr_int(ctx->node, "summarize", 3), "");
    if (st)
        return st;
    fy_text_add(&text, "\n", 1);
    if (!(st = text_status(ctx, &text)))
        st = fy_kernel_print(ctx, "stderr", text.data, text.len);
    fy_text_free(&text);
    if (!st)
        fy_output_forward(ctx, 0, 0);
    return st;
}

/* PrintV2(input): a string scalar and the `end` attr to output_stream. */
static ferry_status k_print_v2(fy_kernel_ctx *ctx)
{
    const ferry_tensor *in = fy_input(ctx, 0);
    if (!in)
        return FERRY_ERR_INVALID_ARGUMENT;
    if (in->dtype != FERRY_DT_STRING || in->rank != 0)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "the input must be a string scalar");
    char stream[1024];
    fy_attr_string(ctx->node, "output_stream", stream, sizeof(stream), "stderr");
    size_t end_len;
    const char *end = string_attr(ctx->node, "end", &end_len, "\n");
    const ferry_string *s = in->data;
    fy_text text = { 0 };
    fy_text_add(&text, s->data, s->size);
    fy_text_add(&text, end, end_len);
    ferry_status st = text_status(ctx, &text);
    if (!st)
        st = fy_kernel_print(ctx, stream, text.data ? text.data : "", text.len);
    fy_text_free(&text);
    return st;
}

/* StringFormat(inputs...): the template with each placeholder replaced by
 * the next input in the numpy-like form. */
static ferry_status k_string_format(fy_kernel_ctx *ctx)
{
    size_t tlen, plen;
    const char *tmpl = string_attr(ctx->node, "template", &tlen, "%s");
    const char *ph = string_attr(ctx->node, "placeholder", &plen, "%s");
    int64_t summarize = fy_attr_int(ctx->node, "summarize", 3);
    fy_text text = { 0 };
    int used = 0;
    size_t i = 0, piece = 0;
    while (i < tlen) {
        if (plen && i + plen <= tlen && !memcmp(tmpl + i, ph, plen)) {
            fy_text_add(&text, tmpl + piece, i - piece);
            const ferry_tensor *t = used < ctx->input_count ? fy_input(ctx, used) : NULL;
            if (!t) {
                fy_text_free(&text);
                return used < ctx->input_count ? FERRY_ERR_INVALID_ARGUMENT
                                               : fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT,
                                                                "the template has more placeholders than the %d inputs",
                                                                ctx->input_count);
            }
            fy_summarize(&text, t, summarize, 1);
            used++;
            i += plen;
            piece = i;
        } else {
            i++;
        }
    }
    fy_text_add(&text, tmpl + piece, tlen - piece);
    if (used != ctx->input_count) {
        fy_text_free(&text);
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "the template has %d placeholders for %d inputs", used,
                              ctx->input_count);
    }
    ferry_status st = text_status(ctx, &text);
    ferry_tensor *out = st ? NULL : fy_output_new(ctx, 0, FERRY_DT_STRING, NULL, 0);
    if (!st && !out)
        st = FERRY_ERR_OUT_OF_MEMORY;
    if (!st)
        st = fy_tensor_set_string(out, 0, text.data ? text.data : "", text.len, ctx->err);
    fy_text_free(&text);
    return st;
}

#define LOUD (FY_OP_NEVER_FOLD | FY_OP_DYNAMIC_SHAPE)

const fy_op_def fy_kernels_logging[] = {
    { .name = "Assert", .run = k_assert, .outputs = "", .traits = LOUD },
    { .name = "Print", .run = k_print, .traits = FY_OP_NEVER_FOLD, .shape = fy_shape_same },
    { .name = "PrintV2", .run = k_print_v2, .outputs = "", .traits = LOUD },
    { .name = "StringFormat", .run = k_string_format, .shape = fy_shape_scalar },
    { .name = NULL },
};
