/* Seeded random page-table trees (see oracle_gen.h).
 *
 * Entry encodings come from hw-formats.md: x86 P/RW/US/PS/XD and address
 * fields (1.2, 1.4), AArch64 bits[1:0], APTable/XNTable, AP/AF/DBM/PXN/UXN
 * (2.3), Sv39 V/R/W/X/U/G/A/D and PPN at bit 10 (3.2).  Bit 0 is the
 * valid bit on all four architectures.
 */
#include <stdlib.h>
#include <string.h>

#include "oracle_gen.h"

#define TABLE_BUDGET 160
#define MAX_INDEX 1024

/* ---- xorshift64* --------------------------------------------------- */

void gen_seed(struct gen_rng *r, uint64_t seed)
{
	/* splitmix64 step so that small seeds give unrelated streams */
	uint64_t z = seed + 0x9e3779b97f4a7c15ull;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	z ^= z >> 31;
	r->s = z ? z : 1;
}

uint64_t gen_next(struct gen_rng *r)
{
	uint64_t x = r->s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	r->s = x;
	return x * 0x2545f4914f6cdd1dull;
}

uint64_t gen_below(struct gen_rng *r, uint64_t n)
{
	return gen_next(r) % n;
}

bool gen_chance(struct gen_rng *r, unsigned num, unsigned den)
{
	return gen_below(r, den) < num;
}

static uint64_t bit_if(struct gen_rng *r, unsigned b, unsigned pct)
{
	return gen_chance(r, pct, 100) ? 1ull << b : 0;
}

/* A random subset of mask where each bit is set with probability 1/8. */
static uint64_t sparse(struct gen_rng *r, uint64_t mask)
{
	return gen_next(r) & gen_next(r) & gen_next(r) & mask;
}

static uint64_t lowmask(unsigned n)
{
	return n >= 64 ? ~0ull : (1ull << n) - 1;
}

/* ---- entry encoders ------------------------------------------------- */

/* Widest address an entry can hold (the field's top bit + 1). */
static unsigned field_top(const struct oracle_cfg *c)
{
	switch (c->arch) {
	case ORACLE_IA32:
		return 32;
	case ORACLE_X86_64:
		return 52;
	case ORACLE_AARCH64:
		return 48;
	case ORACLE_SV39:
		return 56;
	}
	return 32;
}

static uint64_t put_addr(const struct oracle_cfg *c, int level, bool leaf, uint64_t pa)
{
	switch (c->arch) {
	case ORACLE_IA32:
		if (leaf && level == 1) /* 4 MiB: PA[31:22], PA[39:32] at 20:13 */
			return (pa & 0xffc00000ull) | (((pa >> 32) & 0xff) << 13);
		return pa & 0xfffff000ull;
	case ORACLE_X86_64:
		return pa & 0x000ffffffffff000ull;
	case ORACLE_AARCH64:
		return pa & 0x0000fffffffff000ull;
	case ORACLE_SV39:
		return ((pa >> 12) << 10) & 0x003ffffffffffc00ull;
	}
	return 0;
}

static uint64_t enc_table(struct gen_tree *g, int level, uint64_t addr)
{
	struct gen_rng *r = &g->rng;
	const struct oracle_cfg *c = &g->cfg;
	uint64_t e = put_addr(c, level, false, addr);

	switch (c->arch) {
	case ORACLE_IA32:
		/* P, R/W, U/S, PWT, PCD, A, ignored 6, 8-11; PS=0 */
		return e | 1 | bit_if(r, 1, 80) | bit_if(r, 2, 70) |
		       (gen_next(r) & 0x38) | sparse(r, 0xf40);
	case ORACLE_X86_64:
		return e | 1 | bit_if(r, 1, 80) | bit_if(r, 2, 70) | (gen_next(r) & 0x38) |
		       sparse(r, 0xe40) | sparse(r, 0x07f0000000000000ull) | bit_if(r, 63, 15);
	case ORACLE_AARCH64:
		/* 11, ignored 11:2 and 58:52, NSTable APTable UXNTable PXNTable */
		return e | 3 | sparse(r, 0xffc) | sparse(r, 0x07f0000000000000ull) |
		       bit_if(r, 59, 15) | bit_if(r, 60, 15) | bit_if(r, 61, 15) |
		       bit_if(r, 62, 15) | bit_if(r, 63, 10);
	case ORACLE_SV39:
		/* V, R=W=X=0, G, RSW; A/D/U (reserved here) now and then */
		return e | 1 | bit_if(r, 5, 20) | (gen_next(r) & 0x300) | bit_if(r, 6, 4) |
		       bit_if(r, 7, 3) | bit_if(r, 4, 4);
	}
	return e;
}

