/* Constant folding: the nodes of a plan that depend on nothing but
 * constants run once, when the plan is built. The values they leave for the
 * rest of the plan become the plan's own constants, and the nodes leave the
 * run order. */
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "runtime/fold.h"
#include "runtime/run.h"

/* A plan whose folded results would hold one bigger than this folds
 * nothing, as TensorFlow's folding limit keeps plans small. */
#define MAX_FOLDED_BYTES ((size_t)16 << 20)

/* Ops that touch state or the outside world, steer control flow, draw
 * random numbers or take feeds run every time. */
#define NOT_FOLDED                                                                                    \
    (FY_OP_WRITES_STATE | FY_OP_READS_STATE | FY_OP_CALLS_FUNCTIONS | FY_OP_TAKES_REFS | FY_OP_NEVER_FOLD | \
     FY_OP_OUTSIDE | FY_OP_SWITCH | FY_OP_MERGE)

static int foldable_op(const fy_runtime *rt, int id)
{
    const fy_node *n = &rt->graph.nodes[id];
    const fy_op_def *d = rt->ops[id];
    return d && d->run && !(d->traits & NOT_FOLDED) && !n->inlined_call && !n->broken;
}

/* Marks, in run order, the nodes whose inputs all come from folded nodes. */
static int mark_folded(const fy_plan *p, const fy_runtime *rt, unsigned char *folded)
{
    const fy_graph *g = &rt->graph;
    int count = 0;
    for (int k = 0; k < p->order_count; k++) {
        int id = p->order[k];
        const fy_node *n = &g->nodes[id];
        int ok = foldable_op(rt, id);
        for (int i = 0; ok && i < n->input_count; i++) {
            fy_edge e = n->inputs[i];
            ok = e.node >= 0 && folded[e.node];
        }
        for (int i = 0; ok && i < n->control_count; i++)
            ok = folded[n->controls[i]];
        for (int i = 0; ok && i < p->feed_count; i++)
            ok = p->feeds[i].node != id;
        folded[id] = (unsigned char)ok;
        count += ok;
    }
    return count;
}

/* Slots of folded nodes that a remaining node reads or the plan fetches. */
static int kept_slot(const fy_plan *p, const fy_graph *g, const unsigned char *folded, int slot)
{
    for (int i = 0; i < p->fetch_count; i++)
        if (p->slot_base[p->fetches[i].node] + p->fetches[i].index == slot)
            return 1;
    for (int k = 0; k < p->order_count; k++) {
        const fy_node *n = &g->nodes[p->order[k]];
        if (folded[p->order[k]])
            continue;
        for (int i = 0; i < n->input_count; i++) {
            fy_edge e = n->inputs[i];
            if (e.node >= 0 && p->slot_base[e.node] + e.index == slot)
                return 1;
        }
        for (int i = 0; i < n->control_count; i++)
            if (p->slot_base[n->controls[i]] == slot)
                return 1;
    }
    return 0;
}

/* Runs the folded nodes in order on their own slots; 0 when any fails. */
static int run_folded(const fy_plan *p, fy_runtime *rt, const unsigned char *folded, fy_value *slots)
{
    const fy_graph *g = &rt->graph;
    int max_inputs = 0;
    for (int k = 0; k < p->order_count; k++)
        if (folded[p->order[k]] && g->nodes[p->order[k]].input_count > max_inputs)
            max_inputs = g->nodes[p->order[k]].input_count;
    fy_value *in = calloc((size_t)max_inputs + 1, sizeof(fy_value));
    fy_retired retired = { NULL, 0, 0 };
    fy_run run = { rt, &retired, NULL, NULL };
    ferry_error *err = NULL;
    int ok = in != NULL;
    for (int k = 0; ok && k < p->order_count; k++) {
        int id = p->order[k];
        if (!folded[id])
            continue;
        const fy_node *n = &g->nodes[id];
        for (int i = 0; i < n->input_count; i++)
            in[i] = slots[p->slot_base[n->inputs[i].node] + n->inputs[i].index];
        int outs = n->output_count > 0 ? n->output_count : 1;
        fy_kernel_ctx ctx = { .node = n, .inputs = in, .input_count = n->input_count,
                              .outputs = &slots[p->slot_base[id]], .output_count = outs, .runtime = &run, .err = &err };
        ok = rt->ops[id]->run(&ctx) == FERRY_OK;
        for (int o = 0; ok && o < outs; o++)
            ok = slots[p->slot_base[id] + o].t && !slots[p->slot_base[id] + o].var;
    }
    ferry_error_free(err);
    free(retired.tensors);
    free(in);
    return ok;
}

