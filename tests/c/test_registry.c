/* The registry's self-test: every op definition is whole and the tables
 * agree with themselves, so adding an op is one entry that cannot be half
 * done. */
#include <ferry/ferry.h>

#include "check.h"
#include "kernels/kernel.h"
#include "runtime/passes.h"
#include "runtime/runtime.h"

typedef void (*def_check)(const fy_op_def *d, int internal);

static void each_def(def_check check)
{
    for (int internal = 0; internal < 2; internal++) {
        const fy_op_def *const *tables;
        size_t n;
        fy_op_tables(&tables, &n, internal);
        for (size_t t = 0; t < n; t++)
            for (const fy_op_def *d = tables[t]; d->name; d++)
                check(d, internal);
    }
}

static void has_kernel_unless_not_run(const fy_op_def *d, int internal)
{
    (void)internal;
    int not_run = (d->traits & FY_OP_NOT_RUN) != 0;
    if (not_run == (d->run != NULL)) {
        fprintf(stderr, "op %s: %s\n", d->name, not_run ? "is FY_OP_NOT_RUN but has a kernel" : "has no kernel");
        check_current_failed = 1;
    }
}

static void every_op_runs_or_says_it_never_does(void)
{
    each_def(has_kernel_unless_not_run);
}

static void shape_rule_or_dynamic(const fy_op_def *d, int internal)
{
    (void)internal;
    int dynamic = (d->traits & FY_OP_DYNAMIC_SHAPE) != 0;
    if (dynamic == (d->shape != NULL)) {
        fprintf(stderr, "op %s: %s\n", d->name,
                dynamic ? "is marked dynamic but has a shape rule" : "has no shape rule and is not marked dynamic");
        check_current_failed = 1;
    }
}

static void every_op_has_a_shape_rule_or_is_dynamic(void)
{
    each_def(shape_rule_or_dynamic);
}

static void names_are_unique_and_found(const fy_op_def *d, int internal)
{
    const fy_op_def *found = internal ? fy_internal_op(d->name) : fy_op_find(d->name);
    if (found != d) {
        fprintf(stderr, "op %s: %s\n", d->name, found ? "is defined twice" : "is not found by name");
        check_current_failed = 1;
    }
}

static void each_name_is_one_op(void)
{
    each_def(names_are_unique_and_found);
}

/* Internal ops are out of reach of files, and marked so. */
static void internal_apart(const fy_op_def *d, int internal)
{
    int marked = (d->traits & FY_OP_INTERNAL) != 0;
    int prefixed = !strncmp(d->name, "_Ferry", 6);
    if (marked != internal || prefixed != internal || (internal && fy_op_find(d->name))) {
        fprintf(stderr, "op %s: internal ops must be in the internal table only, marked and named _Ferry*\n", d->name);
        check_current_failed = 1;
    }
}

static void internal_ops_live_apart(void)
{
    each_def(internal_apart);
}

/* Chain steps keep their activation's shape; the passes rely on it. */
static void steps_are_elementwise(const fy_op_def *d, int internal)
{
    (void)internal;
    if (d->step && d->shape != fy_shape_same && d->shape != fy_shape_broadcast && d->shape != fy_shape_bias_add) {
        fprintf(stderr, "op %s: a chain step must be elementwise\n", d->name);
        check_current_failed = 1;
    }
    if (d->prepack && !d->run) {
        fprintf(stderr, "op %s: packs weights but has no kernel\n", d->name);
        check_current_failed = 1;
    }
}

static void traits_agree(void)
{
    each_def(steps_are_elementwise);
}

/* Every op a rewrite rule names is one the registry has (runtime/passes.c). */
static void rules_name_known_ops(void)
{
    size_t n = 0;
    const char *const *ops = fy_pass_rule_ops(&n);
    CHECK(n > 0);
    for (size_t i = 0; i < n; i++) {
        const fy_op_def *d = fy_op_find(ops[i]);
        if (!d || !d->run) {
            fprintf(stderr, "a rewrite rule names op %s, which has no kernel\n", ops[i]);
            check_current_failed = 1;
        }
    }
}

RUN_TESTS("registry", TEST(every_op_runs_or_says_it_never_does), TEST(every_op_has_a_shape_rule_or_is_dynamic),
          TEST(each_name_is_one_op), TEST(internal_ops_live_apart), TEST(traits_agree), TEST(rules_name_known_ops))
