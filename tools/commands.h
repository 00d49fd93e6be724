/* Entry points of the CLI's commands; each gets argv starting at its own name. */
#ifndef FERRY_TOOLS_COMMANDS_H
#define FERRY_TOOLS_COMMANDS_H

int cmd_inspect(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_ops(int argc, char **argv);

/* `ferry show --scan`; returns the exit status (0 clean, 3 refused, 1 error). */
int show_scan(const char *path, const char *tag_set, int json);

#endif
