/* Fuzz targets that load models: every runnable signature is run on zero
 * inputs of its declared shapes (unknown or large dims become 1). */
#ifndef FERRY_FUZZ_RUN_H
#define FERRY_FUZZ_RUN_H

#include <ferry/ferry.h>

static void run_signatures(const ferry_model *m)
{
    for (size_t s = 0; s < ferry_model_signature_count(m); s++) {
        const ferry_signature *sig = ferry_model_signature(m, s);
        size_t n = ferry_signature_input_count(sig);
        if (n > 8 || ferry_signature_output_count(sig) > 8)
            continue;
        const char *names[8];
        ferry_tensor *in[8] = { 0 }, *out[8] = { 0 };
        int ok = 1;
        for (size_t i = 0; i < n && ok; i++) {
            const ferry_tensor_info *info = ferry_signature_input(sig, i);
            int64_t dims[8];
            int rank = info->rank < 0 || info->rank > 8 ? 0 : info->rank;
            for (int d = 0; d < rank; d++)
                dims[d] = info->dims[d] < 0 || info->dims[d] > 4 ? 1 : info->dims[d];
            names[i] = info->name;
            ok = ferry_tensor_new(&in[i], info->dtype, dims, rank, NULL) == FERRY_OK;
        }
        if (ok)
            ferry_signature_run(out, sig, names, (const ferry_tensor *const *)in, n, NULL);
        for (size_t i = 0; i < 8; i++) {
            ferry_tensor_free(in[i]);
            ferry_tensor_free(out[i]);
        }
    }
}

#endif
