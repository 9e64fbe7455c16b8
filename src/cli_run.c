/* `pgsim run`: run YAML scenarios and report each step's outcome.
 *
 * Every file is loaded and checked against its machine first; if any has
 * an input error, all errors are printed (file:line:col) and nothing runs
 * (exit 2).  Then the scenarios run in the order given (a directory
 * contributes its *.yaml files, sorted, recursively).  Exit 0 when every
 * expectation held, 1 when one did not.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli_common.h"
#include "pgsim/engine.h"

enum { OPT_FORMAT = 100, OPT_TRACE, OPT_KEEP_GOING };
enum fmt { FMT_TEXT, FMT_JSON, FMT_TAP };

static const struct cli_opt run_opts[] = {
	{ "format", true, OPT_FORMAT },
	{ "trace", false, OPT_TRACE },
	{ "keep-going", false, OPT_KEEP_GOING },
	{ NULL, false, 0 },
};

static void run_help(FILE *out)
{
	fputs("Usage: pgsim run FILE|DIR... [--format text|json|tap] [--trace] [--keep-going]\n"
	      "\n"
	      "Run YAML scenarios (docs/scenarios.md): seL4 VSpace operations, memory\n"
	      "accesses and walker queries, each checked against its `expect`.  A\n"
	      "directory runs every *.yaml file under it, sorted by path.\n"
	      "\n"
	      "Options:\n"
	      "  --format FMT   text (default): one line per step and 'N passed, N failed';\n"
	      "                 json: one document per scenario, one per line;\n"
	      "                 tap: TAP version 13, one test point per step\n"
	      "  --trace        show the walk of every memory access and, for seL4 calls,\n"
	      "                 the walk of the VAs involved with the entries written\n"
	      "  --keep-going   run every step even after one failed (by default the\n"
	      "                 rest of that scenario is reported as not run)\n"
	      "\n"
	      "Errors in a file are reported as file:line:col before any step runs.\n"
	      "Exit status: 0 every expectation held, 1 one did not, 2 usage or input error.\n"
	      "\n"
	      "Example:\n"
	      "  pgsim run scenarios/x86_64/mapping-tutorial.yaml\n", out);
}

struct list {
	char **v;
	size_t n, cap;
};

static int list_add(struct list *l, const char *s)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		char **v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n] = strdup(s);
	if (!l->v[l->n])
		return -ENOMEM;
	l->n++;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool is_yaml(const char *name)
{
	size_t n = strlen(name);

	return n > 5 && strcmp(name + n - 5, ".yaml") == 0;
}

/* Every *.yaml under dir (real directories only: symlinked directories
 * are not followed, so a link loop cannot trap the walk). */
