/* Reading and editing an imported graph: the readers index, and the edits
 * rewrites make (graph.h). Every edit keeps the index current. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/file.h"
#include "graph/graph.h"

static ferry_status add_reader(fy_graph *g, int src, fy_reader r, ferry_error **err)
{
    if (g->reader_count[src] == g->reader_cap[src]) {
        int cap = g->reader_cap[src] ? g->reader_cap[src] * 2 : 2;
        fy_reader *grown = realloc(g->readers[src], (size_t)cap * sizeof(fy_reader));
        if (!grown)
            return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
        g->readers[src] = grown;
        g->reader_cap[src] = cap;
    }
    g->readers[src][g->reader_count[src]++] = r;
    return FERRY_OK;
}

static void drop_reader(fy_graph *g, int src, fy_reader r)
{
    for (int i = 0; i < g->reader_count[src]; i++)
        if (g->readers[src][i].node == r.node && g->readers[src][i].input == r.input) {
            g->readers[src][i] = g->readers[src][--g->reader_count[src]];
            return;
        }
}

static void free_index(fy_graph *g)
{
    for (int i = 0; g->readers && i < g->node_count; i++)
        free(g->readers[i]);
    free(g->readers);
    free(g->reader_count);
    free(g->reader_cap);
    free(g->waiters);
    g->readers = NULL;
    g->reader_count = g->reader_cap = g->waiters = NULL;
}

ferry_status fy_graph_index(fy_graph *g, ferry_error **err)
{
    free_index(g);
    size_t n = (size_t)g->node_cap + 1;
    g->readers = calloc(n, sizeof(fy_reader *));
    g->reader_count = calloc(n, sizeof(int));
    g->reader_cap = calloc(n, sizeof(int));
    g->waiters = calloc(n, sizeof(int));
    if (!g->readers || !g->reader_count || !g->reader_cap || !g->waiters) {
        free_index(g);
        return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    }
    for (int i = 0; i < g->node_count; i++) {
        const fy_node *n = &g->nodes[i];
        for (int k = 0; k < n->input_count; k++)
            if (n->inputs[k].node >= 0) {
                ferry_status st = add_reader(g, n->inputs[k].node, (fy_reader){ i, k }, err);
                if (st)
                    return st;
            }
        for (int k = 0; k < n->control_count; k++)
            g->waiters[n->controls[k]]++;
    }
    return FERRY_OK;
}

int fy_graph_readers(const fy_graph *g, fy_edge e, int *nodes, int *inputs, int cap)
{
    if (e.node < 0 || e.node >= g->node_count)
        return 0;
    int count = 0;
    for (int i = 0; i < g->reader_count[e.node]; i++) {
        fy_reader r = g->readers[e.node][i];
        if (g->nodes[r.node].inputs[r.input].index != e.index)
            continue;
        if (count < cap) {
            if (nodes)
                nodes[count] = r.node;
            if (inputs)
                inputs[count] = r.input;
        }
        count++;
    }
    return count;
}

/* Room for one more node in every per-node array. */
static ferry_status grow(fy_graph *g, ferry_error **err)
{
    if (g->node_count < g->node_cap)
        return FERRY_OK;
    int cap = g->node_cap ? g->node_cap * 2 : 64;
    size_t n = (size_t)cap + 1;
    fy_node *nodes = realloc(g->nodes, n * sizeof(fy_node));
    if (nodes)
        g->nodes = nodes;
    fy_edge **fwd = nodes ? realloc(g->forward, n * sizeof(fy_edge *)) : NULL;
    if (fwd)
        g->forward = fwd;
    fy_reader **readers = fwd ? realloc(g->readers, n * sizeof(fy_reader *)) : NULL;
    if (readers)
        g->readers = readers;
    int *counts = readers ? realloc(g->reader_count, n * sizeof(int)) : NULL;
    if (counts)
        g->reader_count = counts;
    int *caps = counts ? realloc(g->reader_cap, n * sizeof(int)) : NULL;
    if (caps)
        g->reader_cap = caps;
    int *waiters = caps ? realloc(g->waiters, n * sizeof(int)) : NULL;
    if (!waiters)
        return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    g->waiters = waiters;
    g->node_cap = cap;
    return FERRY_OK;
}

