#include "format/object_graph.h"

#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/file.h"
#include "format/proto_depth.h"
#include "checkpoint.pb-c.h"

typedef Tensorflow__TrackableObjectGraph Graph;
typedef Tensorflow__TrackableObjectGraph__TrackableObject Object;

char *fy_object_name_escape(const char *name)
{
    size_t extra = 0;
    for (const char *p = name; *p; p++)
        extra += (*p == '.' || *p == '/');
    char *out = malloc(strlen(name) + extra + 1), *q = out;
    if (!out)
        return NULL;
    for (const char *p = name; *p; p++) {
        if (*p == '.') {
            *q++ = '.';
            *q++ = '.';
        } else if (*p == '/') {
            *q++ = '.';
            *q++ = 'S';
        } else {
            *q++ = *p;
        }
    }
    *q = '\0';
    return out;
}

/* Breadth-first from the root, so each node gets its shortest path, as TF
 * names objects. */
static ferry_status object_paths(char **paths, const Graph *g, const char *what, ferry_error **err)
{
    size_t n = g->n_nodes;
    size_t *queue = malloc(n * sizeof(size_t));
    if (!queue)
        return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "%s: out of memory", what);
    size_t head = 0, tail = 0;
    paths[0] = fy_strdup("");
    if (!paths[0]) {
        free(queue);
        return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "%s: out of memory", what);
    }
    queue[tail++] = 0;
    while (head < tail) {
        size_t id = queue[head++];
        const Object *o = g->nodes[id];
        for (size_t c = 0; c < o->n_children; c++) {
            int32_t child = o->children[c]->node_id;
            if (child < 0 || (size_t)child >= n) {
                free(queue);
                return fy_fail(err, FERRY_ERR_CORRUPT, "%s: object %zu names missing child %d",
                               what, id, (int)child);
            }
            if (paths[child])
                continue;
            char *esc = fy_object_name_escape(o->children[c]->local_name);
            paths[child] = esc ? (paths[id][0] ? fy_sprintf("%s/%s", paths[id], esc) : fy_strdup(esc))
                               : NULL;
            free(esc);
            if (!paths[child]) {
                free(queue);
                return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "%s: out of memory", what);
            }
            queue[tail++] = (size_t)child;
        }
    }
    free(queue);
    return FERRY_OK;
}

/* The object path a key belongs to: everything before "/.ATTRIBUTES/". */
static char *path_of_key(const char *key)
{
    const char *mark = strstr(key, "/.ATTRIBUTES/");
    size_t n = mark ? (size_t)(mark - key) : strlen(key);
    char *p = malloc(n + 1);
    if (p) {
        memcpy(p, key, n);
        p[n] = '\0';
    }
    return p;
}

static ferry_status fill_attrs(fy_object_graph *out, const Graph *g, char **paths, const char *what,
                               ferry_error **err)
{
    size_t total = 0;
    for (size_t i = 0; i < g->n_nodes; i++)
        total += g->nodes[i]->n_attributes;
    out->attrs = calloc(total ? total : 1, sizeof(fy_object_attr));
    if (!out->attrs)
        return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "%s: out of memory", what);
    /* Which optimizer slot, if any, each node is. */
    const Tensorflow__TrackableObjectGraph__TrackableObject__SlotVariableReference **slot_ref =
        calloc(g->n_nodes, sizeof(*slot_ref));
    size_t *slot_owner = calloc(g->n_nodes, sizeof(size_t));
    if (!slot_ref || !slot_owner) {
        free(slot_ref);
        free(slot_owner);
        return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "%s: out of memory", what);
    }
    ferry_status st = FERRY_OK;
    for (size_t i = 0; !st && i < g->n_nodes; i++)
        for (size_t s = 0; s < g->nodes[i]->n_slot_variables; s++) {
            const Tensorflow__TrackableObjectGraph__TrackableObject__SlotVariableReference *r =
                g->nodes[i]->slot_variables[s];
            if (r->slot_variable_node_id < 0 || (size_t)r->slot_variable_node_id >= g->n_nodes ||
                r->original_variable_node_id < 0 ||
                (size_t)r->original_variable_node_id >= g->n_nodes) {
                st = fy_fail(err, FERRY_ERR_CORRUPT, "%s: slot variable of object %zu names a missing node",
                             what, i);
                break;
            }
            slot_ref[r->slot_variable_node_id] = r;
            slot_owner[r->slot_variable_node_id] = i;
        }
    for (size_t i = 0; !st && i < g->n_nodes; i++) {
        const Object *o = g->nodes[i];
        for (size_t a = 0; a < o->n_attributes; a++) {
            fy_object_attr *at = &out->attrs[out->count++];
            const char *key = o->attributes[a]->checkpoint_key;
            at->key = fy_strdup(key);
            at->full_name = fy_strdup(o->attributes[a]->full_name);
            at->object_path = path_of_key(key);
            int ok = at->key && at->full_name && at->object_path;
            if (ok && slot_ref[i]) {
                const char *orig = paths[slot_ref[i]->original_variable_node_id];
                const char *opt = paths[slot_owner[i]];
                at->slot_of = fy_strdup(orig ? orig : "");
                at->optimizer = fy_strdup(opt ? opt : "");
                at->slot_name = fy_strdup(slot_ref[i]->slot_name);
                ok = at->slot_of && at->optimizer && at->slot_name;
            }
            if (!ok) {
                st = fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "%s: out of memory", what);
                break;
            }
        }
    }
    free(slot_ref);
    free(slot_owner);
    return st;
}

ferry_status fy_object_graph_parse(fy_object_graph *out, const void *bytes, size_t size,
                                   const char *what, ferry_error **err)
{
    memset(out, 0, sizeof(*out));
    if (fy_proto_check_depth(&tensorflow__trackable_object_graph__descriptor, bytes, size, what, err))
        return FERRY_ERR_CORRUPT;
    Graph *g = tensorflow__trackable_object_graph__unpack(NULL, size, bytes);
    if (!g)
        return fy_fail(err, FERRY_ERR_CORRUPT, "%s: object graph does not parse", what);
    if (g->n_nodes == 0) {
        tensorflow__trackable_object_graph__free_unpacked(g, NULL);
        return FERRY_OK;
    }
    char **paths = calloc(g->n_nodes, sizeof(char *));
    ferry_status st = paths ? object_paths(paths, g, what, err)
                            : fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "%s: out of memory", what);
    if (!st)
        st = fill_attrs(out, g, paths, what, err);
    for (size_t i = 0; paths && i < g->n_nodes; i++)
        free(paths[i]);
    free(paths);
    tensorflow__trackable_object_graph__free_unpacked(g, NULL);
    if (st)
        fy_object_graph_clear(out);
    return st;
}

void fy_object_graph_clear(fy_object_graph *g)
{
    for (size_t i = 0; i < g->count; i++) {
        fy_object_attr *a = &g->attrs[i];
        free(a->key);
        free(a->full_name);
        free(a->object_path);
        free(a->slot_of);
        free(a->slot_name);
        free(a->optimizer);
    }
    free(g->attrs);
    g->attrs = NULL;
    g->count = 0;
}
