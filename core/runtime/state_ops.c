/* Ops the runtime implements itself because they touch model state:
 * constants decoded at load, placeholders, and variables. */
#include <stdlib.h>
#include <string.h>

#include "base/dtype.h"
#include "base/error.h"
#include "kernels/gather.h"
#include "runtime/run.h"

static fy_runtime *runtime_of(fy_kernel_ctx *ctx)
{
    return ((fy_run *)ctx->runtime)->rt;
}

static int node_index(fy_kernel_ctx *ctx)
{
    return (int)(ctx->node - runtime_of(ctx)->graph.nodes);
}

static ferry_status k_const(fy_kernel_ctx *ctx)
{
    ctx->outputs[0] = (fy_value){ .t = runtime_of(ctx)->constants[node_index(ctx)] };
    return FERRY_OK;
}

static ferry_status k_placeholder(fy_kernel_ctx *ctx)
{
    return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "placeholder '%s' must be fed", ctx->node->name);
}

static ferry_status k_noop(fy_kernel_ctx *ctx)
{
    (void)ctx;
    return FERRY_OK;
}

/* VariableV2 / Variable: a reference to the variable. */
static ferry_status k_variable(fy_kernel_ctx *ctx)
{
    fy_variable *var = runtime_of(ctx)->var_of_node[node_index(ctx)];
    ctx->outputs[0] = (fy_value){ .t = var->value, .var = var, .ref = 1 };
    return FERRY_OK;
}

static ferry_status k_var_handle(fy_kernel_ctx *ctx)
{
    ctx->outputs[0] = (fy_value){ .var = runtime_of(ctx)->var_of_node[node_index(ctx)] };
    return FERRY_OK;
}

static ferry_status var_input(fy_variable **out, fy_kernel_ctx *ctx)
{
    if (ctx->input_count < 1 || !ctx->inputs[0].var)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "input 0 is not a variable");
    *out = ctx->inputs[0].var;
    return FERRY_OK;
}

/* The value of the variable behind resource input 0. */
static ferry_status variable_value(fy_kernel_ctx *ctx, ferry_tensor **out)
{
    fy_variable *var = NULL;
    ferry_status st = var_input(&var, ctx);
    if (st)
        return st;
    if (!var->value)
        return fy_kernel_fail(ctx, FERRY_ERR_RUNTIME, "variable '%s' is not initialized", var->name);
    *out = var->value;
    return FERRY_OK;
}

static ferry_status k_read_variable(fy_kernel_ctx *ctx)
{
    ferry_tensor *value = NULL;
    ferry_status st = variable_value(ctx, &value);
    if (!st)
        ctx->outputs[0] = (fy_value){ .t = value };
    return st;
}

static ferry_status store(fy_kernel_ctx *ctx, fy_variable *var, const ferry_tensor *value)
{
    ferry_tensor *copy = NULL;
    ferry_status st = fy_tensor_copy(&copy, value, ctx->err);
    if (!st)
        st = fy_run_assign(ctx->runtime, var, copy, ctx->err);
    return st;
}

/* Assign(ref, value) -> ref; AssignVariableOp(resource, value). */
static ferry_status k_assign(fy_kernel_ctx *ctx)
{
    fy_variable *var = NULL;
    ferry_status st = var_input(&var, ctx);
    const ferry_tensor *value = st ? NULL : fy_input(ctx, 1);
    if (!value)
        return st ? st : FERRY_ERR_INVALID_ARGUMENT;
    if (var->dtype != FERRY_DT_INVALID && value->dtype != var->dtype)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "assigning %s to variable '%s' of dtype %s",
                              ferry_dtype_name(value->dtype), var->name, ferry_dtype_name(var->dtype));
    st = store(ctx, var, value);
    if (!st && ctx->output_count > 0) /* Assign gives the ref; AssignVariableOp gives nothing */
        ctx->outputs[0] = (fy_value){ .t = var->value, .var = var, .ref = 1 };
    return st;
}

