/* Bytes as the text-format `checkpoint` state file of a directory: parsed,
 * then resolved as a checkpoint path the way a user naming the directory would. */
#include <stdint.h>
#include <stdlib.h>

#include "format/checkpoint_path.h"
#include "fuzz_files.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_write("checkpoint", data, size);
    fy_checkpoint_state state = { 0 };
    ferry_error *err = NULL;
    if (fy_checkpoint_state_read(&state, fuzz_dir(), &err) == FERRY_OK)
        fy_checkpoint_state_clear(&state);
    ferry_error_free(err);
    err = NULL;

    char *prefix = NULL;
    fy_checkpoint_kind kind;
    if (fy_checkpoint_resolve(&prefix, &kind, fuzz_dir(), &err) == FERRY_OK)
        free(prefix);
    ferry_error_free(err);
    return 0;
}
