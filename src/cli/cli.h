/*
 * cli.h - the yingji command line: one binary, subcommands, each with --help.
 */
#ifndef YJ_CLI_CLI_H
#define YJ_CLI_CLI_H

/* Runs the subcommand named by argv[1]; returns the process exit status. */
int cli_main(int argc, char **argv);

/* Subcommands (argv[0] is the subcommand's name). */
int cli_serve(int argc, char **argv);
int cli_init(int argc, char **argv);
int cli_migrate(int argc, char **argv);
int cli_user(int argc, char **argv);
int cli_audit(int argc, char **argv);
int cli_backup(int argc, char **argv);
int cli_intel(int argc, char **argv);
/* `yingji intel feed ...` (argv[0] is "feed"; feeds.c). */
int cli_intel_feed(int argc, char **argv);

/* The data directory: --data, else $YINGJI_DATA, else "./data". */
const char *cli_data_dir(const char *flag);

/* Prints "yingji <cmd>: <msg>" to stderr and returns 1. */
int cli_fail(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
