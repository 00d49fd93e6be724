/* The `ferry` command-line tool: dispatches to one file per command. */
#include <stdio.h>
#include <string.h>

#include <ferry/ferry.h>

#include "commands.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: ferry <command> [options]\n"
            "\n"
            "commands:\n"
            "  inspect CHECKPOINT [--tensor NAME] [--all] [--json]   list or print checkpoint variables\n"
            "  show MODEL [--tag_set T] [--signature_def KEY] [--all] [--list_ops] [--scan] [--json]\n"
            "                                                        describe a model's tag sets and signatures\n"
            "  run MODEL [--signature_def KEY] [--inputs ...] [--input_exprs ...] [--feed T=F.npy] [--fetch T]\n"
            "            [--outdir DIR] [--json]                     run a signature or fetch tensors\n"
            "  ops [OP...] [--json]                                  list the op types Ferry runs, or check some\n"
            "  version                                               print the library version\n"
            "\n"
            "Run `ferry <command> --help` for a command's options.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
        usage(stdout);
        return 0;
    }
    if (!strcmp(cmd, "version") || !strcmp(cmd, "--version")) {
        printf("ferry %s\n", ferry_version());
        return 0;
    }
    if (!strcmp(cmd, "inspect"))
        return cmd_inspect(argc - 1, argv + 1);
    if (!strcmp(cmd, "show"))
        return cmd_show(argc - 1, argv + 1);
    if (!strcmp(cmd, "run"))
        return cmd_run(argc - 1, argv + 1);
    if (!strcmp(cmd, "ops"))
        return cmd_ops(argc - 1, argv + 1);
    fprintf(stderr, "ferry: unknown command '%s'\n", cmd);
    usage(stderr);
    return 2;
}