/* A leaf at `level`; at levels where the hardware has no leaf this is the
 * closest illegal encoding (x86 PML4E.PS, Arm block at L0 / 01 at L3). */
static uint64_t enc_leaf(struct gen_tree *g, int level, uint64_t pa)
{
	struct gen_rng *r = &g->rng;
	const struct oracle_cfg *c = &g->cfg;
	uint64_t e = put_addr(c, level, true, pa);

	switch (c->arch) {
	case ORACLE_IA32:
		e |= 1 | bit_if(r, 1, 60) | bit_if(r, 2, 60) | (gen_next(r) & 0x178) | sparse(r, 0xe00);
		if (level == 1)
			e |= 1ull << 7 | bit_if(r, 12, 30); /* PS, PAT */
		else
			e |= bit_if(r, 7, 20); /* PAT */
		return e;
	case ORACLE_X86_64:
		e |= 1 | bit_if(r, 1, 60) | bit_if(r, 2, 60) | (gen_next(r) & 0x178) |
		     sparse(r, 0xe00) | sparse(r, 0x07f0000000000000ull) |
		     sparse(r, 0x7800000000000000ull) | bit_if(r, 63, 25);
		if (level > 0)
			e |= 1ull << 7 | bit_if(r, 12, 30); /* PS, PAT */
		else
			e |= bit_if(r, 7, 20); /* PAT */
		return e;
	case ORACLE_AARCH64:
		e |= (level == 0) ? 3 : 1;
		if (level == 0 && gen_chance(r, 1, 12))
			e &= ~2ull; /* 01 at L3 */
		/* AttrIndx, NS, AP[2:1], SH, AF, nG, GP, DBM, Cont, PXN, UXN, SW */
		return e | (gen_next(r) & 0x1c) | bit_if(r, 5, 10) |
		       gen_below(r, 4) << 6 | (gen_next(r) & 0x300) |
		       bit_if(r, 10, 85) | bit_if(r, 11, 40) | bit_if(r, 51, 25) |
		       bit_if(r, 52, 10) | bit_if(r, 53, 30) | bit_if(r, 54, 30) |
		       sparse(r, 0x0780000000000000ull) | bit_if(r, 50, 10);
	case ORACLE_SV39: {
		/* R, RW, X, RX, RWX; sometimes the reserved W and WX */
		static const unsigned rwx[7] = { 1, 3, 4, 5, 7, 2, 6 };
		unsigned k = gen_chance(r, 1, 12) ? 5 + (unsigned)gen_below(r, 2)
						   : (unsigned)gen_below(r, 5);

		return e | 1 | (uint64_t)rwx[k] << 1 | bit_if(r, 4, 50) | bit_if(r, 5, 20) |
		       bit_if(r, 6, 85) | bit_if(r, 7, 60) | (gen_next(r) & 0x300);
	}
	}
	return e;
}

static bool leaf_level_legal(const struct oracle_cfg *c, int level)
{
	switch (c->arch) {
	case ORACLE_IA32:
		return true;
	case ORACLE_X86_64:
	case ORACLE_AARCH64:
		return level < 3;
	case ORACLE_SV39:
		return true;
	}
	return false;
}

/* Random bit damage: flips and whole garbage values (valid bit set). */
static uint64_t noise(struct gen_tree *g, uint64_t e)
{
	struct gen_rng *r = &g->rng;
	unsigned nbits = oracle_entry_bytes(&g->cfg) * 8;
	unsigned roll = (unsigned)gen_below(r, 100);

	if (roll < 6)
		e ^= 1ull << gen_below(r, nbits);
	else if (roll < 8)
		e ^= 1ull << gen_below(r, nbits) | 1ull << gen_below(r, nbits);
	else if (roll < 10)
		e = gen_next(r) | 1;
	return e & lowmask(nbits);
}

/* ---- tree building -------------------------------------------------- */

