/* CMocka tests of the scenario loader: every message it can give, with
 * its line and column, and what a valid file turns into.
 *
 * Each error case is a small YAML text and the exact diagnostics pgsim
 * prints for it ("t.yaml:LINE:COL: message", in file order).  Lines and
 * columns are counted by hand from the text (1-based; a tab counts as one
 * column); libyaml's own wording is kept for syntax errors, so those cases
 * pin the position and the fact that libyaml's problem is passed on.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "pgsim/engine.h"

/* The printed diagnostics of loading `yaml` (NULL when it loads). */
static char *load_diags(const char *yaml, size_t len, struct pgsim_scn **out)
{
	struct pgsim_scn_diags d;
	struct pgsim_scn *s = NULL;
	char *buf = NULL;
	size_t blen = 0;
	FILE *f;
	int rc;

	pgsim_scn_diags_init(&d, "t.yaml");
	rc = pgsim_scn_load_buf("t.yaml", yaml, len, pgsim_engine_schema(), &s, &d);
	if (rc == 0) {
		assert_int_equal(d.n, 0);
		if (out)
			*out = s;
		else
			pgsim_scn_free(s);
		return NULL;
	}
	assert_int_equal(rc, -22); /* -EINVAL */
	assert_null(s);
	f = open_memstream(&buf, &blen);
	assert_non_null(f);
	pgsim_scn_diags_print(f, &d);
	fclose(f);
	return buf;
}

struct err_case {
	const char *name;
	const char *yaml;
	const char *want;   /* the whole diagnostics output */
};

#define HEAD "arch: x86_64\nobjects: {f: frame}\nsteps:\n"

