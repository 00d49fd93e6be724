/* Functional control flow: While, If and Case run functions prepared once
 * per node (runtime/functions), passing values without copying. */
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "runtime/functions.h"
#include "runtime/hoist.h"
#include "runtime/run.h"

static fy_function **functions_of(fy_kernel_ctx *ctx)
{
    fy_runtime *rt = ((fy_run *)ctx->runtime)->rt;
    int node = (int)(ctx->node - rt->graph.nodes);
    return rt->functions ? rt->functions[node] : NULL;
}

/* Runs f on args; results go to outs (owned values belong to the caller).
 * With `consume`, f takes the args the caller owns (see fy_plan_exec). */
static ferry_status call(fy_kernel_ctx *ctx, fy_function *f, const fy_value *args, int n, int consume, fy_value *outs)
{
    if (n != f->arg_count) {
        for (int i = 0; consume && i < n; i++)
            if (args[i].owned)
                ferry_tensor_free(args[i].t);
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "passes %d values to a function taking %d", n,
                              f->arg_count);
    }
    const fy_run *run = ctx->runtime;
    fy_run sub = { &f->rt, run->retired, run->arena, run->bounds };
    ferry_status st = fy_plan_exec(f->plan, &sub, args, consume, outs, ctx->err);
    return st ? fy_error_prefix(ctx->err, "node '%s' (%s)", ctx->node->name, ctx->node->op) : FERRY_OK;
}

/* TF's truth of a predicate: a scalar's value, else "not empty". */
static int truth(const ferry_tensor *t)
{
    if (!t)
        return 0;
    if (t->rank > 0)
        return t->count > 0;
    switch (t->dtype) {
    case FERRY_DT_BOOL: case FERRY_DT_INT8: case FERRY_DT_UINT8: return *(const uint8_t *)t->data != 0;
    case FERRY_DT_INT32: return *(const int32_t *)t->data != 0;
    case FERRY_DT_INT64: return *(const int64_t *)t->data != 0;
    case FERRY_DT_FLOAT: return *(const float *)t->data != 0;
    case FERRY_DT_DOUBLE: return *(const double *)t->data != 0;
    case FERRY_DT_STRING: return ((const ferry_string *)t->data)->size > 0;
    default: return 1;
    }
}

static void release_all(fy_value *v, int n)
{
    for (int i = 0; i < n; i++)
        fy_value_release(&v[i]);
}

static ferry_status k_while(fy_kernel_ctx *ctx)
{
    fy_function **fns = functions_of(ctx);
    if (!fns || !fns[0] || !fns[1])
        return fy_kernel_fail(ctx, FERRY_ERR_INTERNAL, "loop functions were not prepared");
    int n = ctx->input_count;
    fy_value *cur = calloc((size_t)n + 1, sizeof(fy_value)), *next = calloc((size_t)n + 1, sizeof(fy_value));
    if (!cur || !next) {
        free(cur);
        free(next);
        return fy_kernel_fail(ctx, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    }
    for (int i = 0; i < n; i++)
        cur[i] = (fy_value){ .t = ctx->inputs[i].t, .var = ctx->inputs[i].var };
    /* Products of every step made at once, when the body has some and the values fit (runtime/hoist.c). */
    fy_function *body = fns[1], *hoisted = body->hoisted;
    int made = 0;
    ferry_status st = hoisted && hoisted->arg_count == n
                        ? fy_hoist_begin(hoisted->hoists, hoisted->hoist_count, cur, ctx->pool, &made, ctx->err)
                        : FERRY_OK;
    if (st)
        fy_error_prefix(ctx->err, "node '%s' (%s)", ctx->node->name, ctx->node->op);
    if (made)
        body = hoisted;
    for (;;) {
        if (st)
            break;
        fy_value pred = { 0 };
        st = call(ctx, fns[0], cur, n, 0, &pred);
        int go = !st && truth(pred.t);
        fy_value_release(&pred);
        if (!go)
            break;
        /* The body takes this iteration's state, so it can update a
         * TensorList or an accumulator in place instead of copying it. */
        st = call(ctx, body, cur, n, 1, next);
        fy_values_disown(cur, n);
        if (st)
            break;
        fy_values_advance(cur, next, n);
    }
    /* The loop passed the lists of hoisted products through: its results are the lists it was given. */
    for (int i = 0; made && !st && i < hoisted->hoist_count; i++) {
        int arg = hoisted->hoists[i].list_arg;
        fy_value_release(&cur[arg]);
        cur[arg] = (fy_value){ .t = ctx->inputs[arg].t, .var = ctx->inputs[arg].var };
    }
    if (st) {
        release_all(cur, n);
    } else {
        for (int i = 0; i < n && i < ctx->output_count; i++)
            ctx->outputs[i] = cur[i];
        release_all(cur + ctx->output_count, n > ctx->output_count ? n - ctx->output_count : 0);
    }
    free(cur);
    free(next);
    return st;
}

static ferry_status run_branch(fy_kernel_ctx *ctx, fy_function *f)
{
    fy_value *outs = calloc((size_t)f->result_count + 1, sizeof(fy_value));
    if (!outs)
        return fy_kernel_fail(ctx, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    ferry_status st = call(ctx, f, ctx->inputs + 1, ctx->input_count - 1, 0, outs);
    for (int i = 0; i < f->result_count; i++) {
        if (!st && i < ctx->output_count)
            ctx->outputs[i] = outs[i];
        else
            fy_value_release(&outs[i]);
    }
    free(outs);
    return st;
}

static ferry_status k_if(fy_kernel_ctx *ctx)
{
    fy_function **fns = functions_of(ctx);
    const ferry_tensor *pred = fy_input(ctx, 0);
    if (!pred)
        return FERRY_ERR_INVALID_ARGUMENT;
    if (!fns || !fns[0] || !fns[1])
        return fy_kernel_fail(ctx, FERRY_ERR_INTERNAL, "branch functions were not prepared");
    return run_branch(ctx, truth(pred) ? fns[0] : fns[1]);
}

static ferry_status k_case(fy_kernel_ctx *ctx)
{
    fy_function **fns = functions_of(ctx);
    const ferry_tensor *index = fy_input(ctx, 0);
    if (!index)
        return FERRY_ERR_INVALID_ARGUMENT;
    if (index->dtype != FERRY_DT_INT32 || index->count != 1)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "branch_index must be an int32 scalar");
    int count = 0;
    while (fns && fns[count])
        count++;
    if (!count)
        return fy_kernel_fail(ctx, FERRY_ERR_INTERNAL, "branch functions were not prepared");
    int32_t i = *(const int32_t *)index->data;
    /* Out of range picks the last branch, the default. */
    return run_branch(ctx, fns[i >= 0 && i < count ? i : count - 1]);
}

/* TF1 Switch: data goes to output 1 when pred is true, else output 0; the
 * other output is dead. */
static ferry_status k_switch(fy_kernel_ctx *ctx)
{
    const ferry_tensor *pred = ctx->input_count > 1 ? ctx->inputs[1].t : NULL;
    if (!pred || pred->dtype != FERRY_DT_BOOL || pred->count != 1)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "pred must be a bool scalar");
    int taken = *(const uint8_t *)pred->data != 0;
    fy_output_forward(ctx, taken, 0);
    ctx->outputs[!taken] = (fy_value){ .dead = 1 };
    return FERRY_OK;
}

