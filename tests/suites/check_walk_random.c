/* Seeded random differential test of the reference walker (Check, fork
 * mode, suite 'slow').
 *
 * For every architecture configuration (ia32, x86_64, AArch64 with 48-,
 * 39- and 40-bit VAs, Sv39) and every seed, oracle_gen.c builds a random,
 * often hostile page-table tree and picks random CPU flags and PA widths;
 * then for many VAs (mostly along mapped paths, some random or
 * non-canonical) x read/write/execute x user/supervisor this checks that
 * pgsim_walk_translate (update_ad = false) and an independent oracle
 * written from hw-formats.md (oracle_*.c) agree exactly: ok, PA, page
 * size, leaf level, permissions, fault kind, fault level, the
 * architecture's fault code, CR2/FAR/stval, and the trail of entries read.
 * It also checks pgsim_walk_range on the same tree against the oracle:
 * every range is exactly a run of leaves the oracle finds by probing every
 * present entry (contiguous VA and PA, same size and permissions), sample
 * VAs of every range translate to the range's PA, and the total mapped
 * bytes agree.
 *
 * A disagreement prints the seed, configuration, VA, access, both trails
 * and both answers so that a human can settle it against the manual.
 * Seeds are fixed; PGSIM_RANDOM_SEEDS=<n> and PGSIM_RANDOM_SEED_BASE=<b>
 * change how many and which (for longer soak runs); PGSIM_RANDOM_STATS=1
 * with CK_FORK=no prints how often each outcome was reached.  Where the
 * manuals leave room, the oracles' header comments say which reading they
 * take and why.
 */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oracle.h"
#include "oracle_gen.h"
#include "pgsim/walk.h"

#define DEFAULT_SEEDS 300
#define SEEDS_PER_TEST 20
#define VAS_PER_SEED 400
#define MSG_MAX 4096
#define MAX_REPORTS 5

struct arch_case {
	const char *name;        /* Check TCase name */
	const char *arch;
	unsigned va_bits;
	enum oracle_arch oarch;
	unsigned pa_choices[6];
	unsigned n_pa;
};

/* PA widths: x86 MAXPHYADDR values seen on real parts; Arm TCR.IPS sizes
 * up to 48 (2.1); Sv39 is always 56. */
static const struct arch_case cases[] = {
	{ "ia32", "ia32", 32, ORACLE_IA32, { 32, 36, 40 }, 3 },
	{ "x86_64", "x86_64", 48, ORACLE_X86_64, { 32, 36, 39, 40, 46, 52 }, 6 },
	{ "aarch64_48", "aarch64", 48, ORACLE_AARCH64, { 32, 36, 40, 42, 44, 48 }, 6 },
	{ "aarch64_39", "aarch64", 39, ORACLE_AARCH64, { 32, 36, 40, 42, 44, 48 }, 6 },
	{ "aarch64_40", "aarch64", 40, ORACLE_AARCH64, { 32, 36, 40, 42, 44, 48 }, 6 },
	{ "sv39", "sv39", 39, ORACLE_SV39, { 56 }, 1 },
};

static uint64_t seed_base = 0x5eed0000;
static unsigned n_seeds = DEFAULT_SEEDS;

/* Outcome counts (printed with PGSIM_RANDOM_STATS=1 and CK_FORK=no, to
 * see what the generator reaches): [fault kind][level + 1], successes by
 * leaf level under PGSIM_FAULT_NONE, ranges and leaves. */
static unsigned long stats[PGSIM_FAULT_VA_RANGE + 1][PGSIM_MAX_LEVELS + 1];
static unsigned long stats_ranges, stats_leaves, stats_merged;

struct run {
	const struct arch_case *ac;
	uint64_t seed;
	struct pgsim_cfg cfg;
	struct oracle_cfg oc;
	struct gen_tree g;
	unsigned mismatches;
	char first[MSG_MAX];
};

/* ---- reporting ------------------------------------------------------ */

