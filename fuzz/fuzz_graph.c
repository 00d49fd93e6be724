/* Bytes as a binary frozen GraphDef and as a binary MetaGraphDef (`.meta`),
 * each loaded in full; a MetaGraph's signatures are run on zero inputs. */
#include <ferry/ferry.h>

#include "fuzz_files.h"
#include "fuzz_run.h"

static void load_as(const char *name, const uint8_t *data, size_t size)
{
    const char *path = fuzz_write(name, data, size);
    ferry_model *m = NULL;
    if (ferry_model_load(&m, path, NULL, NULL) == FERRY_OK) {
        run_signatures(m);
        ferry_model_free(m);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    load_as("graph.pb", data, size);
    load_as("graph.meta", data, size);
    return 0;
}