static const struct err_case cases[] = {
	/* ---- the document -------------------------------------------------- */
	{ "empty file", "",
	  "t.yaml:1:1: empty scenario (a scenario is a mapping with at least 'arch' and 'steps')\n" },
	{ "only a comment", "# nothing\n",
	  "t.yaml:1:1: empty scenario (a scenario is a mapping with at least 'arch' and 'steps')\n" },
	{ "a list, not a mapping", "- 1\n",
	  "t.yaml:1:1: a scenario is a mapping with at least 'arch' and 'steps', not a list\n" },
	{ "text, not a mapping", "hello\n",
	  "t.yaml:1:1: a scenario is a mapping with at least 'arch' and 'steps', not text\n" },
	{ "two documents", "arch: x86_64\n---\narch: sv39\n",
	  "t.yaml:2:1: a scenario file holds one YAML document; this is a second one\n" },
	/* ---- YAML syntax (libyaml's words, our positions) --------------------- */
	{ "unclosed flow sequence", "a: [1, 2\n",
	  "t.yaml:2:1: bad YAML: did not find expected ',' or ']' (while parsing a flow "
	  "sequence at line 1)\n" },
	{ "tab indentation", "a:\n\tb: 1\n",
	  "t.yaml:2:1: bad YAML: found character that cannot start any token (while scanning "
	  "for the next token at line 2)\n" },
	{ "invalid UTF-8", "arch: x\x80\n",
	  "t.yaml:1:8: not a YAML text file: invalid leading UTF-8 octet\n" },
	{ "control character", "arch: x\x01\n",
	  "t.yaml:1:8: not a YAML text file: control characters are not allowed\n" },
	{ "NUL by escape", "name: \"a\\0b\"\n",
	  "t.yaml:1:7: text contains a NUL character\n" },
	{ "alias value", "arch: &a x86_64\nname: *a\n",
	  "t.yaml:2:7: aliases (*name) are not supported\n" },
	{ "alias key", "x: &a k\n*a : 1\n",
	  "t.yaml:2:1: aliases (*name) are not supported\n" },
	{ "complex key", "? [1, 2]\n: 3\n",
	  "t.yaml:1:3: a key must be plain text, not a list or mapping\n" },
	/* ---- top level --------------------------------------------------------- */
	{ "duplicate key", "arch: x86_64\narch: sv39\nsteps: []\n",
	  "t.yaml:2:1: duplicate key 'arch' (first at line 1)\n" },
	{ "unknown key with a hint", "arch: x86_64\nstep: []\n",
	  "t.yaml:1:1: missing required key 'steps'\n"
	  "t.yaml:2:1: unknown key 'step' (did you mean 'steps'?)\n" },
	{ "unknown key without a hint", "arch: x86_64\ncolour: red\nsteps: []\n",
	  "t.yaml:2:1: unknown key 'colour'\n" },
	{ "missing arch", "steps: []\n", "t.yaml:1:1: missing required key 'arch'\n" },
	{ "empty steps", "arch: x86_64\nsteps:\n", "t.yaml:2:7: steps: the list of steps is empty\n" },
	{ "steps not a list", "arch: x86_64\nsteps: {map: 1}\n",
	  "t.yaml:2:8: steps: expected a list of steps ('- map: {...}')\n" },
	{ "va_bits not a number", "arch: x86_64\nva_bits: many\nsteps: []\n",
	  "t.yaml:2:10: va_bits: expected a number (decimal, 0x hex, or with a K/M/G/T suffix), "
	  "got 'many'\n" },
	{ "pa_bits above 64", "arch: x86_64\npa_bits: 65\nsteps: []\n",
	  "t.yaml:2:10: pa_bits: 65 is out of range (at most 64)\n" },
	{ "name a list", "name: [a]\narch: x86_64\nsteps: []\n",
	  "t.yaml:1:7: name: expected text, got a list\n" },
	{ "kernel unknown option", "arch: x86_64\nkernel: {smp: yes, numa: true}\nsteps: []\n",
	  "t.yaml:2:20: kernel: unknown key 'numa'\n" },
	{ "kernel option not a bool", "arch: x86_64\nkernel: {mcs: maybe}\nsteps: []\n",
	  "t.yaml:2:15: kernel.mcs: expected true or false, got 'maybe'\n" },
	{ "vspace slot with a space", "arch: x86_64\nvspace: my root\nsteps: []\n",
	  "t.yaml:2:9: vspace: slot name 'my root' contains white space\n" },
	/* ---- cpu ----------------------------------------------------------------- */
	{ "cpu flag not a bool", "arch: x86_64\ncpu: {smep: 2}\nsteps: []\n",
	  "t.yaml:2:13: cpu.smep: expected true or false, got '2'\n" },
	{ "cpu list item not a name", "arch: x86_64\ncpu: [[smep]]\nsteps: []\n",
	  "t.yaml:2:7: cpu: expected a CPU flag name, got a list or mapping\n" },
	{ "cpu flag twice", "arch: x86_64\ncpu: [smep, no-smep]\nsteps: []\n",
	  "t.yaml:2:13: cpu: flag 'smep' given twice\n" },
	{ "cpu nothing", "arch: x86_64\ncpu:\nsteps: []\n",
	  "t.yaml:2:5: cpu: expected CPU flags as a mapping {name: true|false} or a list of "
	  "names\n" },
	/* ---- untyped ------------------------------------------------------------- */
	{ "untyped without pa", "arch: x86_64\nuntyped: {size_bits: 20}\nsteps: []\n",
	  "t.yaml:2:10: untyped: missing required key 'pa'\n" },
	{ "untyped size and size_bits",
	  "arch: x86_64\nuntyped: {pa: 0, size: 1M, size_bits: 20}\nsteps: []\n",
	  "t.yaml:2:10: untyped: give exactly one of 'size' and 'size_bits'\n" },
	{ "untyped size not a power of two", "arch: x86_64\nuntyped: {pa: 0, size: 3000}\nsteps: []\n",
	  "t.yaml:2:24: untyped.size: 3000 is not a power of two\n" },
	{ "two untypeds without slots",
	  "arch: x86_64\nuntyped:\n  - {pa: 0, size: 1M}\n  - {pa: 1M, size: 1M}\nsteps: []\n",
	  "t.yaml:3:5: untyped: 'slot' is required when there is more than one untyped region\n"
	  "t.yaml:4:5: untyped: 'slot' is required when there is more than one untyped region\n" },
	{ "untyped device not a bool", "arch: x86_64\nuntyped: {pa: 0, size: 1M, device: 1}\nsteps: []\n",
	  "t.yaml:2:36: untyped.device: expected true or false, got '1'\n" },
	/* ---- objects --------------------------------------------------------------- */
	{ "objects a list", "arch: x86_64\nobjects: [f]\nsteps: []\n",
	  "t.yaml:2:10: objects: expected a mapping of slot names to object types "
	  "(e.g. 'frame: frame_4k')\n" },
	{ "object without a type", "arch: x86_64\nobjects:\n  f:\nsteps: []\n",
	  "t.yaml:3:3: objects.f: missing object type\n" },
	{ "object type a list", "arch: x86_64\nobjects:\n  f: [frame]\nsteps: []\n",
	  "t.yaml:3:6: objects.f: expected an object type or a mapping with 'type'\n" },
	{ "object mapping without type", "arch: x86_64\nobjects:\n  u: {size_bits: 12}\nsteps: []\n",
	  "t.yaml:3:3: objects.u: missing required key 'type'\n" },
	{ "object unknown key", "arch: x86_64\nobjects:\n  u: {type: untyped, sizebits: 12}\nsteps: []\n",
	  "t.yaml:3:22: objects.u: unknown key 'sizebits' (did you mean 'size_bits'?)\n" },
	{ "object name with a space", "arch: x86_64\nobjects:\n  \"a b\": frame\nsteps: []\n",
	  "t.yaml:3:3: objects: slot name 'a b' contains white space\n" },
	{ "object size_bits too big",
	  "arch: x86_64\nobjects:\n  u: {type: untyped, size_bits: 100}\nsteps: []\n",
	  "t.yaml:3:33: objects.u.size_bits: 100 is out of range (at most 64)\n" },
	/* ---- steps ------------------------------------------------------------------- */
	{ "step not a mapping", HEAD "  - map\n",
	  "t.yaml:4:5: steps: a step is a mapping with one operation, such as "
	  "'- map: {cap: frame, vaddr: 0x1000}'\n" },
	{ "unknown operation", HEAD "  - mapp: {cap: f, vaddr: 1}\n",
	  "t.yaml:4:5: unknown operation 'mapp' (did you mean 'map'?)\n" },
	{ "unknown operation, no hint", HEAD "  - frobnicate: f\n",
	  "t.yaml:4:5: unknown operation 'frobnicate'\n" },
	{ "two operations", HEAD "  - {map: {cap: f, vaddr: 1}, unmap: f}\n",
	  "t.yaml:4:31: a step has one operation; 'unmap' follows 'map' (make it a step of its "
	  "own)\n" },
	{ "no operation", HEAD "  - {note: hello}\n", "t.yaml:4:5: step 1 has no operation\n" },
	{ "arguments a list", HEAD "  - map: [f, 1]\n",
	  "t.yaml:4:10: map: expected a mapping of arguments\n" },
	{ "note not text", HEAD "  - {unmap: f, note: [1]}\n", "t.yaml:4:22: note: expected text\n" },
	{ "expect a list", HEAD "  - unmap: f\n    expect: [1]\n",
	  "t.yaml:5:13: expect: expected a mapping of expectations (or an error name)\n" },
	{ "unknown expect key", HEAD "  - unmap: f\n    expect: {eror: seL4_NoError}\n",
	  "t.yaml:5:14: unmap: expect: unknown key 'eror' (did you mean 'error'?)\n" },
	{ "missing argument", HEAD "  - map: {cap: f}\n",
	  "t.yaml:4:5: map: missing required key 'vaddr'\n" },
	{ "unknown argument", HEAD "  - map: {cap: f, vaddr: 0, rigths: r}\n",
	  "t.yaml:4:29: map: unknown key 'rigths' (did you mean 'rights'?)\n" },
	{ "number not a number", HEAD "  - map: {cap: f, vaddr: hello}\n",
	  "t.yaml:4:26: map.vaddr: expected a number (decimal, 0x hex, or with a K/M/G/T suffix), "
	  "got 'hello'\n" },
	{ "number a list", HEAD "  - map: {cap: f, vaddr: [1]}\n",
	  "t.yaml:4:26: map.vaddr: expected a number, got a list\n" },
	{ "number missing", HEAD "  - map: {cap: f, vaddr: }\n",
	  "t.yaml:4:26: map.vaddr: expected a number, got nothing\n" },
	{ "negative number", HEAD "  - map: {cap: f, vaddr: -1}\n",
	  "t.yaml:4:26: map.vaddr: negative numbers are not allowed ('-1')\n" },
	{ "hex number over 64 bits", HEAD "  - map: {cap: f, vaddr: 0x10000000000000000}\n",
	  "t.yaml:4:26: map.vaddr: number '0x10000000000000000' does not fit in 64 bits\n" },
	{ "decimal number over 64 bits", HEAD "  - map: {cap: f, vaddr: 18446744073709551616}\n",
	  "t.yaml:4:26: map.vaddr: number '18446744073709551616' does not fit in 64 bits\n" },
	{ "suffix over 64 bits", HEAD "  - map: {cap: f, vaddr: 16777216T}\n",
	  "t.yaml:4:26: map.vaddr: number '16777216T' does not fit in 64 bits\n" },
	{ "bad underscore", HEAD "  - map: {cap: f, vaddr: 1__0}\n",
	  "t.yaml:4:26: map.vaddr: expected a number (decimal, 0x hex, or with a K/M/G/T suffix), "
	  "got '1__0'\n" },
	{ "number above its maximum", HEAD "  - retype: {type: untyped, size_bits: 65, dest: u}\n",
	  "t.yaml:4:40: retype.size_bits: 65 is out of range (at most 64)\n" },
	{ "slot name too long",
	  HEAD "  - unmap: a123456789b123456789c123456789d123456789e123456789f123456789g123\n",
	  "t.yaml:4:12: unmap.cap: slot names are at most 63 characters\n" },
	{ "slot name with a space", HEAD "  - unmap: \"a b\"\n",
	  "t.yaml:4:12: unmap.cap: slot name 'a b' contains white space\n" },
	{ "slot name a mapping", HEAD "  - unmap: {cap: {x: 1}}\n",
	  "t.yaml:4:18: unmap.cap: expected a slot name, got a mapping\n" },
	{ "choice unknown", HEAD "  - read: {vaddr: 0, mode: kernel}\n",
	  "t.yaml:4:28: read.mode: unknown value 'kernel' (one of: user, supervisor)\n" },
	{ "choice with a hint", HEAD "  - read: {vaddr: 0, mode: supervisr}\n",
	  "t.yaml:4:28: read.mode: unknown value 'supervisr' (did you mean 'supervisor'?) (one of: "
	  "user, supervisor)\n" },
	{ "choice a list", HEAD "  - translate: {vaddr: 0, access: [read]}\n",
	  "t.yaml:4:35: translate.access: expected read, write, execute, exec, got a list\n" },
	{ "bad rights", HEAD "  - map: {cap: f, vaddr: 0, rights: rwz}\n",
	  "t.yaml:4:37: map.rights: expected rights (letters r, w, x, g such as 'rw', a seL4 name "
	  "such as seL4_ReadWrite, or a number up to 0xf), got 'rwz'\n" },
	{ "rights number too big", HEAD "  - map: {cap: f, vaddr: 0, rights: 16}\n",
	  "t.yaml:4:37: map.rights: expected rights (letters r, w, x, g such as 'rw', a seL4 name "
	  "such as seL4_ReadWrite, or a number up to 0xf), got '16'\n" },
	{ "attribute a mapping", HEAD "  - map: {cap: f, vaddr: 0, attr: {a: 1}}\n",
	  "t.yaml:4:35: map.attr: expected attribute names or a number, got a mapping\n" },
	{ "slot name a list", HEAD "  - assign: {vspace: [x]}\n",
	  "t.yaml:4:22: assign.vspace: expected a slot name, got a list\n" },
	{ "too many list items", HEAD "  - invoke: {label: Page_Map, cap: f, words: [1, 2, 3, 4, 5, 6, 7]}\n",
	  "t.yaml:4:46: invoke.words: at most 6 items\n" },
	{ "list of numbers with text", HEAD "  - invoke: {label: Page_Map, cap: f, words: [1, x]}\n",
	  "t.yaml:4:50: invoke.words: expected a number (decimal, 0x hex, or with a K/M/G/T "
	  "suffix), got 'x'\n" },
	{ "names not a list", HEAD "  - retype: {type: frame, dest: {a: 1}}\n",
	  "t.yaml:4:33: retype.dest: expected a name or a list of names, got a mapping\n" },
	{ "expect fault a list", HEAD "  - read: 0\n    expect: {fault: [1]}\n",
	  "t.yaml:5:21: read: expect.fault: expected a mapping, got a list\n" },
	{ "expect created item a list", HEAD "  - map_helper: {cap: f, vaddr: 0}\n    expect: {created: [[1]]}\n",
	  "t.yaml:5:24: map_helper: expect.created: expected a mapping, got a list\n" },
	{ "expect fault unknown key", HEAD "  - read: 0\n    expect: {fault: {statsu: 1}}\n",
	  "t.yaml:5:22: read: expect.fault: unknown key 'statsu' (did you mean 'status'?)\n" },
	{ "expect lookup unknown", HEAD "  - unmap: f\n    expect: {lookup: wrong}\n",
	  "t.yaml:5:22: unmap: expect.lookup: unknown value 'wrong' (one of: invalid_root, "
	  "missing_capability)\n" },
	/* ---- several at once: all are reported, in file order ---------------- */
	{ "several errors", HEAD "  - map: {cap: f, vaddr: x}\n  - mapp: f\n  - read: {vaddr: -4}\n",
	  "t.yaml:4:26: map.vaddr: expected a number (decimal, 0x hex, or with a K/M/G/T suffix), "
	  "got 'x'\n"
	  "t.yaml:5:5: unknown operation 'mapp' (did you mean 'map'?)\n"
	  "t.yaml:6:19: read.vaddr: negative numbers are not allowed ('-4')\n" },
	{ "duplicate and schema errors together", HEAD "  - map: {cap: f, vaddr: 1, vaddr: 2}\n  - map: {cap: f}\n",
	  "t.yaml:4:29: duplicate key 'vaddr' (first at line 4)\n"
	  "t.yaml:5:5: map: missing required key 'vaddr'\n" },
};
#define N_CASES (sizeof(cases) / sizeof(cases[0]))

