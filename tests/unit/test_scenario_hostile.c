/* CMocka tests: hostile scenario files never crash or hang the loader or
 * the engine.  Deep nesting, huge counts, alias bombs, binary junk, huge
 * numbers and seeded random mutations of a valid scenario; each input
 * must end in a clean load or in diagnostics (-EINVAL), with bounded time.
 * (Run under -Db_sanitize=address,undefined to catch memory errors.)
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "pgsim/engine.h"

/* Load, and if that works prepare and run; returns the load/prepare rc. */
static int feed(const char *buf, size_t len, struct pgsim_scn_diags *d)
{
	struct pgsim_scn *s = NULL;
	struct pgsim_engine *e = NULL;
	struct pgsim_run *r = NULL;
	struct pgsim_engine_opts o = { .keep_going = true };
	int rc;

	pgsim_scn_diags_init(d, "h.yaml");
	rc = pgsim_scn_load_buf("h.yaml", buf, len, pgsim_engine_schema(), &s, d);
	if (rc == 0) {
		rc = pgsim_engine_prepare(s, d, &e);
		if (rc == 0) {
			assert_int_equal(pgsim_engine_run(e, &o, &r), 0);
			pgsim_run_free(r);
			pgsim_engine_free(e);
		}
		pgsim_scn_free(s);
	}
	if (rc)
		assert_true(d->n > 0 || d->dropped > 0);
	return rc;
}

static char *repeat(const char *head, const char *unit, size_t n, const char *tail, size_t *len)
{
	size_t hl = strlen(head), ul = strlen(unit), tl = strlen(tail);
	char *b = malloc(hl + ul * n + tl + 1);

	assert_non_null(b);
	memcpy(b, head, hl);
	for (size_t i = 0; i < n; i++)
		memcpy(b + hl + i * ul, unit, ul);
	memcpy(b + hl + ul * n, tail, tl + 1);
	*len = hl + ul * n + tl;
	return b;
}

static void test_deep_flow_nesting(void **state)
{
	/* 100000 '[' without a single ']': refused at depth 65, at once. */
	struct pgsim_scn_diags d;
	size_t len;
	char *b = repeat("arch: x86_64\nsteps: ", "[", 100000, "", &len);

	(void)state;
	assert_int_equal(feed(b, len, &d), -22);
	assert_string_equal(d.d[0].msg, "nested more than 64 levels deep");
	assert_int_equal(d.d[0].mark.line, 2);
	assert_int_equal(d.d[0].mark.col, 8 + 64);
	free(b);
}

static void test_deep_block_nesting(void **state)
{
	/* 200 levels of block mappings "a:\n  a:\n    a: ..." */
	struct pgsim_scn_diags d;
	char *b = malloc(200 * 205 + 64);
	size_t off = 0;

	(void)state;
	assert_non_null(b);
	off += (size_t)sprintf(b, "arch: x86_64\nsteps:\n");
	for (int i = 0; i < 200; i++)
		off += (size_t)sprintf(b + off, "%*sa:\n", 2 * (i + 1), "");
	assert_int_equal(feed(b, off, &d), -22);
	assert_string_equal(d.d[0].msg, "nested more than 64 levels deep");
	free(b);
}

static void test_alias_bomb(void **state)
{
	/* The "billion laughs": every alias is refused, nothing expands. */
	static const char b[] =
		"a: &a [x, x, x, x, x, x, x, x, x]\n"
		"b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
		"c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
		"d: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n";
	struct pgsim_scn_diags d;

	(void)state;
	assert_int_equal(feed(b, sizeof(b) - 1, &d), -22);
	assert_string_equal(d.d[0].msg, "aliases (*name) are not supported");
	assert_int_equal(d.d[0].mark.line, 2);
	assert_int_equal(d.d[0].mark.col, 8);
}

