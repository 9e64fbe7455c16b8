/* `pgsim dump`: every mapping of a table tree, as ranges, JSON or vmprint. */
#include <errno.h>
#include <string.h>

#include "cli_common.h"
#include "pgsim/report.h"
#include "pgsim/walk.h"

enum {
	OPT_FORMAT = 100,
	OPT_RANGE,
};

static const struct cli_opt dump_opts[] = {
	CLI_MACHINE_OPTS,
	{ "format", true, OPT_FORMAT },
	{ "range", true, OPT_RANGE },
	{ NULL, false, 0 },
};

enum dump_format { FMT_RANGES, FMT_VMPRINT, FMT_JSON };

/* A format may belong to one architecture's software: vmprint is xv6's,
 * and xv6 (and its PTE2PA) exists only on Sv39. */
static const struct {
	const char *name;
	enum dump_format fmt;
	const char *only_arch;
	const char *whose;
} formats[] = {
	{ "ranges", FMT_RANGES, NULL, NULL },
	{ "vmprint", FMT_VMPRINT, "sv39", "xv6's vmprint (6.S081 pgtbl lab) prints Sv39 tables" },
	{ "json", FMT_JSON, NULL, NULL },
};

static void dump_help(FILE *out)
{
	fputs("Usage: pgsim dump --arch ARCH --image FILE[@BASE]... --root PA [options]\n"
	      "\n"
	      "Show every mapping of the table tree at PA, in VA order.\n"
	      "\n"
	      "Formats:\n"
	      "  ranges   (default) one line per run of contiguous pages with equal level,\n"
	      "           permissions and attributes, like Linux's ptdump:\n"
	      "             VA-LAST SIZE LEVEL u:rwx s:rwx  pa PA  ATTRS\n"
	      "           Entries the hardware would fault on (!reserved, !addr-size), tables\n"
	      "           outside RAM (!bus) and tables already on the path (!cycle) get\n"
	      "           their own lines; nothing is dropped.\n"
	      "  json     one JSON document with \"ranges\" and \"anomalies\" arrays\n"
	      "           (keys in docs/json.md)\n"
	      "  vmprint  sv39 only: xv6's vmprint exactly as the 2020 pgtbl lab grader\n"
	      "           expects it: 'page table %p', then ' ..IDX: pte %p pa %p' per\n"
	      "           valid entry, depth first, one ' ..' per depth\n"
	      "\n"
	      "Dump options:\n"
	      "  --format ranges|json|vmprint  output format (default: ranges)\n"
	      "  --range VA-LAST            only mappings in [VA, LAST] (or VA+SIZE);\n"
	      "                             default: the whole VA space\n"
	      "  -h, --help                 show this help\n"
	      "\n", out);
	cli_help_machine(out);
	fputs("\n"
	      "Exit status: 0 dumped (anomalies included), 1 internal failure, 2 usage or\n"
	      "input error (also when hostile table sharing exhausts the walk's budget).\n"
	      "\n"
	      "Example:\n"
	      "  pgsim dump --arch sv39 --image mem.img@0x80000000 --root 0x87f67000 \\\n"
	      "             --format vmprint\n", out);
}

static int parse_range(const struct cli_machine *m, const char *s, struct pgsim_range_opts *o)
{
	char lo[128];
	const char *sep = strpbrk(s, "-+");
	uint64_t x;

	if (!sep || (size_t)(sep - s) >= sizeof(lo))
		return cli_error("dump", "--range: '%s' is not VA-LAST or VA+SIZE", s);
	memcpy(lo, s, (size_t)(sep - s));
	lo[sep - s] = '\0';
	if (cli_parse_va(m, "--range", lo, &o->va) != 0)
		return CLI_EXIT_USAGE;
	if (*sep == '+') {
		if (!cli_parse_size(sep + 1, &x))
			return cli_error("dump", "--range: size '%s' is not a number", sep + 1);
		if (x == 0 || x - 1 > UINT64_MAX - o->va)
			return cli_error("dump", "--range: '%s' is empty or wraps past 2^64", s);
		o->last = o->va + (x - 1);
		if (m->cfg.arch->entry_bytes < 8 && (o->last >> (m->cfg.arch->entry_bytes * 8)))
			return cli_error("dump", "--range: '%s' ends past %s's %u-bit addresses", s,
					 m->cfg.arch->name, m->cfg.arch->entry_bytes * 8);
	} else if (cli_parse_va(m, "--range", sep + 1, &o->last) != 0) {
		return CLI_EXIT_USAGE;
	}
	if (o->last < o->va)
		return cli_error("dump", "--range: '%s' ends before it starts", s);
	return 0;
}