static int alloc_table(struct gen_tree *g, int level, uint64_t bytes)
{
	struct gen_table *t;

	if (g->n_tables == g->cap) {
		unsigned cap = g->cap ? g->cap * 2 : 32;
		struct gen_table *n = realloc(g->t, cap * sizeof *n);

		if (!n)
			return -1;
		g->t = n;
		g->cap = cap;
	}
	g->next_free = (g->next_free + bytes - 1) & ~(bytes - 1);
	t = &g->t[g->n_tables];
	memset(t, 0, sizeof *t);
	t->pa = g->next_free;
	t->level = level;
	g->next_free += bytes;
	return (int)g->n_tables++;
}

static void put(struct gen_tree *g, uint64_t table, uint64_t idx, uint64_t e)
{
	unsigned b = oracle_entry_bytes(&g->cfg);

	pgsim_mem_write_le(g->mem, table + idx * b, b, e);
	g->n_entries++;
}

static void slot(struct gen_tree *g, int id, uint64_t idx, int child)
{
	struct gen_table *t = &g->t[id];

	if (t->n < GEN_MAX_SLOTS) {
		t->idx[t->n] = (uint32_t)idx;
		t->child[t->n] = child;
		t->n++;
	}
}

static uint64_t random_frame(struct gen_tree *g, int level)
{
	struct gen_rng *r = &g->rng;
	const struct oracle_cfg *c = &g->cfg;
	unsigned lg2 = oracle_shift(c, level), top = field_top(c);
	unsigned width = c->pa_bits < top ? c->pa_bits : top;
	uint64_t pa;

	if (c->arch == ORACLE_IA32 && level == 0)
		width = 32;
	pa = gen_next(r) & lowmask(width) & ~lowmask(lg2);
	/* now and then an address wider than the PA size */
	if (width < top && gen_chance(r, 1, 20))
		pa |= 1ull << (width + gen_below(r, top - width));
	/* misaligned superpage / large-page frame */
	if (level > 0 && gen_chance(r, 1, 10))
		pa |= gen_next(r) & lowmask(lg2) & ~lowmask(12);
	return pa;
}

static int build(struct gen_tree *g, int id, int level);

/* A table pointer for an entry of table `id` at `level` (> 0). */
static uint64_t make_pointer(struct gen_tree *g, int id, int level, int *child)
{
	struct gen_rng *r = &g->rng;
	const struct oracle_cfg *c = &g->cfg;
	unsigned roll = (unsigned)gen_below(r, 100);
	unsigned top = field_top(c);
	uint64_t addr;

	*child = -1;
	if (roll < 6) /* outside RAM */
		return enc_table(g, level, 0x40000000ull + (gen_below(r, 0x3fff0) << 12));
	if (roll < 9 && c->pa_bits < top) /* above the PA width */
		return enc_table(g, level, g->t[id].pa | 1ull << (c->pa_bits +
						gen_below(r, top - c->pa_bits)));
	if (roll < 19 || g->n_tables >= TABLE_BUDGET) {
		/* shared: any table so far, ancestors (cycles) included */
		*child = (int)gen_below(r, g->n_tables);
		addr = g->t[*child].pa;
		if (c->arch == ORACLE_AARCH64 && *child == 0 && gen_chance(r, 1, 4))
			addr += 0x1000; /* second half of a concatenated root */
		return enc_table(g, level, addr);
	}
	*child = alloc_table(g, level - 1, 4096);
	if (*child < 0)
		return 0;
	addr = g->t[*child].pa;
	if (build(g, *child, level - 1) < 0)
		return 0;
	return enc_table(g, level, addr);
}

