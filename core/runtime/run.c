/* Running a prepared plan: values live in slots, one per node output. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/arena.h"
#include "base/error.h"
#include "runtime/run.h"

/* Ops that take a TF1 ref edge as it is, set or not. */
#define PASSES_REFS (FY_OP_TAKES_REFS | FY_OP_FORWARDS | FY_OP_SWITCH | FY_OP_MERGE)

ferry_status fy_run_assign(fy_run *run, fy_variable *var, ferry_tensor *value, ferry_error **err)
{
    if (var->value) {
        fy_retired *r = run->retired;
        if (r->count == r->cap) {
            size_t cap = r->cap ? r->cap * 2 : 8;
            ferry_tensor **grown = realloc(r->tensors, cap * sizeof(*grown));
            if (!grown) {
                ferry_tensor_free(value);
                return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
            }
            r->tensors = grown;
            r->cap = cap;
        }
        r->tensors[r->count++] = var->value;
    }
    value->lasting = 1;
    var->value = value;
    return FERRY_OK;
}

int64_t fy_monotonic_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

ferry_status fy_run_check(const fy_run *run, ferry_error **err)
{
    const fy_bounds *b = run->bounds;
    if (!b)
        return FERRY_OK;
    if (b->cancel && atomic_load_explicit(b->cancel, memory_order_relaxed))
        return fy_fail(err, FERRY_ERR_CANCELLED, "the run was cancelled");
    if (b->deadline_ns && fy_monotonic_ns() >= b->deadline_ns)
        return fy_fail(err, FERRY_ERR_DEADLINE_EXCEEDED, "the run passed its deadline");
    return FERRY_OK;
}

void fy_values_disown(fy_value *v, int n)
{
    for (int i = 0; i < n; i++)
        v[i].owned = 0;
}

void fy_value_release(fy_value *v)
{
    if (v->owned)
        ferry_tensor_free(v->t);
    *v = (fy_value){ .t = NULL };
}

/* Hands a fetched value to the caller: a new tensor, or into theirs. */
static ferry_status deliver(ferry_tensor **out, const fy_value *v, const char *what, ferry_error **err)
{
    const ferry_tensor *t = v->t ? v->t : v->var ? v->var->value : NULL;
    if (!t)
        return fy_fail(err, FERRY_ERR_RUNTIME, "fetch %s produced no tensor (an uninitialized variable?)", what);
    if (!*out)
        return fy_tensor_copy(out, t, err);
    ferry_tensor *dst = *out;
    if (dst->dtype != t->dtype || dst->rank != t->rank ||
        memcmp(dst->dims, t->dims, (size_t)t->rank * sizeof(int64_t)) != 0) {
        char want[128], have[128];
        fy_shape_format(want, sizeof(want), t->dims, t->rank);
        fy_shape_format(have, sizeof(have), dst->dims, dst->rank);
        return fy_fail(err, FERRY_ERR_INVALID_ARGUMENT, "output %s is %s%s but the buffer given is %s%s", what,
                       ferry_dtype_name(t->dtype), want, ferry_dtype_name(dst->dtype), have);
    }
    if (t->dtype == FERRY_DT_STRING) {
        const ferry_string *s = t->data;
        for (int64_t i = 0; i < t->count; i++) {
            ferry_status st = fy_tensor_set_string(dst, i, s[i].data, s[i].size, err);
            if (st)
                return st;
        }
    } else if (t->nbytes) {
        memcpy(dst->data, t->data, t->nbytes);
    }
    return FERRY_OK;
}

void fy_values_advance(fy_value *cur, fy_value *next, int n)
{
    for (int i = 0; i < n; i++)
        for (int k = 0; cur[i].owned && k < n; k++)
            if (next[k].t == cur[i].t && !next[k].owned) {
                next[k].owned = 1;
                cur[i].owned = 0;
            }
    for (int i = 0; i < n; i++) {
        fy_value_release(&cur[i]);
        cur[i] = next[i];
        next[i] = (fy_value){ .t = NULL };
    }
}