ferry_status fy_graph_add_node(fy_graph *g, const Tensorflow__NodeDef *def, const fy_edge *inputs, int input_count,
                               int output_count, int *index, ferry_error **err)
{
    if (fy_strmap_get(&g->by_name, def->name))
        return fy_fail(err, FERRY_ERR_INTERNAL, "a rewrite made a second node named '%s'", def->name);
    ferry_status st = grow(g, err);
    if (st)
        return st;
    int i = g->node_count;
    fy_node *n = &g->nodes[i];
    memset(n, 0, sizeof(*n));
    n->name = def->name;
    n->op = def->op;
    n->def = def;
    n->output_count = output_count;
    n->replaces = -1;
    n->inputs = malloc(((size_t)input_count + 1) * sizeof(fy_edge));
    if (!n->inputs)
        return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    g->forward[i] = NULL;
    g->readers[i] = NULL;
    g->reader_count[i] = g->reader_cap[i] = g->waiters[i] = 0;
    g->node_count++;
    for (int k = 0; k < input_count; k++) {
        n->inputs[k] = inputs[k];
        n->input_count = k + 1;
        if (inputs[k].node >= 0 && (st = add_reader(g, inputs[k].node, (fy_reader){ i, k }, err)) != FERRY_OK)
            return st;
    }
    if (!fy_strmap_put(&g->by_name, def->name, (void *)(intptr_t)(i + 1)))
        return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    *index = i;
    return FERRY_OK;
}

ferry_status fy_graph_set_input(fy_graph *g, int node, int input, fy_edge e, ferry_error **err)
{
    fy_edge *in = &g->nodes[node].inputs[input];
    if (in->node >= 0)
        drop_reader(g, in->node, (fy_reader){ node, input });
    *in = e;
    return e.node >= 0 ? add_reader(g, e.node, (fy_reader){ node, input }, err) : FERRY_OK;
}

static void *keep(fy_graph *g, void *p)
{
    if (!p)
        return NULL;
    if (g->owned_count == g->owned_cap) {
        size_t cap = g->owned_cap ? g->owned_cap * 2 : 16;
        void **grown = realloc(g->owned, cap * sizeof(void *));
        if (!grown) {
            free(p);
            return NULL;
        }
        g->owned = grown;
        g->owned_cap = cap;
    }
    g->owned[g->owned_count++] = p;
    return p;
}

ferry_status fy_graph_replace(fy_graph *g, int old, int by, ferry_error **err)
{
    /* Readers move one by one; the list shrinks as they do. */
    while (g->reader_count[old] > 0) {
        fy_reader r = g->readers[old][0];
        fy_edge e = { by, g->nodes[r.node].inputs[r.input].index };
        ferry_status st = fy_graph_set_input(g, r.node, r.input, e, err);
        if (st)
            return st;
    }
    for (int i = 0; g->waiters[old] > 0 && i < g->node_count; i++) {
        fy_node *n = &g->nodes[i];
        for (int k = 0; k < n->control_count; k++)
            if (n->controls[k] == old) {
                n->controls[k] = by;
                g->waiters[old]--;
                g->waiters[by]++;
            }
    }
    int outs = g->nodes[old].output_count > 0 ? g->nodes[old].output_count : 1;
    fy_edge *fwd = malloc((size_t)outs * sizeof(fy_edge));
    if (!fwd)
        return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    for (int k = 0; k < outs; k++)
        fwd[k] = (fy_edge){ by, k };
    free(g->forward[old]);
    g->forward[old] = fwd;
    g->nodes[by].replaces = old;
    return FERRY_OK;
}