static void test_too_many_values(void **state)
{
	/* A flow list of 1000001 items: node 1000001 is refused.  Nodes are
	 * counted root map 1, "x86_64" 2, the list 3, item i (0-based) 4 + i,
	 * so item 999997 fails; items are "0," from column 9. */
	struct pgsim_scn_diags d;
	size_t len;
	char *b = repeat("arch: x86_64\nsteps: [", "0,", 1000000, "0]\n", &len);

	(void)state;
	assert_int_equal(feed(b, len, &d), -22);
	assert_string_equal(d.d[0].msg, "too many values (more than a million)");
	assert_int_equal(d.d[0].mark.line, 2);
	assert_int_equal(d.d[0].mark.col, 9 + 2 * 999997);
	free(b);
}

static void test_many_keys(void **state)
{
	/* 200000 distinct keys and one duplicate at the end: the duplicate is
	 * found (key lookup is hashed, so this takes well under a second). */
	struct pgsim_scn_diags d;
	char *b = malloc(200000 * 24 + 64);
	size_t off = 0;
	clock_t t0 = clock();

	(void)state;
	assert_non_null(b);
	off += (size_t)sprintf(b, "arch: x86_64\nsteps: []\nobjects:\n");
	for (int i = 0; i < 200000; i++)
		off += (size_t)sprintf(b + off, "  k%d: frame\n", i);
	off += (size_t)sprintf(b + off, "  k7: frame\n");
	assert_int_equal(feed(b, off, &d), -22);
	assert_string_equal(d.d[0].msg, "duplicate key 'k7' (first at line 11)");
	assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 20.0);
	free(b);
}

static void test_huge_inputs(void **state)
{
	/* More than 16 MiB is refused before parsing; a 1 MiB name is fine;
	 * a number with 10000 digits is "does not fit in 64 bits". */
	struct pgsim_scn_diags d;
	size_t len;
	char *big = malloc((16u << 20) + 2);
	char *name, *num;

	(void)state;
	assert_non_null(big);
	memset(big, ' ', (16u << 20) + 1);
	assert_int_equal(feed(big, (16u << 20) + 1, &d), -22);
	assert_string_equal(d.d[0].msg, "file too large (more than 16 MiB)");
	free(big);
	name = repeat("arch: x86_64\nname: ", "n", 1u << 20, "\nsteps: []\n", &len);
	assert_int_equal(feed(name, len, &d), 0);
	free(name);
	num = repeat("arch: x86_64\nobjects: {f: frame}\nsteps:\n  - map: {cap: f, vaddr: ", "9",
		     10000, "}\n", &len);
	assert_int_equal(feed(num, len, &d), -22);
	assert_non_null(strstr(d.d[0].msg, "does not fit in 64 bits"));
	free(num);
}

static void test_many_steps(void **state)
{
	/* 20000 steps with 20000 distinct slot names: prepare's name table
	 * stays fast, and everything runs. */
	struct pgsim_scn_diags d;
	char *b = malloc(20000 * 48 + 128);
	size_t off = 0;

	(void)state;
	assert_non_null(b);
	off += (size_t)sprintf(b, "arch: aarch64\nobjects: {f: frame}\nsteps:\n");
	for (int i = 0; i < 20000; i++)
		off += (size_t)sprintf(b + off, "  - copy: {src: f, dest: c%d}\n", i);
	assert_int_equal(feed(b, off, &d), 0);
	free(b);
}

/* xorshift64*: seeded, so every run tests the same inputs. */
static uint64_t rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545F4914F6CDD1Dull;
}

static void test_binary_junk(void **state)
{
	/* 3000 random byte strings (0..600 bytes): diagnostics, no crash. */
	uint64_t seed = 0x5eed0001;
	char buf[600];

	(void)state;
	for (int i = 0; i < 3000; i++) {
		struct pgsim_scn_diags d;
		size_t len = (size_t)(rnd(&seed) % sizeof(buf));

		for (size_t j = 0; j < len; j++)
			buf[j] = (char)rnd(&seed);
		assert_int_not_equal(feed(buf, len, &d), 0);
	}
}