/* value += delta (or -=), elementwise over same-shaped tensors. */
static ferry_status update(fy_kernel_ctx *ctx, int subtract)
{
    fy_variable *var = NULL;
    ferry_status st = var_input(&var, ctx);
    const ferry_tensor *delta = st ? NULL : fy_input(ctx, 1);
    if (!delta)
        return st ? st : FERRY_ERR_INVALID_ARGUMENT;
    const ferry_tensor *cur = var->value;
    if (!cur)
        return fy_kernel_fail(ctx, FERRY_ERR_RUNTIME, "variable '%s' is not initialized", var->name);
    if (cur->dtype != delta->dtype || cur->count != delta->count)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "update of variable '%s' does not match its shape or dtype",
                              var->name);
    ferry_tensor *next = NULL;
    st = fy_tensor_copy(&next, cur, ctx->err);
    if (st)
        return st;
    int64_t n = next->count;
    switch (next->dtype) {
#define UPDATE(DT, T)                                                                       \
    case DT: {                                                                              \
        T *a = next->data;                                                                  \
        const T *b = delta->data;                                                           \
        for (int64_t i = 0; i < n; i++)                                                     \
            a[i] = subtract ? (T)(a[i] - b[i]) : (T)(a[i] + b[i]);                          \
        break;                                                                              \
    }
        UPDATE(FERRY_DT_FLOAT, float)
        UPDATE(FERRY_DT_DOUBLE, double)
        UPDATE(FERRY_DT_INT32, int32_t)
        UPDATE(FERRY_DT_INT64, int64_t)
#undef UPDATE
    default:
        ferry_tensor_free(next);
        return fy_kernel_fail(ctx, FERRY_ERR_UNSUPPORTED, "updates of %s variables", ferry_dtype_name(cur->dtype));
    }
    st = fy_run_assign(ctx->runtime, var, next, ctx->err);
    if (!st && ctx->output_count > 0) /* the ref variants give the ref */
        ctx->outputs[0] = (fy_value){ .t = var->value, .var = var, .ref = 1 };
    return st;
}

/* var -= alpha * delta: the update of ApplyGradientDescent (ref variables)
 * and ResourceApplyGradientDescent, for models that train in a signature. */
static ferry_status k_apply_gradient_descent(fy_kernel_ctx *ctx)
{
    fy_variable *var = NULL;
    ferry_status st = var_input(&var, ctx);
    const ferry_tensor *alpha = st ? NULL : fy_input(ctx, 1), *delta = alpha ? fy_input(ctx, 2) : NULL;
    if (!delta)
        return st ? st : FERRY_ERR_INVALID_ARGUMENT;
    const ferry_tensor *cur = var->value;
    if (!cur)
        return fy_kernel_fail(ctx, FERRY_ERR_RUNTIME, "variable '%s' is not initialized", var->name);
    if (cur->dtype != delta->dtype || alpha->dtype != cur->dtype || alpha->count != 1 || cur->count != delta->count)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "alpha and delta do not match variable '%s'", var->name);
    ferry_tensor *next = NULL;
    if ((st = fy_tensor_copy(&next, cur, ctx->err)) != FERRY_OK)
        return st;
    if (cur->dtype == FERRY_DT_FLOAT) {
        float a = *(const float *)alpha->data, *v = next->data;
        const float *d = delta->data;
        for (int64_t i = 0; i < next->count; i++)
            v[i] -= a * d[i];
    } else if (cur->dtype == FERRY_DT_DOUBLE) {
        double a = *(const double *)alpha->data, *v = next->data;
        const double *d = delta->data;
        for (int64_t i = 0; i < next->count; i++)
            v[i] -= a * d[i];
    } else {
        ferry_tensor_free(next);
        return fy_kernel_fail(ctx, FERRY_ERR_UNSUPPORTED, "gradient descent on %s variables", ferry_dtype_name(cur->dtype));
    }
    st = fy_run_assign(ctx->runtime, var, next, ctx->err);
    if (!st && ctx->output_count > 0)
        ctx->outputs[0] = (fy_value){ .t = var->value, .var = var, .ref = 1 };
    return st;
}

static ferry_status k_assign_add(fy_kernel_ctx *ctx) { return update(ctx, 0); }
static ferry_status k_assign_sub(fy_kernel_ctx *ctx) { return update(ctx, 1); }

static ferry_status k_is_initialized(fy_kernel_ctx *ctx)
{
    fy_variable *var = NULL;
    ferry_status st = var_input(&var, ctx);
    if (st)
        return st;
    ferry_tensor *t = fy_output_new(ctx, 0, FERRY_DT_BOOL, NULL, 0);
    if (!t)
        return FERRY_ERR_OUT_OF_MEMORY;
    *(unsigned char *)t->data = var->value != NULL;
    return FERRY_OK;
}