static void test_error_case(void **state)
{
	/* The file does not load and the diagnostics are exactly these. */
	const struct err_case *c = *state;
	char *got = load_diags(c->yaml, strlen(c->yaml), NULL);

	if (!got)
		fail_msg("%s: loaded without errors", c->name);
	if (strcmp(got, c->want) != 0)
		fail_msg("%s:\n expected: %s got:      %s", c->name, c->want, got);
	free(got);
}

static void test_too_many_diagnostics(void **state)
{
	/* 40 bad steps: 32 are kept, the rest counted ("8 more errors"). */
	char yaml[4096];
	size_t off = (size_t)snprintf(yaml, sizeof(yaml), "%s", HEAD);
	char *got;

	(void)state;
	for (int i = 0; i < 40; i++)
		off += (size_t)snprintf(yaml + off, sizeof(yaml) - off, "  - unmapp: f\n");
	got = load_diags(yaml, off, NULL);
	assert_non_null(got);
	assert_non_null(strstr(got, "t.yaml:4:5: unknown operation 'unmapp' (did you mean 'unmap'?)\n"));
	assert_non_null(strstr(got, "t.yaml:35:5: unknown operation"));
	assert_null(strstr(got, "t.yaml:36:5:"));
	assert_non_null(strstr(got, "t.yaml: 8 more errors not shown\n"));
	free(got);
}

