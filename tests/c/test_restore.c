/* Restoring TF2 variables through the object graphs alone (the path used
 * when a SavedModel's restore function cannot be read), and handles of one
 * object sharing one variable. */
#include <string.h>

#include <ferry/ferry.h>

#include "api/model_internal.h"
#include "check.h"
#include "format/model_file.h"
#include "runtime/restore.h"

static void objects_bind_variables_to_checkpoint_keys(void)
{
    fy_model_file f;
    CHECK_OK(fy_model_file_open(&f, FERRY_SOURCE_DIR "/examples/models/half_plus_two", NULL, 0, err_));
    fy_runtime rt;
    const Tensorflow__MetaGraphDef__MetaInfoDef *info = f.meta->meta_info_def;
    fy_runtime_config config = { 0 };
    CHECK_OK(fy_runtime_init(&rt, f.graph, info->stripped_op_list, f.path, &config, err_));
    fy_restore_request req = { FERRY_SOURCE_DIR "/examples/models/half_plus_two/variables/variables", NULL, NULL, 0, 0,
                               f.meta->object_graph_def };
    CHECK_OK(fy_runtime_restore(&rt, &req, err_));
    int restored = 0;
    for (size_t i = 0; i < rt.var_count; i++) {
        const ferry_tensor *v = rt.vars[i].value;
        if (!v)
            continue;
        float x = *(const float *)v->data;
        CHECK(x == 0.5f || x == 2.0f);
        restored++;
    }
    CHECK_EQ_INT(restored, 2);
    fy_runtime_clear(&rt);
    fy_model_file_close(&f);
}

/* Keras 3's export has a handle for the restore function and another for
 * the functions reading each variable: the nodes of both reach one
 * variable, restored once (the rest keep no value and no node). */
static void handles_of_one_object_share_a_variable(void)
{
    ferry_model *m = NULL;
    CHECK_OK(ferry_model_load(&m, FERRY_FIXTURES "/tf2_keras_in_module/saved_model", NULL, err_));
    if (!m)
        return;
    const fy_runtime *rt = &m->runtime;
    size_t valued = 0, reached = 0;
    for (size_t i = 0; i < rt->var_count; i++) {
        int has_node = 0;
        for (int n = 0; n < rt->graph.node_count; n++)
            has_node |= rt->var_of_node[n] == &rt->vars[i];
        valued += rt->vars[i].value != NULL;
        reached += has_node;
        CHECK(!rt->vars[i].value || has_node);
    }
    CHECK_EQ_INT(rt->var_count, 8);
    CHECK_EQ_INT(valued, 4);
    CHECK_EQ_INT(reached, 4);
    ferry_model_free(m);
}

RUN_TESTS("restore", TEST(objects_bind_variables_to_checkpoint_keys), TEST(handles_of_one_object_share_a_variable))
