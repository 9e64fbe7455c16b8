/* pgsim: the reference walker.
 *
 * Reads only simulated memory and the architecture descriptor, the way the
 * MMU does; it knows nothing of seL4, sel4utils or xv6 models.  A
 * translation is bounded by the number of levels, and a range walk by a
 * visit budget and by refusing to descend into a table that is already on
 * the current path, so hostile tables always terminate.
 */
#ifndef PGSIM_WALK_H
#define PGSIM_WALK_H

#include "pgsim/arch.h"
#include "pgsim/mem.h"

struct pgsim_walk_req {
	enum pgsim_access access;
	bool user;          /* user-mode (CPL3 / EL0 / U-mode) access */
	bool update_ad;     /* write A/D/AF changes back into memory */
};

struct pgsim_trail_step {
	int level;
	pgsim_pa_t entry_pa;
	uint64_t value;          /* entry as read */
	enum pgsim_entry_kind kind;
};

struct pgsim_translation {
	bool ok;
	pgsim_va_t va;
	/* on success */
	pgsim_pa_t pa;
	unsigned page_lg2;
	int level;               /* leaf level */
	unsigned perms;          /* PGSIM_P_* */
	uint64_t leaf;           /* leaf entry value after A/D handling */
	/* always */
	unsigned n_trail;
	struct pgsim_trail_step trail[PGSIM_MAX_LEVELS];
	unsigned n_written;      /* entries whose A/D/AF bits the walk set */
	/* on failure */
	struct pgsim_fault fault;
};

/* Translate one VA starting at the root table at `root`.  Returns 0 (the
 * outcome, fault or not, is in *t), or -errno for a failure of pgsim itself. */
int pgsim_walk_translate(const struct pgsim_cfg *cfg, struct pgsim_mem *mem,
			 pgsim_pa_t root, pgsim_va_t va,
			 const struct pgsim_walk_req *req, struct pgsim_translation *t);

/* One mapping (or run of mappings) found by a range walk. */
struct pgsim_range {
	pgsim_va_t va, last;     /* inclusive */
	pgsim_pa_t pa;           /* physical address of va */
	unsigned page_lg2;       /* page size of the run's pages */
	int level;               /* leaf level */
	unsigned perms;          /* PGSIM_P_* */
	uint64_t leaf;           /* first leaf entry of the run */
	char attrs[64];          /* arch attribute text (leaf_attrs) */
	uint64_t pages;          /* number of leaves merged */
};

/* Something a range walk found that the hardware would fault on, or that
 * it refused to follow. */
enum pgsim_anomaly_kind {
	PGSIM_ANOMALY_RESERVED,   /* entry with reserved bits/encoding set */
	PGSIM_ANOMALY_ADDR_SIZE,  /* output address too wide */
	PGSIM_ANOMALY_BUS,        /* table outside RAM */
	PGSIM_ANOMALY_CYCLE,      /* table already on the current path: not descended */
};

struct pgsim_anomaly {
	enum pgsim_anomaly_kind kind;
	pgsim_va_t va, last;     /* VA range the entry covers */
	int level;
	pgsim_pa_t entry_pa;
	uint64_t value;
	pgsim_pa_t target;       /* table address involved */
};

/* Callbacks return 0 to continue, >0 to stop the walk (returned), <0 error. */
struct pgsim_range_cb {
	int (*range)(void *ctx, const struct pgsim_range *r);
	int (*anomaly)(void *ctx, const struct pgsim_anomaly *a);
	/* every present entry, depth first (NULL to skip): used by vmprint */
	int (*entry)(void *ctx, int depth, unsigned index, int level,
		     pgsim_pa_t entry_pa, uint64_t value, enum pgsim_entry_kind kind,
		     pgsim_va_t va);
	void *ctx;
};

struct pgsim_range_opts {
	pgsim_va_t va, last;     /* inclusive range; canonical VAs */
	bool merge;              /* merge contiguous runs with equal attributes */
	uint64_t max_visits;     /* entry-read budget; 0 = default (1 << 26) */
};

/* Walk every mapping whose VA lies in [opts->va, opts->last], in VA order.
 * Returns 0, the >0 value a callback stopped with, a callback's <0 error,
 * or -E2BIG when the visit budget ran out (hostile sharing of tables). */
int pgsim_walk_range(const struct pgsim_cfg *cfg, struct pgsim_mem *mem,
		     pgsim_pa_t root, const struct pgsim_range_opts *opts,
		     const struct pgsim_range_cb *cb);

#endif