/* Moves fetched values out of the slots: an output that a slot owns takes
 * that ownership; one that aliases it a second time gets a copy. */
static ferry_status take_outputs(const fy_plan *p, const fy_graph *g, fy_value *slots, fy_value *outs,
                                 ferry_error **err)
{
    for (int i = 0; i < p->fetch_count; i++) {
        fy_value *v = &slots[p->slot_base[p->fetches[i].node] + p->fetches[i].index];
        if (v->dead)
            return fy_fail(err, FERRY_ERR_RUNTIME, "fetch '%s:%d' lies on a branch that was not taken",
                           g->nodes[p->fetches[i].node].name, p->fetches[i].index);
        outs[i] = *v;
        outs[i].owned = 0;
        if (v->owned) {
            outs[i].owned = 1;
            v->owned = 0;
            continue;
        }
        for (int s = 0; s < p->slot_count; s++)
            if (slots[s].owned && slots[s].t == v->t) {
                outs[i].owned = 1;
                slots[s].owned = 0;
                break;
            }
        for (int k = 0; outs[i].owned && k < i; k++)
            if (outs[k].t == outs[i].t) {
                ferry_status st = fy_tensor_copy(&outs[i].t, outs[k].t, err);
                if (st)
                    return st;
                break;
            }
    }
    return FERRY_OK;
}

/* The value slot step k's input i reads (resolved at plan build). */
static inline int input_slot(const fy_plan *p, int k, int i)
{
    return p->input_slots[p->input_at[k] + i];
}

/* TF1 control flow: a node with a dead input or a dead control
 * predecessor does not run and its outputs are dead too; Merge runs while
 * any of its inputs lives. */
static int node_is_dead(const fy_plan *p, int k, const fy_value *slots, const fy_node *n, const fy_op_def *d)
{
    int merge = (d->traits & FY_OP_MERGE) != 0;
    int live = 0, dead = 0;
    for (int i = 0; i < n->input_count; i++) {
        if (slots[input_slot(p, k, i)].dead)
            dead++;
        else
            live++;
    }
    for (int i = 0; i < n->control_count; i++)
        if (p->slot_base[n->controls[i]] < p->slot_count && slots[p->slot_base[n->controls[i]]].dead)
            dead++;
    return merge ? (n->input_count > 0 && live == 0) : dead > 0;
}

/* Early release. A kernel may pass an input through as an output without
 * owning it, so each slot records the slot that owns its tensor (owner) and
 * an owned tensor lives until the last step reading it or any alias (until). */
typedef struct lifetimes {
    int *owner;
    int *until;
} lifetimes;

static int owner_of(const lifetimes *lt, int s)
{
    while (lt->owner[s] >= 0)
        s = lt->owner[s];
    return s;
}

/* After node n ran: tie its pass-through outputs to their owners. */
static void note_aliases(const fy_plan *p, const fy_node *n, int k, int base, int outs_n, const fy_value *slots,
                         lifetimes *lt)
{
    for (int o = 0; o < outs_n; o++) {
        const fy_value *v = &slots[base + o];
        if (v->owned || !v->t)
            continue;
        for (int i = 0; i < n->input_count; i++) {
            int s = owner_of(lt, input_slot(p, k, i));
            if (slots[s].t == v->t && slots[s].owned) {
                lt->owner[base + o] = s;
                if (p->last_use[base + o] > lt->until[s])
                    lt->until[s] = p->last_use[base + o];
                break;
            }
        }
    }
}

static void release_if_done(fy_value *slots, const lifetimes *lt, int s, int k)
{
    s = owner_of(lt, s);
    if (slots[s].owned && lt->until[s] <= k)
        fy_value_release(&slots[s]);
}

