/*
 * main.c - yingji (应急): a system for cybersecurity emergency technical
 * support units and the authorities that run them. Everything is in the
 * subcommands.
 */
#include "cli/cli.h"

#if defined(__SANITIZE_ADDRESS__)
/*
 * Sanitizer builds (the tests) only. fontconfig keeps its caches until exit and
 * cairo 1.16 leaks a little per PDF surface (Debian 12); neither is ours, and a
 * server that has rendered one PDF would otherwise fail its leak check at exit.
 * Matched by library rather than function because the fast unwinder (kept for
 * speed) does not see past frames built without frame pointers; the precise
 * function-level suppression lives in tests/unit/export, which checks our own
 * cairo/pango calls for leaks with full unwinding.
 */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\nleak:libcairo.so\n";
}
#endif

int main(int argc, char **argv)
{
    return cli_main(argc, argv);
}