static void test_mutations(void **state)
{
	/* 4000 seeded mutations (byte flips, insertions of YAML punctuation,
	 * truncations) of a valid multi-arch-feature scenario.  Each either
	 * loads and runs, or is refused with diagnostics; at least some of
	 * each happen. */
	static const char base[] =
		"name: mutant\n"
		"arch: x86_64\n"
		"cpu: {smep: true, wp: false}\n"
		"kernel: {smp: true}\n"
		"untyped:\n"
		"  - {slot: untyped, pa: 0x40000000, size_bits: 28}\n"
		"  - {slot: dev, pa: 0x80000000, size: 4K, device: true}\n"
		"objects:\n"
		"  pdpt: pdpt\n"
		"  pd: page_directory\n"
		"  pt: page_table\n"
		"  frame: frame\n"
		"  u4k: {type: untyped, size_bits: 12}\n"
		"steps:\n"
		"  - map: {cap: pdpt, vaddr: 0xa000000000}\n"
		"  - map: {cap: pd, vaddr: 0xa000000000}\n"
		"  - map: {cap: pt, vaddr: 0xa000000000}\n"
		"  - map: {cap: frame, vaddr: 0xa000000000, rights: r, attr: write_through}\n"
		"  - read: {vaddr: 0xa000000ff8, size: 8}\n"
		"    expect: {value: 0}\n"
		"  - write: {vaddr: 0xa000000ffc, value: 5, size: 8}\n"
		"    expect: {fault: {status: 0x7, kind: permission}}\n"
		"  - translate: {vaddr: 0xa000000000, access: write, mode: supervisor}\n"
		"  - copy: {src: frame, dest: f2, rights: rw}\n"
		"  - map_helper: {cap: f2, vaddr: 0x10000000}\n"
		"    expect: {created: [pdpt, page_directory, page_table]}\n"
		"  - make_pool: {untyped: u4k, dest: pool}\n"
		"    expect: {value: 512}\n"
		"  - invoke: {label: Page_GetAddress, cap: frame}\n"
		"  - print: {what: ranges, from: 0, to: 0x7fffffffffff}\n"
		"  - print: caps\n"
		"  - unmap: pt\n"
		"  - revoke: frame\n"
		"  - delete: frame\n";
	static const char punct[] = "{}[]:,-#&*!|>'\"\n \t?%@`0x";
	uint64_t seed = 0x5eed0002;
	char buf[sizeof(base) + 64];
	int loaded = 0, refused = 0;

	(void)state;
	for (int i = 0; i < 4000; i++) {
		struct pgsim_scn_diags d;
		size_t len = sizeof(base) - 1;
		int edits = 1 + (int)(rnd(&seed) % 4);

		memcpy(buf, base, len);
		for (int k = 0; k < edits; k++) {
			size_t at = (size_t)(rnd(&seed) % len);

			switch (rnd(&seed) % 4) {
			case 0:
				buf[at] = (char)rnd(&seed);
				break;
			case 1:
				buf[at] = punct[rnd(&seed) % (sizeof(punct) - 1)];
				break;
			case 2:
				if (len < sizeof(buf) - 1) {
					memmove(buf + at + 1, buf + at, len - at);
					buf[at] = punct[rnd(&seed) % (sizeof(punct) - 1)];
					len++;
				}
				break;
			default:
				len = at;
				break;
			}
			if (len == 0)
				break;
		}
		if (feed(buf, len, &d) == 0)
			loaded++;
		else
			refused++;
	}
	assert_true(loaded > 0);
	assert_true(refused > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_deep_flow_nesting),
		cmocka_unit_test(test_deep_block_nesting),
		cmocka_unit_test(test_alias_bomb),
		cmocka_unit_test(test_too_many_values),
		cmocka_unit_test(test_many_keys),
		cmocka_unit_test(test_huge_inputs),
		cmocka_unit_test(test_many_steps),
		cmocka_unit_test(test_binary_junk),
		cmocka_unit_test(test_mutations),
	};

	return cmocka_run_group_tests_name("scenario hostile input", tests, NULL, NULL);
}
