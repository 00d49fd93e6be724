/* Static lookup tables whose initializers sit in the graph (frozen graphs
 * and .meta files keep them there, TF1's tables_initializer among them):
 * the load runs each, as TensorFlow's users run the init op by hand. One
 * that fails leaves its table uninitialized, its lookups saying why. */
#include <string.h>

#include "base/error.h"
#include "runtime/passes.h"
#include "runtime/runtime.h"
#include "runtime/table.h"

static int is_table_initializer(const char *op)
{
    return !strcmp(op, "InitializeTableV2") || !strcmp(op, "LookupTableImportV2") ||
           !strcmp(op, "InitializeTableFromTextFileV2");
}

/* The static table node i fills, or NULL. Mutable tables are left alone:
 * an import into one restores it from a checkpoint. */
static fy_table *filled_by(const fy_runtime *rt, int i)
{
    const fy_node *n = &rt->graph.nodes[i];
    if (!is_table_initializer(n->op) || n->input_count < 1 || n->broken || n->inputs[0].node < 0)
        return NULL;
    int src = n->inputs[0].node;
    const char *op = rt->graph.nodes[src].op;
    if (strcmp(op, "HashTableV2") && strcmp(op, "HashTable"))
        return NULL;
    return rt->var_of_node[src] ? rt->var_of_node[src]->table : NULL;
}

ferry_status fy_runtime_init_tables(fy_runtime *rt, ferry_error **err)
{
    for (int i = 0; i < rt->graph.node_count; i++) {
        fy_table *table = filled_by(rt, i);
        if (!table || fy_table_initialized(table))
            continue;
        const char *target = rt->graph.nodes[i].name;
        fy_plan *plan = NULL;
        ferry_error *why = NULL;
        ferry_status st = fy_passes_plan(&plan, rt, NULL, 0, NULL, 0, &target, 1, &why);
        if (!st)
            st = fy_plan_run(plan, rt, NULL, NULL, NULL, &why);
        fy_plan_free(plan);
        if (st == FERRY_ERR_OUT_OF_MEMORY || (st && fy_table_set_failure(table, ferry_error_message(why)))) {
            ferry_error_free(why);
            return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory initializing table '%s'",
                           rt->graph.nodes[rt->graph.nodes[i].inputs[0].node].name);
        }
        ferry_error_free(why);
    }
    return FERRY_OK;
}