static void test_file_errors(void **state)
{
	/* A missing file and a directory are reported without a position. */
	struct pgsim_scn_diags d;
	struct pgsim_scn *s;

	(void)state;
	assert_int_equal(pgsim_engine_load("/nonexistent/x.yaml", &s, &d), -2 /* ENOENT */);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.d[0].mark.line, 0);
	assert_string_equal(d.d[0].msg, "cannot open: No such file or directory");
	assert_int_equal(pgsim_engine_load("/", &s, &d), -21 /* EISDIR */);
	assert_string_equal(d.d[0].msg, "is a directory");
}

/* ---- scalars ------------------------------------------------------------------ */

static void test_numbers(void **state)
{
	/* Decimal, hex, '_' between digits, K/M/G/T = 2^10/20/30/40. */
	static const struct { const char *s; bool ok; uint64_t v; } t[] = {
		{ "0", true, 0 }, { "4096", true, 4096 }, { "0x1000", true, 0x1000 },
		{ "0XaBc", true, 0xabc }, { "4K", true, 4096 }, { "2M", true, 2u << 20 },
		{ "1G", true, 1u << 30 }, { "3t", true, 3ull << 40 }, { "0x10k", true, 0x4000 },
		{ "1_000", true, 1000 }, { "0xffff_ffff", true, 0xffffffff },
		{ "18446744073709551615", true, UINT64_MAX },
		{ "0xffffffffffffffff", true, UINT64_MAX },
		{ "16777215T", true, 16777215ull << 40 },
		{ "", false, 0 }, { "0x", false, 0 }, { "_1", false, 0 }, { "1_", false, 0 },
		{ "1__0", false, 0 }, { "0x_1", false, 0 }, { "12abc", false, 0 },
		{ "4KB", false, 0 }, { "-1", false, 0 }, { "1.5", false, 0 }, { " 1", false, 0 },
		{ "18446744073709551616", false, 0 }, { "0x10000000000000000", false, 0 },
		{ "16777216T", false, 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		uint64_t v = 12345;
		bool ok = pgsim_scn_parse_num(t[i].s, &v);

		if (ok != t[i].ok)
			fail_msg("'%s': %s", t[i].s, ok ? "accepted" : "refused");
		if (ok && v != t[i].v)
			fail_msg("'%s' = %llu, expected %llu", t[i].s, (unsigned long long)v,
				 (unsigned long long)t[i].v);
	}
}

static void test_rights(void **state)
{
	/* seL4_CapRights_t: write bit 0, read bit 1, grant bit 2, grant-reply
	 * bit 3 (spec 1.3); 'x' is accepted and adds nothing. */
	static const struct { const char *s; bool ok; uint64_t v; } t[] = {
		{ "r", true, 2 }, { "w", true, 1 }, { "rw", true, 3 }, { "wr", true, 3 },
		{ "rx", true, 2 }, { "rwx", true, 3 }, { "x", true, 0 }, { "r-x", true, 2 },
		{ "-w-", true, 1 }, { "g", true, 4 }, { "rwg", true, 7 },
		{ "seL4_AllRights", true, 0xf }, { "all", true, 0xf }, { "seL4_ReadWrite", true, 3 },
		{ "seL4_CanRead", true, 2 }, { "seL4_CanWrite", true, 1 },
		{ "seL4_CanGrant", true, 4 }, { "seL4_CanGrantReply", true, 8 },
		{ "seL4_NoRights", true, 0 }, { "none", true, 0 }, { "sel4_readwrite", true, 3 },
		{ "0", true, 0 }, { "0xf", true, 0xf }, { "3", true, 3 },
		{ "", false, 0 }, { "rr", false, 0 }, { "xx", false, 0 }, { "rwz", false, 0 },
		{ "R", false, 0 }, { "0x10", false, 0 }, { "16", false, 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		uint64_t v = 99;
		bool ok = pgsim_scn_parse_rights(t[i].s, &v);

		if (ok != t[i].ok)
			fail_msg("'%s': %s", t[i].s, ok ? "accepted" : "refused");
		if (ok && v != t[i].v)
			fail_msg("'%s' = %llu, expected %llu", t[i].s, (unsigned long long)v,
				 (unsigned long long)t[i].v);
	}
}

static void test_suggest(void **state)
{
	/* The closest candidate within a third of the word's length (at least
	 * one edit, at most three); case does not count. */
	static const char *const c[] = { "vaddr", "vspace", "rights", "attr", "cap" };

	(void)state;
	assert_string_equal(pgsim_scn_suggest("vadr", c, 5), "vaddr");
	assert_string_equal(pgsim_scn_suggest("rigths", c, 5), "rights");
	assert_string_equal(pgsim_scn_suggest("VSPACE", c, 5), "vspace");
	assert_string_equal(pgsim_scn_suggest("cp", c, 5), "cap");
	assert_null(pgsim_scn_suggest("colour", c, 5));
	assert_null(pgsim_scn_suggest("x", c, 0));
}

/* ---- what a valid file becomes ----------------------------------------------- */

static void test_valid_scenario(void **state)
{
	/* Top-level fields, objects in file order, untyped sizes, the cpu
	 * list form, step positions, and the shorthand forms expanded. */
	static const char yaml[] =
		"name: demo\n"                                           /* 1 */
		"arch: sv39\n"                                           /* 2 */
		"cpu: [sum, no-svade]\n"                                 /* 3 */
		"untyped:\n"                                             /* 4 */
		"  - {slot: ram, pa: 0x80000000, size: 16M}\n"           /* 5 */
		"  - {slot: dev, pa: 0x10000000, size_bits: 12, device: true}\n" /* 6 */
		"vspace: root\n"                                         /* 7 */
		"objects:\n"                                             /* 8 */
		"  root: vspace\n"                                       /* 9 */
		"  frame: {type: frame, from: ram}\n"                    /* 10 */
		"steps:\n"                                               /* 11 */
		"  - assign: root\n"                                     /* 12 */
		"  - delete: frame\n"                                    /* 13 */
		"    expect: seL4_NoError\n"                             /* 14 */
		"    note: bye\n"                                        /* 15 */
		"  - read: {vaddr: 4K, size: 4}\n";                      /* 16 */
	struct pgsim_scn *s = NULL;
	const struct pgsim_scn_node *n;

	(void)state;
	assert_null(load_diags(yaml, sizeof(yaml) - 1, &s));
	assert_string_equal(s->name, "demo");
	assert_string_equal(s->arch, "sv39");
	assert_int_equal(s->arch_mark.line, 2);
	assert_int_equal(s->arch_mark.col, 7);
	assert_string_equal(s->vspace, "root");
	assert_int_equal(s->cpu->kind, PGSIM_SCN_MAP);
	assert_int_equal(s->cpu->n, 2);
	assert_string_equal(s->cpu->keys[0], "sum");
	assert_true(s->cpu->items[0].b);
	assert_string_equal(s->cpu->keys[1], "svade");
	assert_false(s->cpu->items[1].b);
	assert_int_equal(s->n_untyped, 2);
	assert_string_equal(s->untyped[0].slot, "ram");
	assert_int_equal(s->untyped[0].pa, 0x80000000);
	assert_int_equal(s->untyped[0].size_bits, 24);
	assert_int_equal(s->untyped[1].size_bits, 12);
	assert_true(s->untyped[1].device);
	assert_int_equal(s->n_objects, 2);
	assert_string_equal(s->objects[0].name, "root");
	assert_string_equal(s->objects[0].type, "vspace");
	assert_string_equal(s->objects[1].type, "frame");
	assert_string_equal(s->objects[1].from, "ram");
	assert_int_equal(s->objects[1].from_mark.line, 10);
	assert_int_equal(s->n_steps, 3);
	assert_string_equal(s->steps[0].op->name, "assign");
	assert_int_equal(s->steps[0].mark.line, 12);
	assert_int_equal(s->steps[0].mark.col, 5);
	n = pgsim_scn_get(s->steps[0].args, "vspace");   /* shorthand */
	assert_non_null(n);
	assert_string_equal(n->text, "root");
	assert_null(s->steps[0].expect);
	n = pgsim_scn_get(s->steps[1].expect, "error");  /* expect shorthand */
	assert_non_null(n);
	assert_string_equal(n->text, "seL4_NoError");
	assert_string_equal(s->steps[1].note, "bye");
	assert_int_equal(s->steps[1].index, 2);
	n = pgsim_scn_get(s->steps[2].args, "vaddr");
	assert_int_equal(n->kind, PGSIM_SCN_NUM);
	assert_int_equal(n->num, 4096);
	assert_int_equal(n->mark.line, 16);
	assert_int_equal(n->mark.col, 19);
	pgsim_scn_free(s);
}

static void test_default_name(void **state)
{
	/* Without `name:` the scenario is named after its file. */
	struct pgsim_scn_diags d;
	struct pgsim_scn *s;
	static const char yaml[] = "arch: ia32\nsteps: []\n";

	(void)state;
	pgsim_scn_diags_init(&d, "dir/x.yaml");
	assert_int_equal(pgsim_scn_load_buf("dir/x.yaml", yaml, sizeof(yaml) - 1,
					    pgsim_engine_schema(), &s, &d), 0);
	assert_string_equal(s->name, "x.yaml");
	assert_string_equal(s->file, "dir/x.yaml");
	assert_int_equal(s->n_steps, 0);
	pgsim_scn_free(s);
}

int main(void)
{
	struct CMUnitTest tests[N_CASES + 7];
	size_t n = 0;

	for (size_t i = 0; i < N_CASES; i++) {
		tests[n] = (struct CMUnitTest)cmocka_unit_test_prestate(test_error_case,
									(void *)&cases[i]);
		tests[n].name = cases[i].name;
		n++;
	}
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_too_many_diagnostics);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_file_errors);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_numbers);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_rights);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_suggest);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_valid_scenario);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_default_name);
	return _cmocka_run_group_tests("scenario loader", tests, n, NULL, NULL);
}