static int collect(const char *dir, struct list *out, int depth)
{
	struct list names = { 0 };
	struct dirent *de;
	DIR *d;
	int rc = 0;

	if (depth > 32)
		return 0;
	d = opendir(dir);
	if (!d)
		return cli_error("run", "%s: %s", dir, strerror(errno));
	while ((de = readdir(d)))
		if (de->d_name[0] != '.' && (rc = list_add(&names, de->d_name)))
			break;
	closedir(d);
	if (names.n)
		qsort(names.v, names.n, sizeof(names.v[0]), cmp_str);
	for (size_t i = 0; i < names.n && !rc; i++) {
		size_t len = strlen(dir) + strlen(names.v[i]) + 2;
		char *p = malloc(len);
		struct stat st;

		if (!p) {
			rc = -ENOMEM;
			break;
		}
		snprintf(p, len, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", names.v[i]);
		if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
			rc = collect(p, out, depth + 1);
		else if (is_yaml(names.v[i]))
			rc = list_add(out, p);
		free(p);
	}
	for (size_t i = 0; i < names.n; i++)
		free(names.v[i]);
	free(names.v);
	return rc;
}

struct item {
	struct pgsim_scn *scn;
	struct pgsim_engine *eng;
};

static int run_all(struct list *files, enum fmt fmt, const struct pgsim_engine_opts *eo)
{
	struct item *items = calloc(files->n ? files->n : 1, sizeof(*items));
	unsigned counter = 0, failed_scn = 0, passed = 0, failed = 0, not_run = 0;
	int rc = CLI_EXIT_OK;
	bool bad = false;

	if (!items)
		return cli_error("run", "out of memory");
	/* Phase 1: every file loaded and prepared; nothing runs on an error. */
	for (size_t i = 0; i < files->n; i++) {
		struct pgsim_scn_diags d;
		int e = pgsim_engine_load(files->v[i], &items[i].scn, &d);

		if (!e)
			e = pgsim_engine_prepare(items[i].scn, &d, &items[i].eng);
		if (e) {
			if (e == -ENOMEM)
				fprintf(stderr, "pgsim run: %s: out of memory\n", files->v[i]);
			pgsim_scn_diags_print(stderr, &d);
			bad = true;
		}
	}
	if (bad) {
		rc = CLI_EXIT_USAGE;
		goto out;
	}
	if (fmt == FMT_TAP)
		puts("TAP version 13");
	for (size_t i = 0; i < files->n; i++) {
		struct pgsim_run *r;
		int e = pgsim_engine_run(items[i].eng, eo, &r);

		if (e) {
			rc = cli_error("run", "%s: %s", files->v[i], strerror(-e));
			goto out;
		}
		if (fmt == FMT_JSON) {
			pgsim_run_print_json(stdout, r, eo->trace);
		} else if (fmt == FMT_TAP) {
			pgsim_run_print_tap(stdout, r, eo->trace, &counter);
		} else {
			if (i)
				putchar('\n');
			pgsim_run_print_text(stdout, r, eo->trace);
		}
		passed += r->passed;
		failed += r->failed;
		not_run += r->not_run;
		if (r->failed)
			failed_scn++;
		pgsim_run_free(r);
	}
	if (fmt == FMT_TAP)
		printf("1..%u\n", counter);
	if (fmt == FMT_TEXT && files->n > 1)
		printf("\n%zu scenarios (%u failed): %u passed, %u failed, %u not run\n",
		       files->n, failed_scn, passed, failed, not_run);
	rc = failed ? CLI_EXIT_FAIL : CLI_EXIT_OK;
out:
	for (size_t i = 0; i < files->n; i++) {
		pgsim_engine_free(items[i].eng);
		pgsim_scn_free(items[i].scn);
	}
	free(items);
	return rc;
}

static int run_main(int argc, char **argv)
{
	struct cli_parser p;
	struct pgsim_engine_opts eo = { 0 };
	struct list files = { 0 };
	enum fmt fmt = FMT_TEXT;
	const char *val;
	int id, rc = 0;

	cli_parser_init(&p, "run", argc, argv, run_opts);
	while (!rc && (id = cli_next(&p, &val)) != CLI_END) {
		struct stat st;

		switch (id) {
		case CLI_HELP:
			run_help(stdout);
			goto done;
		case CLI_BAD:
			rc = CLI_EXIT_USAGE;
			break;
		case OPT_FORMAT:
			if (strcmp(val, "text") == 0)
				fmt = FMT_TEXT;
			else if (strcmp(val, "json") == 0)
				fmt = FMT_JSON;
			else if (strcmp(val, "tap") == 0)
				fmt = FMT_TAP;
			else
				rc = cli_error("run", "--format: unknown format '%s' (one of: text, "
					       "json, tap)", val);
			break;
		case OPT_TRACE:
			eo.trace = true;
			break;
		case OPT_KEEP_GOING:
			eo.keep_going = true;
			break;
		case CLI_ARG:
			if (stat(val, &st) != 0)
				rc = cli_error("run", "%s: %s", val, strerror(errno));
			else if (S_ISDIR(st.st_mode)) {
				size_t before = files.n;

				rc = collect(val, &files, 0);
				if (rc == -ENOMEM)
					rc = cli_error("run", "out of memory");
				else if (!rc && files.n == before)
					rc = cli_error("run", "%s: no *.yaml scenario files", val);
			} else if (list_add(&files, val)) {
				rc = cli_error("run", "out of memory");
			}
			break;
		default:
			rc = cli_error("run", "unexpected option");
			break;
		}
	}
	if (!rc && files.n == 0)
		rc = cli_error("run", "no scenario given (see 'pgsim run --help')");
	if (!rc)
		rc = run_all(&files, fmt, &eo);
done:
	for (size_t i = 0; i < files.n; i++)
		free(files.v[i]);
	free(files.v);
	return rc;
}

const struct cli_cmd cli_cmd_run = {
	.name = "run",
	.summary = "run YAML scenarios (seL4 operations, accesses, expectations)",
	.run = run_main,
	.help = run_help,
};
