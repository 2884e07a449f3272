/*
 * main.c - yingji (应急): a system for cybersecurity emergency technical
 * support units and the authorities that run them. Everything is in the
 * subcommands.
 */
#include "cli/cli.h"

int main(int argc, char **argv)
{
    return cli_main(argc, argv);
}