/* After step k: free what no later step reads. */
static void release_done(const fy_plan *p, const fy_node *n, int k, int base, int outs_n, fy_value *slots,
                         const lifetimes *lt)
{
    for (int i = 0; i < n->input_count; i++)
        release_if_done(slots, lt, input_slot(p, k, i), k);
    for (int i = 0; i < n->control_count; i++)
        if (p->slot_base[n->controls[i]] < p->slot_count)
            release_if_done(slots, lt, p->slot_base[n->controls[i]], k);
    for (int o = 0; o < outs_n; o++)
        release_if_done(slots, lt, base + o, k);
}

/* Inputs of step k whose tensor the run owns and no later step reads (nor
 * any alias of it), each passed once: the kernel may write its output there. */
static unsigned donatable(const fy_plan *p, const fy_node *n, int k, const fy_value *in, const fy_value *slots,
                          const lifetimes *lt)
{
    unsigned bits = 0;
    for (int i = 0; i < n->input_count && i < 32; i++) {
        if (!in[i].t || in[i].var || in[i].dead)
            continue;
        int s = owner_of(lt, input_slot(p, k, i));
        if (!slots[s].owned || slots[s].t != in[i].t || lt->until[s] > k)
            continue;
        int twice = 0;
        for (int j = 0; j < n->input_count && !twice; j++)
            twice = j != i && in[j].t == in[i].t;
        if (!twice)
            bits |= 1u << i;
    }
    return bits;
}

/* The outputs now own the tensors the kernel took from these inputs. */
static void hand_over(const fy_plan *p, const fy_node *n, int k, unsigned donated, fy_value *slots,
                      const lifetimes *lt)
{
    for (int i = 0; i < n->input_count && i < 32; i++)
        if (donated >> i & 1)
            slots[owner_of(lt, input_slot(p, k, i))].owned = 0;
}

/* Places the feeds in their slots. Consumed feeds the caller owned become
 * the run's, freed after their last reader; a feed sharing an owned feed's
 * tensor is an alias of it, so the tensor lives until both are read. */
static void place_feeds(const fy_plan *p, const fy_value *feeds, int consume, fy_value *slots, lifetimes *lt)
{
    for (int i = 0; i < p->feed_count; i++) {
        int s = p->slot_base[p->feeds[i].node] + p->feeds[i].index;
        slots[s] = feeds[i];
        slots[s].owned = consume && feeds[i].owned;
        if (slots[s].owned)
            lt->until[s] = p->feed_last_use[i];
    }
    for (int i = 0; consume && i < p->feed_count; i++) {
        int s = p->slot_base[p->feeds[i].node] + p->feeds[i].index;
        for (int j = 0; !slots[s].owned && j < p->feed_count; j++) {
            int o = p->slot_base[p->feeds[j].node] + p->feeds[j].index;
            if (o != s && slots[o].owned && slots[o].t && slots[o].t == slots[s].t) {
                lt->owner[s] = o;
                if (p->feed_last_use[i] > lt->until[o])
                    lt->until[o] = p->feed_last_use[i];
            }
        }
    }
}

/* The arrays one execution needs: on the stack for small plans (small
 * models, most loop bodies), so a run of those allocates only its values. */
enum { SMALL_PLAN = 16 };

typedef struct exec_arrays {
    fy_value *slots, *in;
    int *lifetime_ints;
    fy_value slot_space[SMALL_PLAN], in_space[SMALL_PLAN];
    int int_space[2 * SMALL_PLAN];
} exec_arrays;

static int arrays_get(exec_arrays *a, const fy_plan *p)
{
    if (p->slot_count < SMALL_PLAN && p->max_inputs < SMALL_PLAN) {
        memset(a->slot_space, 0, sizeof(a->slot_space));
        a->slots = a->slot_space;
        a->in = a->in_space;
        a->lifetime_ints = a->int_space;
        return 1;
    }
    a->slots = calloc((size_t)p->slot_count + 1, sizeof(fy_value));
    a->in = calloc((size_t)p->max_inputs + 1, sizeof(fy_value));
    a->lifetime_ints = malloc(((size_t)p->slot_count + 1) * 2 * sizeof(int));
    return a->slots && a->in && a->lifetime_ints;
}