ferry_status fy_plan_fold(fy_plan *p, fy_runtime *rt, ferry_error **err)
{
    const fy_graph *g = &rt->graph;
    unsigned char *folded = calloc((size_t)g->node_count + 1, 1);
    fy_value *slots = calloc((size_t)p->slot_count + 1, sizeof(fy_value));
    int *order = malloc(((size_t)p->order_count + 1) * sizeof(int));
    ferry_status st = folded && slots && order ? FERRY_OK : fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    if (!st && mark_folded(p, rt, folded) > 0 && run_folded(p, rt, folded, slots)) {
        /* Keep what the rest of the plan reads; free the intermediates. A
         * kept value that passes another through (Identity) takes it over. */
        int kept = 0, too_big = 0;
        for (int s = 0; s < p->slot_count; s++)
            if (slots[s].t && kept_slot(p, g, folded, s)) {
                slots[s].dead = 1; /* marks "kept" until the values move */
                kept++;
                too_big |= slots[s].t->nbytes > MAX_FOLDED_BYTES;
            }
        for (int s = 0; s < p->slot_count; s++) {
            if (!slots[s].t || slots[s].dead)
                continue;
            for (int k = 0; slots[s].owned && k < p->slot_count; k++)
                if (slots[k].dead && slots[k].t == slots[s].t && !slots[k].owned) {
                    slots[k].owned = 1;
                    slots[s].owned = 0;
                }
            fy_value_release(&slots[s]);
        }
        for (int s = 0; s < p->slot_count; s++)
            slots[s].dead = 0;
        p->folded_slots = too_big ? NULL : malloc(((size_t)kept + 1) * sizeof(int));
        p->folded = too_big ? NULL : calloc((size_t)kept + 1, sizeof(fy_value));
        if (!too_big && (!p->folded_slots || !p->folded)) {
            st = fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
        } else if (!too_big) {
            for (int s = 0; s < p->slot_count; s++)
                if (slots[s].t) {
                    slots[s].t->lasting = 1;
                    p->folded_slots[p->folded_count] = s;
                    p->folded[p->folded_count++] = slots[s];
                    slots[s] = (fy_value){ .t = NULL };
                }
            int n = 0;
            for (int k = 0; k < p->order_count; k++)
                if (!folded[p->order[k]])
                    order[n++] = p->order[k];
            memcpy(p->order, order, (size_t)n * sizeof(int));
            p->order_count = n;
        }
    }
    for (int s = 0; slots && s < p->slot_count; s++)
        fy_value_release(&slots[s]);
    free(folded);
    free(slots);
    free(order);
    return st;
}

const ferry_tensor *fy_plan_folded(const fy_plan *p, int slot)
{
    for (int i = 0; i < p->folded_count; i++)
        if (p->folded_slots[i] == slot)
            return p->folded[i].t;
    return NULL;
}

void fy_plan_fold_clear(fy_plan *p)
{
    for (int i = 0; i < p->folded_count; i++)
        fy_value_release(&p->folded[i]);
    free(p->folded);
    free(p->folded_slots);
    p->folded = NULL;
    p->folded_slots = NULL;
    p->folded_count = 0;
}
