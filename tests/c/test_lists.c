/* TensorList and TensorArray errors TensorFlow raises too: popping an empty
 * list, setting past the end without resize_if_index_out_of_bounds, writing
 * past the end of a TensorArray that is not dynamic_size; and growth where
 * TF grows. */
#include <ferry/ferry.h>

#include "check.h"
#include "graph_text.h"

#define INT_CONST(name, v)                                                                                \
    "node { name: '" name "' op: 'Const' attr { key: 'dtype' value { type: DT_INT32 } }\n"                \
    "  attr { key: 'value' value { tensor { dtype: DT_INT32 tensor_shape {} int_val: " v " } } } }\n"
#define FLOAT_CONST(name, v)                                                                              \
    "node { name: '" name "' op: 'Const' attr { key: 'dtype' value { type: DT_FLOAT } }\n"                \
    "  attr { key: 'value' value { tensor { dtype: DT_FLOAT tensor_shape {} float_val: " v " } } } }\n"
#define F32 "attr { key: 'element_dtype' value { type: DT_FLOAT } }"

static const char graph[] =
    INT_CONST("scalar_shape", "-1") INT_CONST("none", "-1") INT_CONST("two", "2") INT_CONST("three", "3")
    FLOAT_CONST("v", "1.5")
    "node { name: 'empty' op: 'EmptyTensorList' input: 'scalar_shape' input: 'none' " F32 "\n"
    "  attr { key: 'shape_type' value { type: DT_INT32 } } }\n"
    "node { name: 'pop' op: 'TensorListPopBack' input: 'empty' input: 'scalar_shape' " F32 " }\n"
    "node { name: 'two_items' op: 'TensorListReserve' input: 'scalar_shape' input: 'two' " F32 "\n"
    "  attr { key: 'shape_type' value { type: DT_INT32 } } }\n"
    "node { name: 'set_fixed' op: 'TensorListSetItem' input: 'two_items' input: 'three' input: 'v' " F32 " }\n"
    "node { name: 'set_grow' op: 'TensorListSetItem' input: 'two_items' input: 'three' input: 'v' " F32 "\n"
    "  attr { key: 'resize_if_index_out_of_bounds' value { b: true } } }\n"
    "node { name: 'grown' op: 'TensorListLength' input: 'set_grow' }\n"
    "node { name: 'ta' op: 'TensorArrayV3' input: 'two' attr { key: 'dtype' value { type: DT_FLOAT } }\n"
    "  attr { key: 'element_shape' value { shape { } } } }\n"
    "node { name: 'ta_write' op: 'TensorArrayWriteV3' input: 'ta' input: 'three' input: 'v' input: 'ta:1'\n"
    "  attr { key: 'T' value { type: DT_FLOAT } } }\n";

static ferry_status fetch_int(ferry_model *m, const char *name, int *value, ferry_error **err)
{
    ferry_tensor *out = NULL;
    ferry_status st = ferry_model_run(&out, m, NULL, NULL, 0, &name, 1, NULL, 0, err);
    if (!st && value)
        *value = *(const int32_t *)ferry_tensor_data(out);
    ferry_tensor_free(out);
    return st;
}

static void errors_and_growth(void)
{
    ferry_model *m = load_graph_text(graph, 1);
    int n = 0;
    CHECK_FAILS(FERRY_ERR_INVALID_ARGUMENT, "pop from an empty list", fetch_int(m, "pop:1", NULL, err_));
    CHECK_FAILS(FERRY_ERR_INVALID_ARGUMENT, "index 3 outside a list of 2", fetch_int(m, "set_fixed:0", NULL, err_));
    CHECK_OK(fetch_int(m, "grown:0", &n, err_));
    CHECK_EQ_INT(n, 4);
    CHECK_FAILS(FERRY_ERR_INVALID_ARGUMENT, "not dynamic_size", fetch_int(m, "ta_write:0", NULL, err_));
    ferry_model_free(m);
}

RUN_TESTS("lists", TEST(errors_and_growth))
