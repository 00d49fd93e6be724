/* Whole-model load of a mutated saved_model.pb (metadata, then a full load,
 * then every runnable signature on zero inputs of its declared shapes). */
#include <ferry/ferry.h>

#include "fuzz_files.h"
#include "fuzz_run.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_write("saved_model.pb", data, size);
    ferry_model_options opts = FERRY_MODEL_OPTIONS_INIT;
    opts.flags = FERRY_LOAD_METADATA_ONLY;
    ferry_model *m = NULL;
    if (ferry_model_load(&m, fuzz_dir(), &opts, NULL) == FERRY_OK)
        ferry_model_free(m);
    m = NULL;
    if (ferry_model_load(&m, fuzz_dir(), NULL, NULL) == FERRY_OK) {
        run_signatures(m);
        ferry_model_free(m);
    }
    return 0;
}
