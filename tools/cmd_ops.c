/* `ferry ops`: the op types this build of Ferry can run, so a user learns
 * before deploying whether a model's ops are covered. */
#include <stdio.h>
#include <string.h>

#include <ferry/ferry.h>

#include "commands.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: ferry ops [--json]           list every op type Ferry runs\n"
               "       ferry ops OP...              mark each op type supported (+) or not (-);\n"
               "                                    exit status 1 when any is not\n");
}

int cmd_ops(int argc, char **argv)
{
    int json = 0, named = 0, missing = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            usage(stdout);
            return 0;
        }
        if (!strcmp(argv[i], "--json"))
            json = 1;
        else if (argv[i][0] == '-') {
            fprintf(stderr, "ferry ops: unknown option '%s'\n", argv[i]);
            usage(stderr);
            return 2;
        } else
            named++;
    }
    if (named) {
        for (int i = 1; i < argc; i++)
            if (argv[i][0] != '-') {
                int ok = ferry_op_is_supported(argv[i]);
                printf("%c %s\n", ok ? '+' : '-', argv[i]);
                missing += !ok;
            }
        return missing ? 1 : 0;
    }
    size_t n = ferry_supported_op_count();
    if (json)
        printf("[");
    for (size_t i = 0; i < n; i++) {
        if (json)
            printf("%s\"%s\"", i ? ", " : "", ferry_supported_op(i));
        else
            puts(ferry_supported_op(i));
    }
    if (json)
        printf("]\n");
    return 0;
}
