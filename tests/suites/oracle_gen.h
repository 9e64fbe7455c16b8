/* Seeded random page-table trees for the differential walker test.
 *
 * Entries are encoded by the generator itself from hw-formats.md (not with
 * pgsim's encode hooks): valid, invalid-with-junk, table and leaf entries
 * at every level, random rights and attribute bits, leaves at levels where
 * the hardware forbids them, misaligned superpages, tables outside RAM or
 * above the physical address width, tables shared between parents and
 * occasional cycles, plus random single-bit flips and whole garbage
 * entries.  Everything is a pure function of the seed (xorshift64*).
 */
#ifndef PGSIM_TEST_ORACLE_GEN_H
#define PGSIM_TEST_ORACLE_GEN_H

#include "oracle.h"

/* RAM the generator declares: [0, GEN_RAM_LAST]; tables live in it. */
#define GEN_RAM_LAST 0x03ffffffull

struct gen_rng {
	uint64_t s;
};

void gen_seed(struct gen_rng *r, uint64_t seed);
uint64_t gen_next(struct gen_rng *r);
/* Uniform in [0, n) (n > 0). */
uint64_t gen_below(struct gen_rng *r, uint64_t n);
/* true with probability num/den. */
bool gen_chance(struct gen_rng *r, unsigned num, unsigned den);

#define GEN_MAX_SLOTS 48

struct gen_table {
	uint64_t pa;
	int level;            /* level it was built for */
	unsigned n;           /* slots written */
	uint32_t idx[GEN_MAX_SLOTS];
	int child[GEN_MAX_SLOTS]; /* table id it points to (as generated), or -1 */
};

struct gen_tree {
	struct oracle_cfg cfg;
	struct pgsim_mem *mem;
	uint64_t root;
	struct gen_table *t;  /* t[0] is the root */
	unsigned n_tables, cap;
	uint64_t next_free;   /* table allocator */
	unsigned n_entries;   /* entries written */
	struct gen_rng rng;
};

/* Build a tree for cfg from seed in a fresh pgsim_mem.  Returns 0 or -1
 * (out of memory). */
int gen_tree_build(struct gen_tree *g, const struct oracle_cfg *cfg, uint64_t seed);
void gen_tree_free(struct gen_tree *g);
/* A VA to test: mostly along generated paths, sometimes random or
 * non-canonical. */
uint64_t gen_sample_va(struct gen_tree *g, struct gen_rng *r);

#endif
