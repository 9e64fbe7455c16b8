/* Range walks: VA order, merging of contiguous runs, clipping, canonical
 * upper-half addresses, anomalies (reserved entries, tables outside RAM,
 * cycles) and the visit budget that keeps hostile tables bounded. */
#include <errno.h>
#include <string.h>

#include "tutil.h"

#define MAXR 32
struct collect {
	unsigned n, na, ne;
	struct pgsim_range r[MAXR];
	struct pgsim_anomaly a[MAXR];
	int stop_after;     /* return 1 after this many ranges (0 = never) */
	struct { int depth; unsigned index; int level; } e[MAXR];
};

static int on_range(void *ctx, const struct pgsim_range *r)
{
	struct collect *c = ctx;
	assert_true(c->n < MAXR);
	c->r[c->n++] = *r;
	return c->stop_after && (int)c->n >= c->stop_after ? 1 : 0;
}

static int on_anomaly(void *ctx, const struct pgsim_anomaly *a)
{
	struct collect *c = ctx;
	assert_true(c->na < MAXR);
	c->a[c->na++] = *a;
	return 0;
}

static int on_entry(void *ctx, int depth, unsigned index, int level, pgsim_pa_t epa,
		    uint64_t value, enum pgsim_entry_kind kind, pgsim_va_t va)
{
	struct collect *c = ctx;
	if (c->ne < MAXR) {
		c->e[c->ne].depth = depth;
		c->e[c->ne].index = index;
		c->e[c->ne].level = level;
	}
	c->ne++;
	return 0;
}

static int run(const struct pgsim_cfg *cfg, struct pgsim_mem *m, pgsim_pa_t root,
	       pgsim_va_t va, pgsim_va_t last, bool merge, uint64_t budget, struct collect *c,
	       bool entries)
{
	struct pgsim_range_opts o = { .va = va, .last = last, .merge = merge, .max_visits = budget };
	struct pgsim_range_cb cb = { .range = on_range, .anomaly = on_anomaly,
				     .entry = entries ? on_entry : NULL, .ctx = c };
	return pgsim_walk_range(cfg, m, root, &o, &cb);
}

/* x86_64 tables, hand-encoded (0x..007 = P RW US, 0x..005 = P US, 0x87 =
 * P RW US PS):
 *   PML4 0x1000 [0] -> PDPT 0x2000 [0] -> PD 0x3000 [0] -> PT 0x4000
 *     PT[0..2] -> frames 0x10000, 0x11000, 0x12000 (RW, contiguous)
 *     PT[3] -> 0x20000 (RW), PT[4] -> 0x21000 (read-only)
 *     PD[1] = 2 MiB page at 0x200000 (VA 0x200000..0x3fffff)
 *   PML4[511] -> PDPT 0x5000, PDPT[511] = 1 GiB page at 0x40000000
 *     (VA 0xffffffffc0000000..0xffffffffffffffff). */
static struct pgsim_mem *x64(void)
{
	struct pgsim_mem *m = pgsim_mem_new();
	tu_put(m, 0x1000, 8, 0x2007);
	tu_put(m, 0x2000, 8, 0x3007);
	tu_put(m, 0x3000, 8, 0x4007);
	tu_put(m, 0x4000, 8, 0x10007);
	tu_put(m, 0x4008, 8, 0x11007);
	tu_put(m, 0x4010, 8, 0x12007);
	tu_put(m, 0x4018, 8, 0x20007);
	tu_put(m, 0x4020, 8, 0x21005);
	tu_put(m, 0x3008, 8, 0x200087);
	tu_put(m, 0x1000 + 511 * 8, 8, 0x5007);
	tu_put(m, 0x5000 + 511 * 8, 8, 0x40000087);
	return m;
}

