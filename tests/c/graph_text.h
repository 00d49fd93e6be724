/* Tests that build small graphs in text format: written to a scratch file
 * (single quotes become double quotes, for readable C strings), loaded with
 * the given intra-op threads, and the file removed again. */
#ifndef FERRY_TESTS_GRAPH_TEXT_H
#define FERRY_TESTS_GRAPH_TEXT_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <ferry/ferry.h>

#include "check.h"

static ferry_model *load_graph_text(const char *text, int threads)
{
    char dir[] = "/tmp/ferry_graph_XXXXXX", path[64];
    if (!mkdtemp(dir))
        return NULL;
    snprintf(path, sizeof(path), "%s/g.pbtxt", dir);
    FILE *f = fopen(path, "w");
    if (f) {
        for (const char *c = text; *c; c++)
            fputc(*c == '\'' ? '"' : *c, f);
        fclose(f);
    }
    ferry_model_options opts = FERRY_MODEL_OPTIONS_INIT;
    opts.intra_op_threads = threads;
    ferry_model *m = NULL;
    if (f)
        CHECK_OK(ferry_model_load(&m, path, &opts, err_));
    unlink(path);
    rmdir(dir);
    return m;
}

#endif
