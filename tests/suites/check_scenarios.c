/* Scenario tests (Check, fork mode).
 *
 *   check_scenarios scenarios   every *.yaml under $PGSIM_SOURCE/scenarios,
 *                               found at run time, is its own test: it must
 *                               load, prepare and pass every step (a new
 *                               scenario file needs no build change);
 *   check_scenarios run         `pgsim run` end to end ($PGSIM_BIN, run in
 *                               $PGSIM_SOURCE): stdout compared byte for
 *                               byte with tests/golden/run-*, scenarios
 *                               meant to fail (tests/data/scenarios-bad)
 *                               exit 1 with the mismatch reported, files
 *                               with input errors (tests/data/
 *                               scenarios-invalid) exit 2 with the message
 *                               their first line announces, and usage
 *                               errors exit 2.
 * The goldens were written by hand from docs/scenarios.md and the values
 * the spec gives (see tests/golden/run-README.md), not captured from pgsim.
 */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pgsim/engine.h"

#define MAX_ARGS 16

static const char *env(const char *name)
{
	const char *v = getenv(name);

	ck_assert_msg(v && *v, "environment variable %s is not set (run through meson test)", name);
	return v;
}

/* ---- discovery -------------------------------------------------------------- */

struct files {
	char **v;
	size_t n, cap;
};

static void files_add(struct files *f, const char *s)
{
	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 64;
		f->v = realloc(f->v, f->cap * sizeof(*f->v));
		if (!f->v)
			abort();
	}
	f->v[f->n] = strdup(s);
	if (!f->v[f->n])
		abort();
	f->n++;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every *.yaml under dir (relative to the current directory), sorted. */
static void discover(const char *dir, struct files *out)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d))) {
		char path[1024];
		struct stat st;
		size_t len = strlen(de->d_name);

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
			discover(path, out);
		else if (len > 5 && strcmp(de->d_name + len - 5, ".yaml") == 0)
			files_add(out, path);
	}
	closedir(d);
	qsort(out->v, out->n, sizeof(out->v[0]), cmp_str);
}

static struct files corpus;

/* ---- the corpus: every scenario passes ---------------------------------- */

START_TEST(test_scenario)
{
	/* The scenario loads without diagnostics, its machine prepares, and
	 * every step's expectation holds (all steps run, so the message lists
	 * every failed step at once). */
	const char *path = corpus.v[_i];
	struct pgsim_engine_opts o = { .keep_going = true };
	struct pgsim_scn_diags d;
	struct pgsim_scn *s = NULL;
	struct pgsim_engine *e = NULL;
	struct pgsim_run *r = NULL;
	char msg[4096];
	size_t off = 0;
	int rc;

	rc = pgsim_engine_load(path, &s, &d);
	if (!rc)
		rc = pgsim_engine_prepare(s, &d, &e);
	if (rc) {
		FILE *m = fmemopen(msg, sizeof(msg), "w");

		pgsim_scn_diags_print(m, &d);
		fclose(m);
		ck_abort_msg("%s does not load (%d):\n%s", path, rc, msg);
	}
	ck_assert_int_eq(pgsim_engine_run(e, &o, &r), 0);
	ck_assert_uint_eq(r->n_results, s->n_steps);
	msg[0] = '\0';
	for (unsigned i = 0; i < r->n_results && off < sizeof(msg); i++) {
		const struct pgsim_step_result *sr = &r->results[i];

		for (unsigned j = 0; j < sr->n_mismatch && off < sizeof(msg); j++)
			off += (size_t)snprintf(msg + off, sizeof(msg) - off,
						"\n  %s:%u %s: %s: expected %s, got %s", path,
						sr->line, sr->label, sr->mm[j].what,
						sr->mm[j].expected, sr->mm[j].actual);
	}
	ck_assert_msg(r->failed == 0 && r->passed == s->n_steps, "%u of %u steps failed:%s",
		      r->failed, s->n_steps, msg);
	pgsim_run_free(r);
	pgsim_engine_free(e);
	pgsim_scn_free(s);
}
END_TEST

/* ---- running the command --------------------------------------------------- */

struct result {
	int status;
	char *out;
	char *err;
};

static char *slurp(FILE *f)
{
	long n;
	char *buf;

	fseek(f, 0, SEEK_END);
	n = ftell(f);
	ck_assert_int_ge(n, 0);
	rewind(f);
	buf = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	return buf;
}

/* `pgsim args...` in the source root. */
static struct result run(const char *const *args)
{
	const char *prog = env("PGSIM_BIN"), *argv[MAX_ARGS + 2];
	FILE *out = tmpfile(), *err = tmpfile();
	struct result r;
	unsigned n = 0;
	pid_t pid;
	int st;