static void arrays_put(exec_arrays *a)
{
    if (a->slots == a->slot_space)
        return;
    free(a->slots);
    free(a->in);
    free(a->lifetime_ints);
}

ferry_status fy_plan_exec(const fy_plan *p, fy_run *run, const fy_value *feeds, int consume, fy_value *outs,
                          ferry_error **err)
{
    const fy_runtime *rt = run->rt;
    const fy_graph *g = &rt->graph;
    exec_arrays arrays;
    if (!arrays_get(&arrays, p)) {
        arrays_put(&arrays);
        for (int i = 0; consume && i < p->feed_count; i++)
            if (feeds[i].owned)
                ferry_tensor_free(feeds[i].t);
        return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory for a run");
    }
    fy_value *slots = arrays.slots, *in = arrays.in;
    int *lifetime_ints = arrays.lifetime_ints;
    lifetimes lt = { lifetime_ints, lifetime_ints + p->slot_count + 1 };
    for (int i = 0; i < p->slot_count; i++) {
        lt.owner[i] = -1;
        lt.until[i] = p->last_use[i];
    }
    place_feeds(p, feeds, consume, slots, &lt);
    for (int i = 0; i < p->folded_count; i++)
        slots[p->folded_slots[i]] = (fy_value){ .t = p->folded[i].t };
    ferry_status st = fy_run_check(run, err);
    for (int k = 0; !st && k < p->order_count; k++) {
        int id = p->order[k];
        const fy_node *n = &g->nodes[id];
        int outs_n = n->output_count > 0 ? n->output_count : 1;
        if (p->switches && node_is_dead(p, k, slots, n, rt->ops[id])) {
            for (int i = 0; i < outs_n; i++)
                slots[p->slot_base[id] + i].dead = 1;
            continue;
        }
        if (n->inlined_call)
            continue;
        for (int i = 0; i < n->input_count; i++) {
            in[i] = slots[input_slot(p, k, i)];
            if (in[i].dead)
                continue; /* only Merge gets here with dead inputs */
            /* A TF1 ref edge reads the variable as it is when consumed;
             * only ops that take refs (or pass them on) may find it unset. */
            if (in[i].ref && in[i].var) {
                in[i].t = in[i].var->value;
                if (!in[i].t && !(rt->ops[id]->traits & PASSES_REFS)) {
                    st = fy_fail(err, FERRY_ERR_RUNTIME, "node '%s' (%s): variable '%s' is not initialized",
                                 n->name, n->op, in[i].var->name);
                    break;
                }
            }
            if (!in[i].t && !in[i].var) {
                st = fy_fail(err, FERRY_ERR_INTERNAL, "node '%s' (%s): input %d from '%s' has no value", n->name,
                             n->op, i, g->nodes[n->inputs[i].node].name);
                break;
            }
        }
        if (st)
            break;
        fy_kernel_ctx ctx = { .node = n, .inputs = in, .input_count = n->input_count,
                              .outputs = &slots[p->slot_base[id]], .output_count = outs_n, .runtime = run,
                              .err = err, .pool = rt->pool, .arena = run->arena, .budget = rt->config.budget,
                              .print = &rt->print_sink };
        ctx.donatable = donatable(p, n, k, in, slots, &lt);
        st = rt->ops[id]->run(&ctx);
        /* A donated input is the output's now, even when the kernel then failed. */
        if (ctx.donated)
            hand_over(p, n, k, ctx.donated, slots, &lt);
        if (!st) {
            note_aliases(p, n, k, p->slot_base[id], outs_n, slots, &lt);
            release_done(p, n, k, p->slot_base[id], outs_n, slots, &lt);
            st = fy_run_check(run, err);
        }
    }
    if (!st)
        st = take_outputs(p, g, slots, outs, err);
    for (int i = 0; i < p->slot_count; i++)
        fy_value_release(&slots[i]);
    arrays_put(&arrays);
    return st;
}