static void test_merge_and_order(void **state)
{
	(void)state;
	struct pgsim_cfg cfg = tu_cfg("x86_64");
	struct pgsim_mem *m = x64();
	struct collect c = { 0 };
	assert_int_equal(run(&cfg, m, 0x1000, 0, ~0ull, true, 0, &c, false), 0);
	assert_int_equal(c.na, 0);
	assert_int_equal(c.n, 5);
	assert_int_equal(c.r[0].va, 0x0);
	assert_int_equal(c.r[0].last, 0x2fff);
	assert_int_equal(c.r[0].pa, 0x10000);
	assert_int_equal(c.r[0].pages, 3);
	/* PA jumps to 0x20000: a new run. */
	assert_int_equal(c.r[1].va, 0x3000);
	assert_int_equal(c.r[1].pa, 0x20000);
	/* PA is contiguous but the permissions differ. */
	assert_int_equal(c.r[2].va, 0x4000);
	assert_int_equal(c.r[2].last, 0x4fff);
	assert_int_equal(c.r[2].perms & PGSIM_P_UW, 0);
	assert_int_equal(c.r[3].va, 0x200000);
	assert_int_equal(c.r[3].last, 0x3fffff);
	assert_int_equal(c.r[3].page_lg2, 21);
	assert_int_equal(c.r[3].level, 1);
	/* The upper half comes out in canonical form, last. */
	assert_int_equal(c.r[4].va, 0xffffffffc0000000ull);
	assert_int_equal(c.r[4].last, ~0ull);
	assert_int_equal(c.r[4].pa, 0x40000000);
	assert_int_equal(c.r[4].level, 2);
	pgsim_mem_free(m);
}

static void test_no_merge_and_clip(void **state)
{
	(void)state;
	struct pgsim_cfg cfg = tu_cfg("x86_64");
	struct pgsim_mem *m = x64();
	struct collect c = { 0 };
	assert_int_equal(run(&cfg, m, 0x1000, 0, 0xffffffull, false, 0, &c, false), 0);
	assert_int_equal(c.n, 6); /* 5 pages + the 2 MiB page, upper half outside */
	memset(&c, 0, sizeof c);
	/* Clip to one page in the middle of the first run, and to the middle
	 * of the 2 MiB page. */
	assert_int_equal(run(&cfg, m, 0x1000, 0x1000, 0x1fff, true, 0, &c, false), 0);
	assert_int_equal(c.n, 1);
	assert_int_equal(c.r[0].pa, 0x11000);
	memset(&c, 0, sizeof c);
	assert_int_equal(run(&cfg, m, 0x1000, 0x300000, 0x300fff, true, 0, &c, false), 0);
	assert_int_equal(c.n, 1);
	assert_int_equal(c.r[0].va, 0x300000);
	assert_int_equal(c.r[0].pa, 0x300000);
	assert_int_equal(pgsim_walk_range(&cfg, m, 0x1000,
		&(struct pgsim_range_opts){ .va = 2, .last = 1 },
		&(struct pgsim_range_cb){ 0 }), -EINVAL);
	pgsim_mem_free(m);
}

/* A callback's positive return stops the walk and is passed back. */
static void test_stop(void **state)
{
	(void)state;
	struct pgsim_cfg cfg = tu_cfg("x86_64");
	struct pgsim_mem *m = x64();
	struct collect c = { .stop_after = 2 };
	assert_int_equal(run(&cfg, m, 0x1000, 0, ~0ull, true, 0, &c, false), 1);
	assert_int_equal(c.n, 2);
	pgsim_mem_free(m);
}

/* Entries arrive depth first with their depth and index: PML4[0],
 * PDPT[0], PD[0], PT[0..4], PD[1], PML4[511], PDPT[511]. */
static void test_entry_order(void **state)
{
	(void)state;
	struct pgsim_cfg cfg = tu_cfg("x86_64");
	struct pgsim_mem *m = x64();
	struct collect c = { 0 };
	assert_int_equal(run(&cfg, m, 0x1000, 0, ~0ull, true, 0, &c, true), 0);
	static const int depth[] = { 1, 2, 3, 4, 4, 4, 4, 4, 3, 1, 2 };
	static const unsigned index[] = { 0, 0, 0, 0, 1, 2, 3, 4, 1, 511, 511 };
	assert_int_equal(c.ne, 11);
	for (unsigned i = 0; i < 11; i++) {
		assert_int_equal(c.e[i].depth, depth[i]);
		assert_int_equal(c.e[i].index, index[i]);
	}
	pgsim_mem_free(m);
}

/* A reserved entry and a table outside RAM are reported, not dropped, and
 * the walk goes on past them. */