	ck_assert(out && err);
	argv[n++] = prog;
	while (args[n - 1]) {
		ck_assert_uint_lt(n, MAX_ARGS);
		argv[n] = args[n - 1];
		n++;
	}
	argv[n] = NULL;
	fflush(NULL);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		dup2(fileno(out), 1);
		dup2(fileno(err), 2);
		execv(prog, (char *const *)argv);
		_exit(127);
	}
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	r.out = slurp(out);
	r.err = slurp(err);
	fclose(out);
	fclose(err);
	return r;
}

static void result_free(struct result *r)
{
	free(r->out);
	free(r->err);
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *s;

	ck_assert_msg(f != NULL, "cannot open %s: %s", path, strerror(errno));
	s = slurp(f);
	fclose(f);
	return s;
}

/* "line N: expected '...', got '...'" for the first differing line */
static void first_diff(const char *a, const char *b, char *msg, size_t len)
{
	unsigned line = 1;

	for (;;) {
		size_t la = strcspn(a, "\n"), lb = strcspn(b, "\n");

		if (la != lb || strncmp(a, b, la) != 0 || !a[la] || !b[lb]) {
			snprintf(msg, len, "line %u: expected '%.*s', got '%.*s'", line, (int)la, a,
				 (int)lb, b);
			return;
		}
		a += la + 1;
		b += lb + 1;
		line++;
	}
}

struct golden {
	const char *file;       /* tests/golden/... */
	int status;             /* expected exit status */
	const char *args[MAX_ARGS];
};

#define BAD "tests/data/scenarios-bad/wrong-fault-status.yaml"
#define TUT64 "scenarios/x86_64/mapping-tutorial.yaml"

static const struct golden goldens[] = {
	{ "tests/golden/run-tutorial-x86_64.txt", 0, { "run", TUT64 } },
	{ "tests/golden/run-wrong-fault-status.txt", 1, { "run", BAD } },
	{ "tests/golden/run-wrong-fault-status.json", 1, { "run", "--format", "json", BAD } },
	{ "tests/golden/run-wrong-fault-status.tap", 1, { "run", "--format=tap", BAD } },
	{ "tests/golden/run-keep-going.txt", 1, { "run", "--keep-going", BAD } },
	{ "tests/golden/run-trace-ia32.txt", 0,
	  { "run", "--trace", "tests/data/scenarios-golden/trace-ia32.yaml" } },
	{ "tests/golden/run-two.json", 0,
	  { "run", "--format", "json", "tests/data/scenarios-golden/trace-ia32.yaml",
	    "tests/data/scenarios-golden/print-sv39.yaml" } },
	{ "tests/golden/run-print-sv39.txt", 0,
	  { "run", "tests/data/scenarios-golden/print-sv39.yaml" } },
};
#define N_GOLDENS (sizeof(goldens) / sizeof(goldens[0]))

START_TEST(test_golden)
{
	/* stdout equals the hand-written golden byte for byte, nothing on
	 * stderr, and the exit status is the one the golden's case states. */
	const struct golden *g = &goldens[_i];
	struct result r = run(g->args);
	char *want = read_file(g->file), diff[600];

	first_diff(want, r.out, diff, sizeof(diff));
	ck_assert_msg(strcmp(want, r.out) == 0, "%s differs: %s", g->file, diff);
	ck_assert_msg(r.status == g->status, "%s: exit %d, expected %d (stderr: %s)", g->file,
		      r.status, g->status, r.err);
	ck_assert_str_eq(r.err, "");
	free(want);
	result_free(&r);
}
END_TEST

static struct files bad, invalid;

START_TEST(test_bad_scenario)
{
	/* A scenario whose expectation is wrong on purpose: exit 1, a FAIL
	 * line and an "expected ..., got ..." line naming the file and the
	 * step's line, and the summary counts the failure. */
	const char *path = bad.v[_i];
	const char *args[] = { "run", path, NULL };
	struct result r = run(args);
	char where[512];

	snprintf(where, sizeof(where), "        %s:", path);
	ck_assert_msg(r.status == 1, "%s: exit %d, expected 1\n%s%s", path, r.status, r.out, r.err);
	ck_assert_msg(strstr(r.out, "\n  FAIL  line ") != NULL, "%s: no FAIL line:\n%s", path, r.out);
	ck_assert_msg(strstr(r.out, where) && strstr(r.out, ": expected "),
		      "%s: no 'file:line: what: expected ..., got ...' line:\n%s", path, r.out);
	ck_assert_msg(strstr(r.out, " 1 failed") != NULL, "%s: summary:\n%s", path, r.out);
	result_free(&r);
}
END_TEST