/* ResourceGather(resource, indices), batch_dims attr: GatherV2 of the
 * variable's value along axis batch_dims. */
static ferry_status k_resource_gather(fy_kernel_ctx *ctx)
{
    ferry_tensor *params = NULL;
    const ferry_tensor *indices;
    ferry_status st = variable_value(ctx, &params);
    if (st)
        return st;
    if (!(indices = fy_input(ctx, 1)))
        return FERRY_ERR_INVALID_ARGUMENT;
    int64_t batch_dims = fy_attr_int(ctx->node, "batch_dims", 0);
    if (batch_dims < 0)
        batch_dims += indices->rank;
    if (params->rank == 0)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "params must be at least 1-D");
    return fy_gather(ctx, params, indices, batch_dims, batch_dims);
}

static ferry_status k_resource_gather_nd(fy_kernel_ctx *ctx)
{
    ferry_tensor *params = NULL;
    const ferry_tensor *indices;
    ferry_status st = variable_value(ctx, &params);
    if (st)
        return st;
    return (indices = fy_input(ctx, 1)) != NULL ? fy_gather_nd(ctx, params, indices) : FERRY_ERR_INVALID_ARGUMENT;
}

#define R FY_OP_READS_STATE
#define W (FY_OP_WRITES_STATE | FY_OP_READS_STATE)
#define RW_REF (W | FY_OP_TAKES_REFS)

const fy_op_def fy_runtime_ops[] = {
    { .name = "Const", .run = k_const, .traits = FY_OP_TYPED, .shape = fy_shape_from_value },
    { .name = "Placeholder", .run = k_placeholder,
      .traits = FY_OP_NEVER_FOLD | FY_OP_PLACEHOLDER | FY_OP_TYPED, .shape = fy_shape_declared },
    { .name = "NoOp", .run = k_noop, .traits = FY_OP_NEVER_FOLD | FY_OP_DYNAMIC_SHAPE },
    { .name = "DisableCopyOnRead", .run = k_noop, .traits = FY_OP_DYNAMIC_SHAPE },
    { .name = "VariableV2", .run = k_variable, .traits = R | FY_OP_TYPED, .shape = fy_shape_declared },
    { .name = "Variable", .run = k_variable, .traits = R | FY_OP_TYPED, .shape = fy_shape_declared },
    { .name = "VarHandleOp", .run = k_var_handle, .traits = FY_OP_NEVER_FOLD, .shape = fy_shape_declared },
    { .name = "ReadVariableOp", .run = k_read_variable, .traits = R | FY_OP_FORWARDS, .shape = fy_shape_same },
    { .name = "Assign", .run = k_assign, .traits = RW_REF | FY_OP_DYNAMIC_SHAPE },
    { .name = "AssignVariableOp", .run = k_assign, .outputs = "", .traits = W | FY_OP_DYNAMIC_SHAPE },
    { .name = "AssignAdd", .run = k_assign_add, .traits = RW_REF | FY_OP_DYNAMIC_SHAPE },
    { .name = "AssignSub", .run = k_assign_sub, .traits = RW_REF | FY_OP_DYNAMIC_SHAPE },
    { .name = "AssignAddVariableOp", .run = k_assign_add, .outputs = "", .traits = W | FY_OP_DYNAMIC_SHAPE },
    { .name = "AssignSubVariableOp", .run = k_assign_sub, .outputs = "", .traits = W | FY_OP_DYNAMIC_SHAPE },
    { .name = "ApplyGradientDescent", .run = k_apply_gradient_descent, .traits = RW_REF | FY_OP_DYNAMIC_SHAPE },
    { .name = "ResourceApplyGradientDescent", .run = k_apply_gradient_descent,
      .outputs = "", .traits = W | FY_OP_DYNAMIC_SHAPE },
    { .name = "ResourceGather", .run = k_resource_gather, .traits = R | FY_OP_DYNAMIC_SHAPE },
    { .name = "ResourceGatherNd", .run = k_resource_gather_nd, .traits = R | FY_OP_DYNAMIC_SHAPE },
    { .name = "VarIsInitializedOp", .run = k_is_initialized, .traits = R, .shape = fy_shape_scalar },
    { .name = "IsVariableInitialized", .run = k_is_initialized,
      .traits = R | FY_OP_TAKES_REFS, .shape = fy_shape_scalar },
    { .name = NULL },
};
