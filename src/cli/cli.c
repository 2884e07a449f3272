/*
 * cli.c - dispatch to subcommands, top-level help and version.
 */
#include "cli/cli.h"

#include <stdarg.h>

#include "core/yj.h"

static const struct {
    const char *name;
    int (*fn)(int, char **);
    const char *what;
} commands[] = {
    {"init", cli_init, "create a data directory and the first authority account"},
    {"serve", cli_serve, "serve the web UI and the API"},
    {"migrate", cli_migrate, "apply or list schema migrations"},
    {"user", cli_user, "add, list and reset accounts from the command line"},
    {"audit", cli_audit, "verify the audit chain"},
    {"backup", cli_backup, "make a consistent online copy of the database"},
    {"intel", cli_intel, "import, export and look up indicators"},
};

static void usage(FILE *f)
{
    fprintf(f,
            "yingji %s - 网络安全应急技术支撑单位管理系统\n\n"
            "usage: yingji <command> [options]\n\ncommands:\n",
            YJ_VERSION);
    for (size_t i = 0; i < YJ_ARRAY_LEN(commands); i++)
        fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].what);
    fprintf(f, "  %-9s %s\n\nRun 'yingji <command> --help' for a command's options.\n", "version",
            "print the version");
}

const char *cli_data_dir(const char *flag)
{
    if (flag && *flag)
        return flag;
    const char *env = getenv("YINGJI_DATA");
    return env && *env ? env : "data";
}

int cli_fail(const char *cmd, const char *fmt, ...)
{
    fprintf(stderr, "yingji %s: ", cmd);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return 1;
}

int cli_main(int argc, char **argv)
{
    yj_log_init_from_env();
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
        printf("yingji %s\n", YJ_VERSION);
        return 0;
    }
    for (size_t i = 0; i < YJ_ARRAY_LEN(commands); i++)
        if (strcmp(cmd, commands[i].name) == 0)
            return commands[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "yingji: unknown command '%s'\n\n", cmd);
    usage(stderr);
    return 2;
}
