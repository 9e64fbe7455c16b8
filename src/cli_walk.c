/* `pgsim walk`: translate VAs through tables in memory images. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli_common.h"
#include "pgsim/report.h"
#include "pgsim/walk.h"

enum {
	OPT_ACCESS = 100,
	OPT_USER,
	OPT_SUPERVISOR,
	OPT_FORMAT,
};

static const struct cli_opt walk_opts[] = {
	CLI_MACHINE_OPTS,
	{ "access", true, OPT_ACCESS },
	{ "user", false, OPT_USER },
	{ "supervisor", false, OPT_SUPERVISOR },
	{ "format", true, OPT_FORMAT },
	{ NULL, false, 0 },
};

static void walk_help(FILE *out)
{
	fputs("Usage: pgsim walk --arch ARCH --image FILE[@BASE]... --root PA [options] VA...\n"
	      "\n"
	      "Translate each VA through the page tables held in the memory images, the\n"
	      "way the MMU does, and show every entry read on the way (like crash's vtop):\n"
	      "the entry's name, index, physical address, value, kind and decoded fields,\n"
	      "then the physical address, page size and permissions, or the fault in the\n"
	      "architecture's own words.  A VA of - reads VAs from standard input, one per\n"
	      "line (blank lines and lines starting with # are skipped).  A fault is an\n"
	      "answer, not an error: the exit status is 0.\n"
	      "\n"
	      "Walk options:\n"
	      "  --access read|write|exec  kind of access (default: read)\n"
	      "  --user                    user-mode access: CPL 3 / EL0 / U-mode (default)\n"
	      "  --supervisor              supervisor access: CPL 0 / EL1 / S-mode\n"
	      "  --format text|json        text (default), or JSON Lines: one object per VA\n"
	      "                            (keys in docs/json.md)\n"
	      "  -h, --help                show this help\n"
	      "\n", out);
	cli_help_machine(out);
	fputs("\n"
	      "Exit status: 0 every VA was translated (faults included), 1 internal\n"
	      "failure, 2 usage or input error.\n"
	      "\n"
	      "Example:\n"
	      "  pgsim walk --arch x86_64 --image mem.img@0x100000 --root 0x100000 \\\n"
	      "             --access write 0x1234\n", out);
}

struct walk_run {
	struct cli_machine m;
	struct pgsim_walk_req req;
	bool json;
	unsigned n_done;
};

static int walk_one(struct walk_run *w, pgsim_va_t va)
{
	struct pgsim_translation t;
	int rc = pgsim_walk_translate(&w->m.cfg, w->m.mem, w->m.root, va, &w->req, &t);

	if (rc < 0) {
		fprintf(stderr, "pgsim walk: translating 0x%llx: %s\n", (unsigned long long)va,
			strerror(-rc));
		return CLI_EXIT_FAIL;
	}
	if (w->json) {
		pgsim_report_walk_json(stdout, &w->m.cfg, &w->req, &t);
	} else {
		if (w->n_done)
			fputc('\n', stdout);
		pgsim_report_walk_text(stdout, &w->m.cfg, &w->req, &t);
	}
	w->n_done++;
	return 0;
}

/* VAs from standard input, one per line; each is checked as it is read,
 * so a batch streams (and a bad line stops it with exit 2). */
static int walk_stdin(struct walk_run *w)
{
	char *line = NULL;
	size_t cap = 0;
	unsigned long lineno = 0;
	int rc = 0;

	while (rc == 0 && getline(&line, &cap, stdin) >= 0) {
		char *s = line, *e, where[48];
		pgsim_va_t va;

		lineno++;
		while (*s == ' ' || *s == '\t')
			s++;
		e = s + strlen(s);
		while (e > s && (e[-1] == '\n' || e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t'))
			*--e = '\0';
		if (*s == '\0' || *s == '#')
			continue;
		snprintf(where, sizeof(where), "<stdin>:%lu", lineno);
		rc = cli_parse_va(&w->m, where, s, &va);
		if (rc == 0)
			rc = walk_one(w, va);
	}
	if (rc == 0 && ferror(stdin))
		rc = cli_error("walk", "<stdin>: %s", strerror(errno));
	free(line);
	return rc;
}

static int walk_run(int argc, char **argv)
{
	struct walk_run w;
	struct cli_parser p;
	const char **vas;
	const char *val;
	pgsim_va_t *vals;
	unsigned n_vas = 0;
	int id, rc = 0;

	memset(&w, 0, sizeof(w));
	cli_machine_init(&w.m, "walk");
	w.req.access = PGSIM_ACCESS_READ;
	w.req.user = true;
	vas = calloc((size_t)argc + 1, sizeof(*vas));
	vals = calloc((size_t)argc + 1, sizeof(*vals));
	if (!vas || !vals) {
		free(vas);
		free(vals);
		fputs("pgsim walk: out of memory\n", stderr);
		return CLI_EXIT_FAIL;
	}
	cli_parser_init(&p, "walk", argc, argv, walk_opts);
	while (rc == 0 && (id = cli_next(&p, &val)) != CLI_END) {
		switch (id) {
		case CLI_BAD:
			rc = CLI_EXIT_USAGE;
			break;
		case CLI_HELP:
			walk_help(stdout);
			goto out;
		case CLI_ARG:
			vas[n_vas++] = val;
			break;
		case OPT_ACCESS:
			if (strcmp(val, "read") == 0)
				w.req.access = PGSIM_ACCESS_READ;
			else if (strcmp(val, "write") == 0)
				w.req.access = PGSIM_ACCESS_WRITE;
			else if (strcmp(val, "exec") == 0 || strcmp(val, "execute") == 0)
				w.req.access = PGSIM_ACCESS_EXEC;
			else
				rc = cli_error("walk", "--access: '%s' is not read, write or exec (execute)", val);
			break;
		case OPT_USER:
			w.req.user = true;
			break;
		case OPT_SUPERVISOR:
			w.req.user = false;
			break;
		case OPT_FORMAT:
			if (strcmp(val, "text") == 0)
				w.json = false;
			else if (strcmp(val, "json") == 0)
				w.json = true;
			else
				rc = cli_error("walk", "--format: unknown format '%s' (one of: text, json)",
					       val);
			break;
		default:
			rc = cli_machine_opt(&w.m, id, val);
			break;
		}
	}
	if (rc)
		goto out;
	if (n_vas == 0) {
		rc = cli_error("walk", "no VA given (give VAs, or - to read them from stdin)");
		goto out;
	}
	if ((rc = cli_machine_setup(&w.m)) != 0)
		goto out;
	/* Check every command-line VA before printing anything. */
	for (unsigned i = 0; i < n_vas && rc == 0; i++)
		if (strcmp(vas[i], "-") != 0)
			rc = cli_parse_va(&w.m, "", vas[i], &vals[i]);
	for (unsigned i = 0; i < n_vas && rc == 0; i++)
		rc = strcmp(vas[i], "-") == 0 ? walk_stdin(&w) : walk_one(&w, vals[i]);
out:
	if (fflush(stdout) != 0 && rc == 0) {
		fprintf(stderr, "pgsim walk: writing the output: %s\n", strerror(errno));
		rc = CLI_EXIT_FAIL;
	}
	cli_machine_free(&w.m);
	free(vas);
	free(vals);
	return rc;
}

const struct cli_cmd cli_cmd_walk = {
	.name = "walk",
	.summary = "translate VAs through page tables in memory images",
	.run = walk_run,
	.help = walk_help,
};
