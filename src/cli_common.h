/* pgsim CLI: option parsing and machine setup shared by the subcommands.
 *
 * Only main.c and cli_*.c parse argv (DESIGN.md rule 1).  Every usage or
 * input error prints "pgsim CMD: reason" on stderr and makes the
 * subcommand return 2 (DESIGN.md "Exit status").
 */
#ifndef PGSIM_CLI_COMMON_H
#define PGSIM_CLI_COMMON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "pgsim/arch.h"
#include "pgsim/mem.h"

#define CLI_EXIT_OK 0
#define CLI_EXIT_FAIL 1
#define CLI_EXIT_USAGE 2

/* A subcommand: main.c dispatches through a table of these. */
struct cli_cmd {
	const char *name;
	const char *summary;              /* one line for `pgsim --help` */
	int (*run)(int argc, char **argv); /* argv[0] is the subcommand name */
	void (*help)(FILE *out);
};

extern const struct cli_cmd cli_cmd_walk;
extern const struct cli_cmd cli_cmd_dump;

/* "pgsim CMD: <message>\n" on stderr; always returns CLI_EXIT_USAGE. */
int cli_error(const char *cmd, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

/* One long option of a subcommand. */
struct cli_opt {
	const char *name;   /* without the leading "--" */
	bool has_arg;
	int id;
};

/* Walks argv[1..argc-1].  Returns the next item through *id / *val:
 *   id >= 0  an option from the table (val = its argument or NULL),
 *   CLI_ARG  a positional argument (val),
 *   CLI_HELP --help or -h,
 *   CLI_END  no more arguments,
 *   CLI_BAD  an error was already printed (exit 2).
 * "--name=value" and "--name value" are both accepted; "--" ends the
 * options; a lone "-" is a positional argument. */
enum { CLI_ARG = -1, CLI_HELP = -2, CLI_END = -3, CLI_BAD = -4 };
struct cli_parser {
	const char *cmd;
	int argc;
	char **argv;
	int i;
	bool only_args;
	const struct cli_opt *opts; /* terminated by name == NULL */
};
void cli_parser_init(struct cli_parser *p, const char *cmd, int argc, char **argv,
		     const struct cli_opt *opts);
int cli_next(struct cli_parser *p, const char **val);

/* Parse a number: 0x hex or decimal, '_' allowed between digits.
 * Returns false when s is not a number or does not fit 64 bits. */
bool cli_parse_u64(const char *s, uint64_t *v);
/* The same for a size, which may end in K/M/G/T (powers of 1024). */
bool cli_parse_size(const char *s, uint64_t *v);

/* Options every machine-level subcommand takes (--arch, --image, --ram,
 * --root, --cpu, --va-bits, --pa-bits).  Option ids below 100 belong to
 * this set; subcommands use ids from 100 on. */
enum {
	CLI_OPT_ARCH = 1,
	CLI_OPT_IMAGE,
	CLI_OPT_RAM,
	CLI_OPT_ROOT,
	CLI_OPT_CPU,
	CLI_OPT_VA_BITS,
	CLI_OPT_PA_BITS,
	CLI_OPT_MACHINE_LAST = 99,
};
#define CLI_MACHINE_OPTS                                   \
	{ "arch", true, CLI_OPT_ARCH },                    \
	{ "image", true, CLI_OPT_IMAGE },                  \
	{ "ram", true, CLI_OPT_RAM },                      \
	{ "root", true, CLI_OPT_ROOT },                    \
	{ "cpu", true, CLI_OPT_CPU },                      \
	{ "va-bits", true, CLI_OPT_VA_BITS },              \
	{ "pa-bits", true, CLI_OPT_PA_BITS }

#define CLI_MAX_ITEMS 32

/* The machine a subcommand works on, built from the options. */
struct cli_machine {
	const char *cmd;
	/* raw option values, applied in a fixed order by cli_machine_setup */
	const char *arch_s, *root_s, *va_bits_s, *pa_bits_s;
	const char *images[CLI_MAX_ITEMS];
	unsigned n_images;
	const char *rams[CLI_MAX_ITEMS];
	unsigned n_rams;
	const char *cpus[CLI_MAX_ITEMS];
	unsigned n_cpus;
	/* results */
	struct pgsim_cfg cfg;
	struct pgsim_mem *mem;
	pgsim_pa_t root;
};

void cli_machine_init(struct cli_machine *m, const char *cmd);
/* Record a machine option (id < 100).  Returns 0 or CLI_EXIT_USAGE. */
int cli_machine_opt(struct cli_machine *m, int id, const char *val);
/* Resolve the architecture, CPU state, memory and root in that order.
 * Returns 0 or CLI_EXIT_USAGE (message printed). */
int cli_machine_setup(struct cli_machine *m);
void cli_machine_free(struct cli_machine *m);

/* Parse a VA given on the command line (or read from stdin: `where`
 * names the source, e.g. "<stdin>:3").  The VA must fit the
 * architecture's address register.  Returns 0 or CLI_EXIT_USAGE. */
int cli_parse_va(const struct cli_machine *m, const char *where, const char *s,
		 pgsim_va_t *va);

/* Help text for the machine options, with every architecture's VA/PA
 * widths and CPU flags taken from the descriptors. */
void cli_help_machine(FILE *out);

#endif
