/* pgsim: the command.  Dispatches subcommands from a table; adding one is
 * a new cli_<name>.c with a struct cli_cmd and a line in `cmds`. */
#include <stdio.h>
#include <string.h>

#include "cli_common.h"

#ifndef PGSIM_VERSION
#define PGSIM_VERSION "unknown"
#endif

extern const struct cli_cmd cli_cmd_run; /* src/cli_run.c */

static const struct cli_cmd *const cmds[] = {
	&cli_cmd_walk,
	&cli_cmd_dump,
	&cli_cmd_run,
};
#define N_CMDS (sizeof(cmds) / sizeof(cmds[0]))

static const struct cli_cmd *find(const char *name)
{
	for (size_t i = 0; i < N_CMDS; i++)
		if (strcmp(cmds[i]->name, name) == 0)
			return cmds[i];
	return NULL;
}

static void usage(FILE *out)
{
	fputs("Usage: pgsim COMMAND [options]\n"
	      "       pgsim help COMMAND | --help | --version\n"
	      "\n"
	      "Page-table simulator and verifier for ia32, x86_64, AArch64 and RISC-V Sv39.\n"
	      "\n"
	      "Commands:\n", out);
	for (size_t i = 0; i < N_CMDS; i++)
		fprintf(out, "  %-8s %s\n", cmds[i]->name, cmds[i]->summary);
	fputs("\n"
	      "'pgsim COMMAND --help' shows a command's options.\n"
	      "Exit status: 0 success, 1 an expectation or invariant failed,\n"
	      "2 usage or input error.\n", out);
}

static void cmd_names(char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < N_CMDS && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%s", i ? ", " : "", cmds[i]->name);
}

static int unknown(const char *name)
{
	char names[256];

	cmd_names(names, sizeof(names));
	fprintf(stderr, "pgsim: unknown command '%s' (commands: %s; see 'pgsim --help')\n",
		name, names);
	return CLI_EXIT_USAGE;
}

int main(int argc, char **argv)
{
	const struct cli_cmd *c;

	if (argc < 2) {
		usage(stderr);
		return CLI_EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return CLI_EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("pgsim %s\n", PGSIM_VERSION);
		return CLI_EXIT_OK;
	}
	if (strcmp(argv[1], "help") == 0) {
		if (argc < 3) {
			usage(stdout);
			return CLI_EXIT_OK;
		}
		if (argc > 3) {
			fprintf(stderr, "pgsim help: takes one command name\n");
			return CLI_EXIT_USAGE;
		}
		c = find(argv[2]);
		if (!c)
			return unknown(argv[2]);
		c->help(stdout);
		return CLI_EXIT_OK;
	}
	if (argv[1][0] == '-') {
		fprintf(stderr, "pgsim: unknown option '%s' (see 'pgsim --help')\n", argv[1]);
		return CLI_EXIT_USAGE;
	}
	c = find(argv[1]);
	if (!c)
		return unknown(argv[1]);
	return c->run(argc - 1, argv + 1);
}