ferry_status fy_graph_absorb(fy_graph *g, int by, const int *nodes, int count, ferry_error **err)
{
    int *copy = keep(g, malloc(((size_t)count + 1) * sizeof(int)));
    if (!copy)
        return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    memcpy(copy, nodes, (size_t)count * sizeof(int));
    g->nodes[by].absorbs = copy;
    g->nodes[by].absorb_count = count;
    return FERRY_OK;
}

Tensorflow__NodeDef *fy_graph_new_def(fy_graph *g, const char *name, const char *op, const Tensorflow__NodeDef *like)
{
    Tensorflow__NodeDef *def = keep(g, malloc(sizeof(*def)));
    if (!def)
        return NULL;
    tensorflow__node_def__init(def);
    def->name = (char *)fy_graph_keep_string(g, fy_strdup(name));
    def->op = (char *)op;
    size_t n = like ? like->n_attr : 0;
    def->attr = keep(g, malloc((n + 1) * sizeof(*def->attr)));
    if (!def->name || !def->attr)
        return NULL;
    for (size_t i = 0; i < n; i++)
        def->attr[i] = like->attr[i];
    def->n_attr = n;
    return def;
}

ferry_status fy_graph_def_set_ints(fy_graph *g, Tensorflow__NodeDef *def, const char *key, const int64_t *values,
                                   size_t count, ferry_error **err)
{
    Tensorflow__NodeDef__AttrEntry *entry = keep(g, malloc(sizeof(*entry)));
    Tensorflow__AttrValue *v = keep(g, malloc(sizeof(*v)));
    Tensorflow__AttrValue__ListValue *list = keep(g, malloc(sizeof(*list)));
    int64_t *copy = keep(g, malloc((count + 1) * sizeof(int64_t)));
    Tensorflow__NodeDef__AttrEntry **attrs = keep(g, malloc((def->n_attr + 1) * sizeof(*attrs)));
    if (!entry || !v || !list || !copy || !attrs)
        return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    tensorflow__node_def__attr_entry__init(entry);
    tensorflow__attr_value__init(v);
    tensorflow__attr_value__list_value__init(list);
    if (count)
        memcpy(copy, values, count * sizeof(int64_t));
    list->i = copy;
    list->n_i = count;
    v->value_case = TENSORFLOW__ATTR_VALUE__VALUE_LIST;
    v->list = list;
    entry->key = (char *)key;
    entry->value = v;
    size_t n = 0;
    for (size_t i = 0; i < def->n_attr; i++)
        if (strcmp(def->attr[i]->key, key) != 0)
            attrs[n++] = def->attr[i];
    attrs[n++] = entry;
    def->attr = attrs;
    def->n_attr = n;
    return FERRY_OK;
}

ferry_status fy_graph_check_edges(fy_graph *g, ferry_error **err)
{
    for (int i = 0; i < g->node_count; i++) {
        fy_node *n = &g->nodes[i];
        for (int k = 0; k < n->input_count && !n->broken; k++) {
            fy_edge e = n->inputs[k];
            const char *named = (size_t)k < n->def->n_input ? n->def->input[k] : "?";
            if (e.node < 0) {
                n->broken = fy_graph_keep_string(
                    g, fy_sprintf("node '%s' (%s): input %d ('%s') names an output that does not exist", n->name,
                                  n->op, k, named));
            } else {
                int outs = g->nodes[e.node].output_count;
                if (e.index >= 0 && (outs < 0 || e.index < outs))
                    continue;
                n->broken = fy_graph_keep_string(
                    g, fy_sprintf("node '%s' (%s): input %d ('%s') reads output %d of node '%s' (%s), which has %d",
                                  n->name, n->op, k, named, e.index, g->nodes[e.node].name, g->nodes[e.node].op, outs));
            }
            if (!n->broken)
                return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
        }
    }
    return FERRY_OK;
}

void fy_graph_edits_clear(fy_graph *g)
{
    free_index(g);
    for (size_t i = 0; i < g->owned_count; i++)
        free(g->owned[i]);
    free(g->owned);
    g->owned = NULL;
    g->owned_count = g->owned_cap = 0;
}
