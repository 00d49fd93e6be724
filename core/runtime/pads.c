/* Zero pads folded into convolutions. Keras writes ZeroPadding2D before a
 * strided convolution as a Pad of the whole activation, then a convolution
 * with VALID padding: a pass that copies the tensor into a bigger one
 * (MobileNetV2 at batch 32 spent 5 % of its time there). A convolution can
 * treat the zeros as its own padding instead. A float Pad (or PadV2 with a
 * zero constant) whose paddings are known at plan build, pad only the
 * spatial dims of a rank-4 input, and whose result only a Conv2D or
 * depthwise convolution (NHWC, VALID or EXPLICIT padding) reads as its
 * input, passes its input on at run time, and the convolution gets the
 * padding through its kernel context (kernel.h, extra_pad). */
#include "runtime/pads.h"

#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "runtime/fold.h"

#define PAD_VALUES 8 /* before and after, for each of four dims */

static int slot_of(const fy_plan *p, fy_edge e)
{
    e = e;
    return e.node < 0 ? -1 : p->slot_base[e.node] + e.index;
}

/* The value in `slot` known at plan build: a folded value or a constant. */
static const ferry_tensor *known_value(const fy_plan *p, const fy_runtime *rt, fy_edge e)
{
    int s = slot_of(p, e);
    const ferry_tensor *folded = s >= 0 ? fy_plan_folded(p, s) : NULL;
    if (folded)
        return folded;
    e = e;
    return e.node >= 0 && rt->constants && !strcmp(rt->graph.nodes[e.node].op, "Const") ? rt->constants[e.node]
                                                                                          : NULL;
}

static int is_zero_scalar(const ferry_tensor *t)
{
    return t && t->count == 1 && t->dtype == FERRY_DT_FLOAT && *(const float *)t->data == 0.0f;
}

/* Spatial-only, non-negative paddings of a rank-4 tensor into out. */
static int spatial_paddings(const ferry_tensor *t, int64_t *out)
{
    if (!t || t->rank != 2 || t->dims[0] != 4 || t->dims[1] != 2 ||
        (t->dtype != FERRY_DT_INT32 && t->dtype != FERRY_DT_INT64))
        return 0;
    for (int i = 0; i < PAD_VALUES; i++) {
        out[i] = t->dtype == FERRY_DT_INT32 ? ((const int32_t *)t->data)[i] : ((const int64_t *)t->data)[i];
        if (out[i] < 0 || out[i] > (1 << 20))
            return 0;
    }
    return !out[0] && !out[1] && !out[6] && !out[7];
}

static int takes_padding(const fy_runtime *rt, int node)
{
    const fy_node *n = &rt->graph.nodes[node];
    if (!rt->ops[node] || !(rt->ops[node]->traits & FY_OP_TAKES_PADS))
        return 0;
    char format[8], padding[16];
    const char *f = fy_attr_string(n, "data_format", format, sizeof(format), "NHWC");
    const char *pad = fy_attr_string(n, "padding", padding, sizeof(padding), "");
    return f && pad && !strcmp(f, "NHWC") && (!strcmp(pad, "VALID") || !strcmp(pad, "EXPLICIT"));
}

static int is_fed(const fy_plan *p, int node)
{
    for (int i = 0; i < p->feed_count; i++)
        if (p->feeds[i].node == node)
            return 1;
    return 0;
}

ferry_status fy_plan_absorb_pads(fy_plan *p, const fy_runtime *rt, ferry_error **err)
{
    const fy_graph *g = &rt->graph;
    int *reads = calloc((size_t)p->slot_count + 1, sizeof(int)), *reader = calloc((size_t)p->slot_count + 1, sizeof(int));
    if (!reads || !reader) {
        free(reads);
        free(reader);
        return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    }
    for (int k = 0; k < p->order_count; k++) {
        const fy_node *n = &g->nodes[p->order[k]];
        for (int i = 0; i < n->input_count; i++) {
            int s = slot_of(p, n->inputs[i]);
            if (s >= 0) {
                reads[s] += i == 0 ? 1 : 2; /* only a convolution's input 0 can take the pad */
                reader[s] = k;
            }
        }
        for (int i = 0; i < n->control_count; i++)
            reads[p->slot_base[n->controls[i]]] += 2;
    }
    for (int i = 0; i < p->fetch_count; i++)
        reads[p->slot_base[p->fetches[i].node] + p->fetches[i].index] += 2;
    ferry_status st = FERRY_OK;
    for (int k = 0; !st && k < p->order_count; k++) {
        int id = p->order[k];
        const fy_node *n = &g->nodes[id];
        int pad = !strcmp(n->op, "Pad"), pad_v2 = !strcmp(n->op, "PadV2");
        if ((!pad && !pad_v2) || n->input_count != 2 + pad_v2 || is_fed(p, id) ||
            fy_attr_type(n, "T", FERRY_DT_INVALID) != FERRY_DT_FLOAT)
            continue;
        int out = p->slot_base[id];
        int64_t values[PAD_VALUES];
        if (reads[out] != 1 || !takes_padding(rt, p->order[reader[out]]) ||
            !spatial_paddings(known_value(p, rt, n->inputs[1]), values) ||
            (pad_v2 && !is_zero_scalar(known_value(p, rt, n->inputs[2]))))
            continue;
        if (!p->pad_at) {
            p->pad_at = malloc(((size_t)p->order_count + 1) * sizeof(int));
            if (!p->pad_at) {
                st = fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
                break;
            }
            for (int i = 0; i < p->order_count; i++)
                p->pad_at[i] = -1;
        }
        int64_t *grown = realloc(p->pads, (size_t)(p->pad_count + 1) * PAD_VALUES * sizeof(int64_t));
        if (!grown) {
            st = fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
            break;
        }
        p->pads = grown;
        memcpy(p->pads + p->pad_count * PAD_VALUES, values, sizeof(values));
        p->pad_at[k] = FY_PAD_PASSES_ON;
        p->pad_at[reader[out]] = p->pad_count++;
    }
    free(reads);
    free(reader);
    return st;
}
