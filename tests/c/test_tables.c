/* Static lookup tables in graphs that carry their initializers: the load
 * runs them (the .meta of tf1_table_init as well as its frozen .pb); a
 * table with none, or whose initializer cannot run, fails its lookups as
 * TensorFlow's FAILED_PRECONDITION does, naming the table and the reason. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <ferry/ferry.h>

#include "check.h"

static ferry_status lookup(ferry_model *m, const char *fetch, int64_t key, int64_t *value, char *text, size_t cap,
                           ferry_error **err)
{
    int64_t dims[1] = { 1 };
    ferry_tensor *in = NULL, *out = NULL;
    ferry_tensor_wrap(&in, FERRY_DT_INT64, dims, 1, &key, sizeof(key), NULL, NULL, NULL);
    const char *feed = "ids:0";
    ferry_status st = ferry_model_run(&out, m, &feed, (const ferry_tensor *const *)&in, 1, &fetch, 1, NULL, 0, err);
    if (!st && value)
        *value = *(const int64_t *)ferry_tensor_data(out);
    if (!st && text)
        snprintf(text, cap, "%.*s", (int)ferry_tensor_strings(out)[0].size, ferry_tensor_strings(out)[0].data);
    ferry_tensor_free(out);
    ferry_tensor_free(in);
    return st;
}

static void meta_graph_tables_are_filled_at_load(void)
{
    ferry_model *m = NULL;
    CHECK_OK(ferry_model_load(&m, FERRY_FIXTURES "/tf1_table_init/model.meta", NULL, err_));
    char text[32] = "";
    CHECK_OK(lookup(m, "id_name:0", 5, NULL, text, sizeof(text), err_));
    CHECK_STR(text, "five");
    CHECK_OK(lookup(m, "id_name:0", 4, NULL, text, sizeof(text), err_));
    CHECK_STR(text, "?");
    CHECK_FAILS(FERRY_ERR_RUNTIME, "Table not initialized. Lookup table 'empty_table' has no initializer",
                lookup(m, "never_found:0", 5, NULL, NULL, 0, err_));
    ferry_model_free(m);
}

/* ids -> a table filled from `vocab` (a file that does not exist). */
static const char text_file_graph[] =
    "node { name: \"ids\" op: \"Placeholder\" attr { key: \"dtype\" value { type: DT_INT64 } } }\n"
    "node { name: \"words\" op: \"HashTableV2\" attr { key: \"key_dtype\" value { type: DT_INT64 } }\n"
    "  attr { key: \"value_dtype\" value { type: DT_INT64 } } }\n"
    "node { name: \"vocab\" op: \"Const\" attr { key: \"dtype\" value { type: DT_STRING } }\n"
    "  attr { key: \"value\" value { tensor { dtype: DT_STRING tensor_shape {} string_val: \"no_such_vocab.txt\" } } } }\n"
    "node { name: \"fill\" op: \"InitializeTableFromTextFileV2\" input: \"words\" input: \"vocab\"\n"
    "  attr { key: \"key_index\" value { i: -1 } } attr { key: \"value_index\" value { i: -1 } } }\n"
    "node { name: \"dflt\" op: \"Const\" attr { key: \"dtype\" value { type: DT_INT64 } }\n"
    "  attr { key: \"value\" value { tensor { dtype: DT_INT64 tensor_shape {} int64_val: -1 } } } }\n"
    "node { name: \"find\" op: \"LookupTableFindV2\" input: \"words\" input: \"ids\" input: \"dflt\"\n"
    "  attr { key: \"Tin\" value { type: DT_INT64 } } attr { key: \"Tout\" value { type: DT_INT64 } } }\n";

static void a_failed_initializer_is_reported_by_lookups(void)
{
    char dir[] = "/tmp/ferry_tables_XXXXXX", path[64];
    CHECK(mkdtemp(dir) != NULL);
    snprintf(path, sizeof(path), "%s/g.pbtxt", dir);
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (f) {
        fputs(text_file_graph, f);
        fclose(f);
    }
    ferry_model *m = NULL;
    CHECK_OK(ferry_model_load(&m, path, NULL, err_));
    CHECK_FAILS(FERRY_ERR_RUNTIME, "'words' could not be initialized at load: node 'fill'",
                lookup(m, "find:0", 1, NULL, NULL, 0, err_));
    ferry_model_free(m);
    unlink(path);
    rmdir(dir);
}

RUN_TESTS("tables", TEST(meta_graph_tables_are_filled_at_load), TEST(a_failed_initializer_is_reported_by_lookups))