/* TF1 Merge: the first live input, and its index. */
static ferry_status k_merge(fy_kernel_ctx *ctx)
{
    int i = 0;
    while (i < ctx->input_count && ctx->inputs[i].dead)
        i++;
    if (i == ctx->input_count)
        return fy_kernel_fail(ctx, FERRY_ERR_INTERNAL, "every input is dead");
    fy_output_forward(ctx, 0, i);
    if (ctx->output_count > 1) {
        ferry_tensor *index = fy_output_new(ctx, 1, FERRY_DT_INT32, NULL, 0);
        if (!index)
            return FERRY_ERR_OUT_OF_MEMORY;
        *(int32_t *)index->data = i;
    }
    return FERRY_OK;
}

#define F FY_OP_CALLS_FUNCTIONS

const fy_op_def fy_control_ops[] = {
    { .name = "While", .run = k_while, .outputs = "output:T", .traits = FY_OP_WHILE | F | FY_OP_DYNAMIC_SHAPE },
    { .name = "StatelessWhile", .run = k_while, .outputs = "output:T", .traits = FY_OP_WHILE | F | FY_OP_DYNAMIC_SHAPE },
    { .name = "If", .run = k_if, .outputs = "output:Tout", .traits = F | FY_OP_DYNAMIC_SHAPE },
    { .name = "StatelessIf", .run = k_if, .outputs = "output:Tout", .traits = F | FY_OP_DYNAMIC_SHAPE },
    { .name = "Case", .run = k_case, .outputs = "output:Tout", .traits = F | FY_OP_DYNAMIC_SHAPE },
    { .name = "StatelessCase", .run = k_case, .outputs = "output:Tout", .traits = F | FY_OP_DYNAMIC_SHAPE },
    { .name = "Switch", .run = k_switch,
      .outputs = "output_false,output_true", .traits = FY_OP_NEVER_FOLD | FY_OP_SWITCH | FY_OP_DYNAMIC_SHAPE },
    { .name = "RefSwitch", .run = k_switch,
      .outputs = "output_false,output_true", .traits = FY_OP_NEVER_FOLD | FY_OP_SWITCH | FY_OP_DYNAMIC_SHAPE },
    { .name = "Merge", .run = k_merge,
      .outputs = "output,value_index", .traits = FY_OP_NEVER_FOLD | FY_OP_MERGE | FY_OP_DYNAMIC_SHAPE },
    { .name = "RefMerge", .run = k_merge,
      .outputs = "output,value_index", .traits = FY_OP_NEVER_FOLD | FY_OP_MERGE | FY_OP_DYNAMIC_SHAPE },
    { .name = NULL },
};