START_TEST(test_invalid_scenario)
{
	/* A file with an input error: exit 2, nothing on stdout, and stderr
	 * is exactly "FILE:" + what the file's first line announces after
	 * "# error: " (line:col: message). */
	const char *path = invalid.v[_i];
	const char *args[] = { "run", path, NULL };
	char *text = read_file(path), want[1024];
	const char *tag = "# error: ";
	size_t n;
	struct result r;

	ck_assert_msg(strncmp(text, tag, strlen(tag)) == 0, "%s: first line must be '%s...'", path,
		      tag);
	n = strcspn(text + strlen(tag), "\n");
	snprintf(want, sizeof(want), "%s:%.*s\n", path, (int)n, text + strlen(tag));
	r = run(args);
	ck_assert_msg(r.status == 2, "%s: exit %d, expected 2", path, r.status);
	ck_assert_str_eq(r.out, "");
	ck_assert_str_eq(r.err, want);
	free(text);
	result_free(&r);
}
END_TEST

struct usage {
	int status;
	const char *err_has;     /* substring of stderr (NULL: stderr empty) */
	const char *args[MAX_ARGS];
};

static const struct usage usages[] = {
	{ 2, "pgsim run: no scenario given", { "run" } },
	{ 2, "pgsim run: --format: unknown format 'yaml'", { "run", "--format", "yaml", TUT64 } },
	{ 2, "pgsim run: no-such-file.yaml: No such file or directory",
	  { "run", "no-such-file.yaml" } },
	{ 2, "pgsim run: tests/golden: no *.yaml scenario files", { "run", "tests/golden" } },
	{ 2, "pgsim run: unknown option '--frobnicate'", { "run", "--frobnicate", TUT64 } },
	/* one bad file stops every file, before anything runs */
	{ 2, "tests/data/scenarios-invalid/", { "run", TUT64, "tests/data/scenarios-invalid" } },
	{ 0, NULL, { "run", "--help" } },
	{ 0, NULL, { "run", "scenarios/ia32" } },
};
#define N_USAGES (sizeof(usages) / sizeof(usages[0]))

START_TEST(test_usage)
{
	/* Usage errors exit 2 with a message naming the problem; a run of a
	 * whole directory or --help exits 0.  When any file has an input
	 * error nothing runs: stdout stays empty. */
	const struct usage *u = &usages[_i];
	struct result r = run(u->args);

	ck_assert_msg(r.status == u->status, "case %d: exit %d, expected %d (%s)", _i, r.status,
		      u->status, r.err);
	if (u->err_has) {
		ck_assert_msg(strstr(r.err, u->err_has) != NULL, "case %d: stderr lacks '%s': %s",
			      _i, u->err_has, r.err);
		ck_assert_str_eq(r.out, "");
	} else {
		ck_assert_str_eq(r.err, "");
		ck_assert_msg(r.out[0] != '\0', "case %d: no output", _i);
	}
	result_free(&r);
}
END_TEST

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "scenarios";
	Suite *s;
	SRunner *sr;
	int failed;

	const char *src = getenv("PGSIM_SOURCE");

	if (!src || chdir(src) != 0) {
		fprintf(stderr, "PGSIM_SOURCE must name the source tree (run through meson test)\n");
		return 1;
	}
	if (strcmp(mode, "scenarios") == 0) {
		s = suite_create("scenario");
		discover("scenarios", &corpus);
		if (corpus.n == 0) {
			fprintf(stderr, "no scenarios found under scenarios/\n");
			return 1;
		}
		/* one test case per file, named by its path */
		for (size_t i = 0; i < corpus.n; i++) {
			TCase *tc = tcase_create(corpus.v[i]);

			tcase_add_loop_test(tc, test_scenario, (int)i, (int)i + 1);
			tcase_set_timeout(tc, 60);
			suite_add_tcase(s, tc);
		}
	} else if (strcmp(mode, "run") == 0) {
		TCase *tc = tcase_create("run");

		s = suite_create("run");
		discover("tests/data/scenarios-bad", &bad);
		discover("tests/data/scenarios-invalid", &invalid);
		if (bad.n == 0 || invalid.n == 0) {
			fprintf(stderr, "tests/data/scenarios-bad or -invalid is empty\n");
			return 1;
		}
		tcase_add_loop_test(tc, test_golden, 0, (int)N_GOLDENS);
		tcase_add_loop_test(tc, test_bad_scenario, 0, (int)bad.n);
		tcase_add_loop_test(tc, test_invalid_scenario, 0, (int)invalid.n);
		tcase_add_loop_test(tc, test_usage, 0, (int)N_USAGES);
		tcase_set_timeout(tc, 120);
		suite_add_tcase(s, tc);
	} else {
		fprintf(stderr, "usage: check_scenarios scenarios|run\n");
		return 2;
	}
	sr = srunner_create(s);
	srunner_run_all(sr, CK_VERBOSE);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