static void test_anomalies(void **state)
{
	(void)state;
	struct pgsim_cfg cfg = tu_cfg("x86_64");
	struct pgsim_mem *m = x64();
	tu_put(m, 0x4028, 8, (1ull << 51) | 0x22007); /* PT[5]: bit 51 reserved */
	tu_put(m, 0x3010, 8, 0x900000007ull);          /* PD[2] -> PT outside RAM */
	pgsim_mem_add_ram(m, 0, 0xfffff);
	struct collect c = { 0 };
	assert_int_equal(run(&cfg, m, 0x1000, 0, 0x7fffffffffffull, true, 0, &c, false), 0);
	assert_int_equal(c.na, 2);
	assert_int_equal(c.a[0].kind, PGSIM_ANOMALY_RESERVED);
	assert_int_equal(c.a[0].va, 0x5000);
	assert_int_equal(c.a[0].entry_pa, 0x4028);
	assert_int_equal(c.a[1].kind, PGSIM_ANOMALY_BUS);
	assert_int_equal(c.a[1].va, 0x400000);
	assert_int_equal(c.a[1].target, 0x900000000ull);
	/* The 2 MiB page at 0x200000 was still found between them. */
	bool found = false;
	for (unsigned i = 0; i < c.n; i++)
		found |= c.r[i].va == 0x200000;
	assert_true(found);
	pgsim_mem_free(m);
}

/* For every architecture: a root entry pointing back at the root is a
 * cycle, reported once and not descended; a second-level table pointing
 * at the root likewise.  Tables are built with the arch's encode(). */
static void test_cycles_every_arch(void **state)
{
	(void)state;
	static const char *const names[] = { "ia32", "x86_64", "aarch64", "sv39" };
	for (unsigned i = 0; i < 4; i++) {
		struct pgsim_cfg cfg = tu_cfg(names[i]);
		const struct pgsim_arch *a = cfg.arch;
		unsigned eb = a->entry_bytes;
		int top = cfg.top_level;
		struct pgsim_mem *m = pgsim_mem_new();
		tu_put(m, 0x10000, eb, a->ops->encode(&cfg, top, PGSIM_ENTRY_TABLE, 0x10000, 0));
		struct collect c = { 0 };
		assert_int_equal(run(&cfg, m, 0x10000, 0, pgsim_va_last(&cfg), true, 0, &c, false), 0);
		assert_int_equal(c.n, 0);
		assert_int_equal(c.na, 1);
		assert_int_equal(c.a[0].kind, PGSIM_ANOMALY_CYCLE);
		assert_int_equal(c.a[0].level, top);
		/* root[1] -> T at 0x20000, T[0] -> root (needs a table level
		 * below the root that is not the leaf level: not ia32). */
		if (top - 1 == 0) {
			pgsim_mem_free(m);
			continue;
		}
		tu_put(m, 0x10000 + eb, eb, a->ops->encode(&cfg, top, PGSIM_ENTRY_TABLE, 0x20000, 0));
		tu_put(m, 0x20000, eb, a->ops->encode(&cfg, top - 1, PGSIM_ENTRY_TABLE, 0x10000, 0));
		memset(&c, 0, sizeof c);
		assert_int_equal(run(&cfg, m, 0x10000, 0, pgsim_va_last(&cfg), true, 0, &c, false), 0);
		assert_int_equal(c.na, 2);
		assert_int_equal(c.a[1].kind, PGSIM_ANOMALY_CYCLE);
		assert_int_equal(c.a[1].level, top - 1);
		assert_int_equal(c.a[1].target, 0x10000);
		pgsim_mem_free(m);
	}
}

/* Every entry of every level points at the same next table (a DAG with
 * 2^36 paths on x86_64): the budget stops the walk with -E2BIG instead of
 * running for hours. */
static void test_budget(void **state)
{
	(void)state;
	struct pgsim_cfg cfg = tu_cfg("x86_64");
	struct pgsim_mem *m = pgsim_mem_new();
	for (unsigned i = 0; i < 512; i++) {
		tu_put(m, 0x1000 + i * 8, 8, 0x2007);
		tu_put(m, 0x2000 + i * 8, 8, 0x3007);
		tu_put(m, 0x3000 + i * 8, 8, 0x4007);
		tu_put(m, 0x4000 + i * 8, 8, 0x5007);
	}
	struct collect c = { 0 };
	struct pgsim_range_opts o = { .va = 0, .last = ~0ull, .merge = true, .max_visits = 100000 };
	struct pgsim_range_cb cb = { .anomaly = on_anomaly, .ctx = &c };
	assert_int_equal(pgsim_walk_range(&cfg, m, 0x1000, &o, &cb), -E2BIG);
	pgsim_mem_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_merge_and_order),
		cmocka_unit_test(test_no_merge_and_clip),
		cmocka_unit_test(test_stop),
		cmocka_unit_test(test_entry_order),
		cmocka_unit_test(test_anomalies),
		cmocka_unit_test(test_cycles_every_arch),
		cmocka_unit_test(test_budget),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