/* Identifies the feeds' dtypes and shapes (FNV-1a): the arena keeps a
 * memory layout for each. */
static uint64_t feed_shapes(const fy_plan *p, const ferry_tensor *const *feeds)
{
    uint64_t h = 14695981039346656037ull;
    for (int i = 0; i < p->feed_count; i++) {
        int64_t words[2 + FERRY_MAX_RANK] = { feeds[i]->dtype, feeds[i]->rank };
        memcpy(words + 2, feeds[i]->dims, (size_t)feeds[i]->rank * sizeof(int64_t));
        const unsigned char *b = (const unsigned char *)words;
        for (size_t k = 0; k < (size_t)(2 + feeds[i]->rank) * sizeof(int64_t); k++)
            h = (h ^ b[k]) * 1099511628211ull;
    }
    return h;
}

ferry_status fy_plan_run(const fy_plan *p, fy_runtime *rt, const ferry_tensor *const *feeds,
                         ferry_tensor **outputs, const fy_bounds *bounds, ferry_error **err)
{
    fy_value *in = calloc((size_t)p->feed_count + 1, sizeof(fy_value));
    fy_value *out = calloc((size_t)p->fetch_count + 1, sizeof(fy_value));
    if (!in || !out) {
        free(in);
        free(out);
        return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory for a run");
    }
    for (int i = 0; i < p->feed_count; i++) {
        in[i].t = (ferry_tensor *)feeds[i];
        if (p->feed_dtypes[i] != FERRY_DT_INVALID && feeds[i]->dtype != p->feed_dtypes[i]) {
            ferry_status st = fy_fail(err, FERRY_ERR_INVALID_ARGUMENT, "feed '%s:%d' must be %s, given %s",
                                      rt->graph.nodes[p->feeds[i].node].name, p->feeds[i].index,
                                      ferry_dtype_name(p->feed_dtypes[i]), ferry_dtype_name(feeds[i]->dtype));
            free(in);
            free(out);
            return st;
        }
    }
    if (p->state & FY_OP_WRITES_STATE)
        pthread_rwlock_wrlock(&rt->state_lock);
    else if (p->state & FY_OP_READS_STATE)
        pthread_rwlock_rdlock(&rt->state_lock);
    fy_retired retired = { NULL, 0, 0 };
    fy_run run = { rt, &retired, fy_arena_begin(p->arena, feed_shapes(p, feeds)), bounds };
    ferry_status st = fy_plan_exec(p, &run, in, 0, out, err);
    if (run.arena) {
        ferry_status moved = fy_arena_end(run.arena, st ? NULL : err);
        st = st ? st : moved;
    }
    const fy_graph *g = &rt->graph;
    for (int i = 0; !st && i < p->fetch_count; i++) {
        char what[300];
        snprintf(what, sizeof(what), "'%s:%d'", g->nodes[p->fetches[i].node].name, p->fetches[i].index);
        /* A value the run made can be handed over without copying. */
        if (out[i].owned && !outputs[i] && !out[i].var) {
            outputs[i] = out[i].t;
            out[i].owned = 0;
            fy_tensor_uncharge(outputs[i]); /* the caller's now */
        } else {
            st = deliver(&outputs[i], &out[i], what, err);
        }
    }
    if (p->state & (FY_OP_WRITES_STATE | FY_OP_READS_STATE))
        pthread_rwlock_unlock(&rt->state_lock);
    for (int i = 0; i < p->fetch_count; i++)
        fy_value_release(&out[i]);
    for (size_t i = 0; i < retired.count; i++)
        ferry_tensor_free(retired.tensors[i]);
    free(retired.tensors);
    free(in);
    free(out);
    return st;
}