static int build(struct gen_tree *g, int id, int level)
{
	struct gen_rng *r = &g->rng;
	const struct oracle_cfg *c = &g->cfg;
	uint64_t n_idx = 1ull << oracle_index_bits(c, level);
	uint8_t used[MAX_INDEX] = { 0 };
	uint64_t table = g->t[id].pa;
	unsigned want = id == 0 ? 4 + (unsigned)gen_below(r, 13) : 1 + (unsigned)gen_below(r, 8);

	for (unsigned k = 0; k < want; k++) {
		uint64_t idx = gen_below(r, n_idx), e;
		unsigned roll = (unsigned)gen_below(r, 100);
		int child = -1;

		if (used[idx])
			continue;
		used[idx] = 1;
		if (roll < 12) {
			/* invalid, maybe with software bits */
			e = gen_chance(r, 1, 2) ? gen_next(r) & ~1ull : 0;
			put(g, table, idx, e & lowmask(oracle_entry_bytes(c) * 8));
			slot(g, id, idx, -1);
			continue;
		}
		if (level > 0 && roll < 60) {
			e = make_pointer(g, id, level, &child);
			if (e == 0) /* out of memory (an encoded table is never 0) */
				return -1;
			put(g, table, idx, noise(g, e));
			slot(g, id, idx, child);
			continue;
		}
		if (!leaf_level_legal(c, level) && !gen_chance(r, 1, 8)) {
			k--; /* mostly pick something else */
			used[idx] = 0;
			continue;
		}
		/* a leaf, or a run of leaves with contiguous frames */
		uint64_t pa = random_frame(g, level), run = 1, attrs;
		uint64_t size = 1ull << oracle_shift(c, level);

		e = enc_leaf(g, level, pa);
		attrs = e & ~put_addr(c, level, true, ~0ull);
		if (leaf_level_legal(c, level) && gen_chance(r, 1, 4))
			run = 2 + gen_below(r, 5);
		for (uint64_t j = 0; j < run && idx + j < n_idx; j++) {
			if (j > 0 && used[idx + j])
				break;
			used[idx + j] = 1;
			put(g, table, idx + j, j == 0 ? noise(g, e)
				: attrs | put_addr(c, level, true, pa + j * size));
			slot(g, id, idx + j, -1);
		}
	}
	return 0;
}

int gen_tree_build(struct gen_tree *g, const struct oracle_cfg *cfg, uint64_t seed)
{
	memset(g, 0, sizeof *g);
	g->cfg = *cfg;
	gen_seed(&g->rng, seed);
	g->mem = pgsim_mem_new();
	if (!g->mem)
		return -1;
	pgsim_mem_add_ram(g->mem, 0, GEN_RAM_LAST);
	g->next_free = 0x100000;
	/* AArch64 40-bit VA: a 1024-entry (8 KiB) root, aligned to its size */
	if (alloc_table(g, oracle_top_level(cfg),
			cfg->arch == ORACLE_AARCH64 && cfg->va_bits == 40 ? 8192 : 4096) < 0)
		return -1;
	g->root = g->t[0].pa;
	return build(g, 0, oracle_top_level(cfg));
}

void gen_tree_free(struct gen_tree *g)
{
	pgsim_mem_free(g->mem);
	free(g->t);
	memset(g, 0, sizeof *g);
}

uint64_t gen_sample_va(struct gen_tree *g, struct gen_rng *r)
{
	const struct oracle_cfg *c = &g->cfg;
	unsigned roll = (unsigned)gen_below(r, 100);
	int level = oracle_top_level(c), id = 0;
	uint64_t va = 0;

	if (roll < 4)
		return gen_next(r);
	for (;;) {
		const struct gen_table *t = &g->t[id];
		uint64_t idx;
		int child = -1;

		if (t->n && !gen_chance(r, 1, 10)) {
			unsigned k = (unsigned)gen_below(r, t->n), n_tab = 0;

			/* prefer going down: a table slot 60% of the time */
			for (unsigned j = 0; j < t->n; j++)
				n_tab += t->child[j] >= 0;
			if (n_tab && gen_chance(r, 3, 5)) {
				unsigned pick = (unsigned)gen_below(r, n_tab);

				for (k = 0; t->child[k] < 0 || pick--; k++)
					;
			}
			idx = t->idx[k];
			child = t->child[k];
		} else {
			idx = gen_below(r, 1ull << oracle_index_bits(c, level));
		}
		idx &= lowmask(oracle_index_bits(c, level));
		va |= idx << oracle_shift(c, level);
		if (child < 0 || level == 0)
			break;
		id = child;
		level--;
	}
	va |= gen_next(r) & lowmask(oracle_shift(c, level));
	va = oracle_canonical(c, va);
	if (roll < 8) /* damage a bit above the VA width */
		va ^= 1ull << (c->va_bits + gen_below(r, 64 - c->va_bits));
	return va;
}