static int dump_run(int argc, char **argv)
{
	struct cli_machine m;
	struct cli_parser p;
	struct pgsim_range_opts opts = { .merge = true };
	const char *val, *range_s = NULL;
	unsigned fmt = 0;
	int id, rc = 0;

	cli_machine_init(&m, "dump");
	cli_parser_init(&p, "dump", argc, argv, dump_opts);
	while (rc == 0 && (id = cli_next(&p, &val)) != CLI_END) {
		switch (id) {
		case CLI_BAD:
			rc = CLI_EXIT_USAGE;
			break;
		case CLI_HELP:
			dump_help(stdout);
			return 0;
		case CLI_ARG:
			rc = cli_error("dump", "unexpected argument '%s' (dump takes no VAs; "
				       "see --range)", val);
			break;
		case OPT_FORMAT: {
			unsigned n = sizeof(formats) / sizeof(formats[0]);

			for (fmt = 0; fmt < n; fmt++)
				if (strcmp(formats[fmt].name, val) == 0)
					break;
			if (fmt == n)
				rc = cli_error("dump", "--format: unknown format '%s' "
					       "(one of: ranges, json, vmprint)", val);
			break;
		}
		case OPT_RANGE:
			range_s = val;
			break;
		default:
			rc = cli_machine_opt(&m, id, val);
			break;
		}
	}
	if (rc == 0)
		rc = cli_machine_setup(&m);
	if (rc == 0 && formats[fmt].only_arch &&
	    strcmp(formats[fmt].only_arch, m.cfg.arch->name) != 0)
		rc = cli_error("dump", "--format %s: not for %s (%s; use --format ranges or json)",
			       formats[fmt].name, m.cfg.arch->name, formats[fmt].whose);
	if (rc == 0) {
		pgsim_report_full_range(&m.cfg, &opts.va, &opts.last);
		if (range_s)
			rc = parse_range(&m, range_s, &opts);
	}
	if (rc == 0) {
		switch (formats[fmt].fmt) {
		case FMT_RANGES:
			rc = pgsim_report_ranges(stdout, &m.cfg, m.mem, m.root, &opts);
			break;
		case FMT_JSON:
			rc = pgsim_report_dump_json(stdout, &m.cfg, m.mem, m.root, &opts);
			break;
		case FMT_VMPRINT:
			rc = pgsim_report_vmprint(stdout, &m.cfg, m.mem, m.root, &opts);
			break;
		}
		if (rc == -E2BIG) {
			rc = cli_error("dump", "stopped: the tables share subtables so often that "
				       "the walk's entry-read budget ran out (output incomplete)");
		} else if (rc < 0) {
			fprintf(stderr, "pgsim dump: %s\n", strerror(-rc));
			rc = CLI_EXIT_FAIL;
		}
	}
	if (fflush(stdout) != 0 && rc == 0) {
		fprintf(stderr, "pgsim dump: writing the output: %s\n", strerror(errno));
		rc = CLI_EXIT_FAIL;
	}
	cli_machine_free(&m);
	return rc;
}

const struct cli_cmd cli_cmd_dump = {
	.name = "dump",
	.summary = "list every mapping of a table tree (ranges, json, xv6 vmprint)",
	.run = dump_run,
	.help = dump_help,
};