static size_t add(char *buf, size_t len, size_t at, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static size_t add(char *buf, size_t len, size_t at, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (at >= len)
		return at;
	va_start(ap, fmt);
	n = vsnprintf(buf + at, len - at, fmt, ap);
	va_end(ap);
	return n < 0 ? at : at + (size_t)n;
}

static size_t describe_cfg(const struct run *rn, char *buf, size_t len, size_t at)
{
	const struct pgsim_arch *a = rn->cfg.arch;

	at = add(buf, len, at, "seed 0x%llx arch %s va_bits %u pa_bits %u flags [",
		 (unsigned long long)rn->seed, rn->ac->name, rn->cfg.va_bits, rn->cfg.pa_bits);
	for (unsigned i = 0; i < a->n_cpu_flags; i++)
		if (rn->cfg.flags & a->cpu_flags[i].bit)
			at = add(buf, len, at, " %s", a->cpu_flags[i].name);
	return add(buf, len, at, " ]");
}

static void record(struct run *rn, const char *msg)
{
	if (rn->mismatches < MAX_REPORTS)
		fprintf(stderr, "MISMATCH %s\n\n", msg);
	if (rn->mismatches == 0)
		snprintf(rn->first, sizeof rn->first, "%s", msg);
	rn->mismatches++;
}

static void report_translate(struct run *rn, uint64_t root, uint64_t va, enum pgsim_access acc,
			     bool user, const struct pgsim_translation *t,
			     const struct oracle_res *o, const char *what)
{
	char buf[MSG_MAX], perms[32];
	size_t at = describe_cfg(rn, buf, sizeof buf, 0);

	at = add(buf, sizeof buf, at, " root 0x%llx\n  VA 0x%016llx %s %s: %s differs\n",
		 (unsigned long long)root, (unsigned long long)va, pgsim_access_name(acc),
		 user ? "user" : "supervisor", what);
	at = add(buf, sizeof buf, at, "  pgsim trail:");
	for (unsigned i = 0; i < t->n_trail; i++)
		at = add(buf, sizeof buf, at, " [level %d @0x%llx = 0x%016llx %s]",
			 t->trail[i].level, (unsigned long long)t->trail[i].entry_pa,
			 (unsigned long long)t->trail[i].value,
			 pgsim_entry_kind_name(t->trail[i].kind));
	at = add(buf, sizeof buf, at, "\n  oracle trail:");
	for (unsigned i = 0; i < o->n_steps; i++)
		at = add(buf, sizeof buf, at, " [level %d @0x%llx = 0x%016llx]",
			 o->step_level[i], (unsigned long long)o->step_pa[i],
			 (unsigned long long)o->step_val[i]);
	if (t->ok) {
		pgsim_perms_str(t->perms, perms, sizeof perms);
		at = add(buf, sizeof buf, at,
			 "\n  pgsim:  ok pa 0x%llx page_lg2 %u level %d perms %s",
			 (unsigned long long)t->pa, t->page_lg2, t->level, perms);
	} else {
		at = add(buf, sizeof buf, at,
			 "\n  pgsim:  fault %s level %d code 0x%llx addr 0x%llx \"%s\"",
			 pgsim_fault_kind_name(t->fault.kind), t->fault.level,
			 (unsigned long long)t->fault.code, (unsigned long long)t->fault.addr,
			 t->fault.text);
	}
	pgsim_perms_str(o->perms, perms, sizeof perms);
	if (o->ok)
		at = add(buf, sizeof buf, at,
			 "\n  oracle: ok pa 0x%llx page_lg2 %u level %d perms %s",
			 (unsigned long long)o->pa, o->page_lg2, o->level, perms);
	else
		at = add(buf, sizeof buf, at,
			 "\n  oracle: fault %s level %d code %s0x%llx",
			 pgsim_fault_kind_name(o->fault), o->fault_level,
			 o->code_defined ? "" : "(not defined by the manual) ",
			 (unsigned long long)o->code);
	if (!o->ok && o->leaf)
		at = add(buf, sizeof buf, at, " (leaf pa 0x%llx page_lg2 %u perms %s)",
			 (unsigned long long)o->pa, o->page_lg2, perms);
	record(rn, buf);
}

/* ---- translate ------------------------------------------------------ */

static const char *compare(const struct pgsim_translation *t, const struct oracle_res *o,
			   uint64_t va)
{
	if (t->ok != o->ok)
		return "ok";
	if (t->ok) {
		if (t->pa != o->pa)
			return "pa";
		if (t->page_lg2 != o->page_lg2)
			return "page_lg2";
		if (t->level != o->level)
			return "leaf level";
		if (t->perms != o->perms)
			return "perms";
	} else {
		if ((int)t->fault.kind != o->fault)
			return "fault kind";
		if (t->fault.level != o->fault_level)
			return "fault level";
		if (o->code_defined && t->fault.code != o->code)
			return "fault code";
		if (t->fault.addr != va)
			return "fault address";
	}
	if (t->n_trail != o->n_steps)
		return "trail length";
	for (unsigned i = 0; i < t->n_trail; i++)
		if (t->trail[i].entry_pa != o->step_pa[i] || t->trail[i].value != o->step_val[i] ||
		    t->trail[i].level != o->step_level[i])
			return "trail";
	return NULL;
}

static void check_one(struct run *rn, uint64_t root, uint64_t va, enum pgsim_access acc,
		      bool user)
{
	struct pgsim_walk_req req = { .access = acc, .user = user, .update_ad = false };
	struct pgsim_translation t;
	struct oracle_res o;
	const char *what;

	ck_assert_int_eq(pgsim_walk_translate(&rn->cfg, rn->g.mem, root, va, &req, &t), 0);
	oracle_translate(&rn->oc, rn->g.mem, root, va, acc, user, &o);
	if (o.ok)
		stats[0][o.level + 1]++;
	else if (o.fault > 0 && o.fault <= PGSIM_FAULT_VA_RANGE)
		stats[o.fault][o.fault_level + 1]++;
	what = compare(&t, &o, va);
	if (what)
		report_translate(rn, root, va, acc, user, &t, &o, what);
}

/* ---- range walk ----------------------------------------------------- */

struct leaf {
	uint64_t va, pa;
	unsigned lg2;
	int level;
	unsigned perms;
};

struct vec {
	void *p;
	size_t n, cap, size;
};

static void *vec_push(struct vec *v)
{
	if (v->n == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 256;
		v->p = realloc(v->p, v->cap * v->size);
		ck_assert_ptr_nonnull(v->p);
	}
	return (char *)v->p + v->n++ * v->size;
}

static int on_range(void *ctx, const struct pgsim_range *r)
{
	*(struct pgsim_range *)vec_push(ctx) = *r;
	return 0;
}

static int on_anomaly(void *ctx, const struct pgsim_anomaly *a)
{
	(void)ctx;
	(void)a;
	return 0;
}

/* Enumerate the oracle's leaves below `table` (read at `level` on the path
 * from the root for VA prefix `prefix`) by probing every present entry
 * (bit 0 is the valid bit on all four architectures).  A table already on
 * the path is not descended, as docs/walker.md promises for range walks. */
static void enumerate(struct run *rn, int level, uint64_t table, uint64_t prefix,
		      const uint64_t *path, unsigned depth, struct vec *leaves)
{
	const struct oracle_cfg *c = &rn->oc;
	unsigned eb = oracle_entry_bytes(c), shift = oracle_shift(c, level);
	unsigned step = (unsigned)(oracle_top_level(c) - level);
	uint64_t n = 1ull << oracle_index_bits(c, level);
	uint64_t sub[ORACLE_MAX_STEPS + 1];

	memcpy(sub, path, depth * sizeof *path);
	for (uint64_t i = 0; i < n; i++) {
		uint64_t raw, va = oracle_canonical(c, prefix | i << shift), child;
		struct oracle_res o;
		bool on_path = false;

		if (pgsim_mem_read_le(rn->g.mem, table + i * eb, eb, &raw) != 0)
			return;
		if (!(raw & 1))
			continue;
		oracle_translate(c, rn->g.mem, rn->g.root, va, PGSIM_ACCESS_READ, false, &o);
		ck_assert_msg(o.n_steps > step && o.step_pa[step] == table + i * eb,
			      "enumerator lost its path at VA 0x%llx", (unsigned long long)va);
		if (o.leaf && o.level == level) {
			struct leaf *l = vec_push(leaves);

			l->va = va;
			l->pa = o.pa;
			l->lg2 = o.page_lg2;
			l->level = level;
			l->perms = o.perms;
			continue;
		}
		/* a table entry: the walk read something below this level */
		if (o.n_steps <= step + 1)
			continue;
		child = o.step_table[step + 1];
		for (unsigned k = 0; k < depth; k++)
			on_path = on_path || path[k] == child;
		/* depth never exceeds the number of levels; the bound also
		 * tells the compiler so */
		if (on_path || depth >= ORACLE_MAX_STEPS)
			continue;
		sub[depth] = child;
		enumerate(rn, level - 1, child, va & ((1ull << c->va_bits) - 1), sub, depth + 1,
			  leaves);
	}
}

static void range_fail(struct run *rn, const struct pgsim_range *r, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void range_fail(struct run *rn, const struct pgsim_range *r, const char *fmt, ...)
{
	char buf[MSG_MAX], perms[32];
	size_t at = describe_cfg(rn, buf, sizeof buf, 0);
	va_list ap;

	at = add(buf, sizeof buf, at, " root 0x%llx\n  range walk: ",
		 (unsigned long long)rn->g.root);
	va_start(ap, fmt);
	if (at < sizeof buf)
		at += (size_t)vsnprintf(buf + at, sizeof buf - at, fmt, ap);
	va_end(ap);
	if (r) {
		pgsim_perms_str(r->perms, perms, sizeof perms);
		add(buf, sizeof buf, at,
		    "\n  range [0x%llx, 0x%llx] -> 0x%llx page_lg2 %u level %d perms %s pages %llu leaf 0x%llx",
		    (unsigned long long)r->va, (unsigned long long)r->last,
		    (unsigned long long)r->pa, r->page_lg2, r->level, perms,
		    (unsigned long long)r->pages, (unsigned long long)r->leaf);
	}
	record(rn, buf);
}

static void check_ranges(struct run *rn)
{
	struct vec ranges = { .size = sizeof(struct pgsim_range) };
	struct vec leaves = { .size = sizeof(struct leaf) };
	const struct oracle_cfg *c = &rn->oc;
	struct pgsim_range_opts opts = {
		.va = 0,
		.last = oracle_sign_extend(c) ? ~0ull : (1ull << c->va_bits) - 1,
		.merge = true,
	};
	struct pgsim_range_cb cb = { .range = on_range, .anomaly = on_anomaly, .ctx = &ranges };
	uint64_t root_path[1] = { rn->g.root }, total_r = 0, total_o = 0;
	size_t li = 0;
	int rc;

	rc = pgsim_walk_range(&rn->cfg, rn->g.mem, rn->g.root, &opts, &cb);
	if (rc != 0) {
		range_fail(rn, NULL, "returned %d", rc);
		goto out;
	}
	enumerate(rn, oracle_top_level(c), rn->g.root, 0, root_path, 1, &leaves);
	for (size_t k = 0; k < leaves.n; k++)
		total_o += 1ull << ((struct leaf *)leaves.p)[k].lg2;
	stats_ranges += ranges.n;
	stats_leaves += leaves.n;

	for (size_t k = 0; k < ranges.n; k++) {
		const struct pgsim_range *r = (struct pgsim_range *)ranges.p + k;
		uint64_t cur = r->va, pages = 0, samples[3];
		struct oracle_res o;

		bool done = false;

		total_r += r->last - r->va + 1;
		while (!done && li < leaves.n) {
			const struct leaf *l = (struct leaf *)leaves.p + li;

			if (l->va != cur)
				break;
			if (l->pa != r->pa + (cur - r->va) || l->lg2 != r->page_lg2 ||
			    l->perms != r->perms || l->level != r->level) {
				char perms[32];

				pgsim_perms_str(l->perms, perms, sizeof perms);
				range_fail(rn, r, "oracle leaf VA 0x%llx -> 0x%llx page_lg2 %u level %d perms %s does not fit the range",
					   (unsigned long long)l->va, (unsigned long long)l->pa,
					   l->lg2, l->level, perms);
				goto out;
			}
			cur += 1ull << l->lg2; /* wraps to 0 after the top of the space */
			pages++;
			li++;
			done = cur - 1 == r->last;
		}
		if (!done) {
			range_fail(rn, r, "the oracle's leaves cover it only up to 0x%llx (next oracle leaf VA 0x%llx)",
				   (unsigned long long)(cur - 1),
				   (unsigned long long)(li < leaves.n ? ((struct leaf *)leaves.p)[li].va : 0));
			goto out;
		}
		if (pages > 1)
			stats_merged++;
		if (pages != r->pages) {
			range_fail(rn, r, "%llu oracle leaves, range says %llu pages",
				   (unsigned long long)pages, (unsigned long long)r->pages);
			goto out;
		}
		/* sample VAs translate (oracle) to the range's PA and rights */
		samples[0] = r->va;
		samples[1] = r->last;
		samples[2] = r->va + gen_below(&rn->g.rng, r->last - r->va + 1);
		for (unsigned s = 0; s < 3; s++) {
			oracle_translate(c, rn->g.mem, rn->g.root, samples[s], PGSIM_ACCESS_READ,
					 false, &o);
			if (!o.leaf || o.pa != r->pa + (samples[s] - r->va) ||
			    o.page_lg2 != r->page_lg2 || o.perms != r->perms) {
				range_fail(rn, r, "oracle translates VA 0x%llx to %s0x%llx page_lg2 %u perms 0x%x",
					   (unsigned long long)samples[s], o.leaf ? "" : "(no leaf) ",
					   (unsigned long long)o.pa, o.page_lg2, o.perms);
				goto out;
			}
		}
	}
	if (li != leaves.n) {
		const struct leaf *l = (struct leaf *)leaves.p + li;

		range_fail(rn, NULL, "no range holds the oracle's leaf VA 0x%llx -> 0x%llx page_lg2 %u (%zu of %zu leaves unmatched)",
			   (unsigned long long)l->va, (unsigned long long)l->pa, l->lg2,
			   leaves.n - li, leaves.n);
		goto out;
	}
	if (total_r != total_o)
		range_fail(rn, NULL, "mapped bytes: ranges 0x%llx, oracle 0x%llx",
			   (unsigned long long)total_r, (unsigned long long)total_o);
out:
	free(ranges.p);
	free(leaves.p);
}

/* ---- one seed ------------------------------------------------------- */

/* Run one seed; returns its number of disagreements, the first one's
 * report in first[]. */
static unsigned run_seed(const struct arch_case *ac, uint64_t seed, char *first, size_t len)
{
	static const enum pgsim_access accs[3] = {
		PGSIM_ACCESS_READ, PGSIM_ACCESS_WRITE, PGSIM_ACCESS_EXEC,
	};
	struct run *rn = calloc(1, sizeof *rn);
	const struct pgsim_arch *a = pgsim_arch_find(ac->arch);
	struct gen_rng r;
	unsigned mismatches;

	ck_assert_ptr_nonnull(rn);
	ck_assert_ptr_nonnull(a);
	rn->ac = ac;
	rn->seed = seed;
	gen_seed(&r, rn->seed * 0x100000001b3ull + (uint64_t)(ac - cases));

	/* CPU state: each flag the arch has, on or off at random. */
	pgsim_cfg_init(&rn->cfg, a);
	ck_assert_int_eq(pgsim_cfg_set_va_bits(&rn->cfg, ac->va_bits), 0);
	ck_assert_int_eq(pgsim_cfg_set_pa_bits(&rn->cfg,
			 ac->pa_choices[gen_below(&r, ac->n_pa)]), 0);
	rn->cfg.flags = 0;
	for (unsigned k = 0; k < a->n_cpu_flags; k++)
		if (gen_chance(&r, 1, 2))
			rn->cfg.flags |= a->cpu_flags[k].bit;
	rn->oc = (struct oracle_cfg){ ac->oarch, rn->cfg.va_bits, rn->cfg.pa_bits, rn->cfg.flags };

	ck_assert_int_eq(gen_tree_build(&rn->g, &rn->oc, rn->seed ^ 0xa5a5a5a5ull), 0);

	for (unsigned n = 0; n < VAS_PER_SEED; n++) {
		uint64_t va = gen_sample_va(&rn->g, &r), root = rn->g.root;

		/* AArch64: now and then a TTBR wider than the output size */
		if (ac->oarch == ORACLE_AARCH64 && rn->cfg.pa_bits < 48 && gen_chance(&r, 1, 40))
			root |= 1ull << (rn->cfg.pa_bits + gen_below(&r, 48 - rn->cfg.pa_bits));
		for (unsigned k = 0; k < 3; k++) {
			check_one(rn, root, va, accs[k], false);
			check_one(rn, root, va, accs[k], true);
		}
	}
	check_ranges(rn);

	mismatches = rn->mismatches;
	if (mismatches)
		snprintf(first, len, "%s", rn->first);
	gen_tree_free(&rn->g);
	free(rn);
	return mismatches;
}

/* One Check test runs a block of seeds (fewer forks: a sanitizer build
 * pays for every child's exit), then fails with the first disagreement
 * and the list of seeds that had any. */
static void run_block(const struct arch_case *ac, unsigned block)
{
	static char first[MSG_MAX], other[MSG_MAX];
	char list[512];
	size_t at = 0;
	unsigned bad = 0;

	list[0] = '\0';
	for (unsigned k = 0; k < SEEDS_PER_TEST && block * SEEDS_PER_TEST + k < n_seeds; k++) {
		uint64_t seed = seed_base + (uint64_t)block * SEEDS_PER_TEST + k;
		unsigned n = run_seed(ac, seed, bad ? other : first, MSG_MAX);

		if (n) {
			bad++;
			at = add(list, sizeof list, at, " 0x%llx (%u)", (unsigned long long)seed, n);
		}
	}
	if (bad)
		ck_abort_msg("%s: %u seeds disagree; seeds (mismatches):%s\n"
			     "one seed again: PGSIM_RANDOM_SEED_BASE=<seed> PGSIM_RANDOM_SEEDS=1 "
			     "CK_RUN_CASE=%s CK_FORK=no check_walk_random\nfirst: %s",
			     ac->name, bad, list, ac->name, first);
}

#define ARCH_TEST(n)                                   \
	START_TEST(seed_##n)                           \
	{                                              \
		run_block(&cases[n], (unsigned)_i);    \
	}                                              \
	END_TEST

ARCH_TEST(0)
ARCH_TEST(1)
ARCH_TEST(2)
ARCH_TEST(3)
ARCH_TEST(4)
ARCH_TEST(5)

int main(void)
{
	const TTest *tests[] = { seed_0, seed_1, seed_2, seed_3, seed_4, seed_5 };
	const char *env_n = getenv("PGSIM_RANDOM_SEEDS"), *env_b = getenv("PGSIM_RANDOM_SEED_BASE");
	Suite *s = suite_create("walk_random");
	SRunner *sr;
	int failed;

	_Static_assert(sizeof tests / sizeof tests[0] == sizeof cases / sizeof cases[0],
		       "one test function per case");
	if (env_b)
		seed_base = strtoull(env_b, NULL, 0);
	if (env_n)
		n_seeds = (unsigned)strtoul(env_n, NULL, 0);
	for (unsigned k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		TCase *tc = tcase_create(cases[k].name);

		tcase_set_timeout(tc, 120);
		tcase_add_loop_test(tc, tests[k], 0,
				    (n_seeds + SEEDS_PER_TEST - 1) / SEEDS_PER_TEST);
		suite_add_tcase(s, tc);
	}
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	if (getenv("PGSIM_RANDOM_STATS")) {
		for (int k = 0; k <= PGSIM_FAULT_VA_RANGE; k++) {
			printf("%-13s", k ? pgsim_fault_kind_name(k) : "ok");
			for (int l = 0; l <= PGSIM_MAX_LEVELS; l++)
				printf(" L%d:%-7lu", l - 1, stats[k][l]);
			printf("\n");
		}
		printf("ranges %lu (merged runs %lu), oracle leaves %lu\n", stats_ranges,
		       stats_merged, stats_leaves);
	}
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
