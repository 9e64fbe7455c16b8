/* pgsim: the invariant checker.
 *
 * A table of named invariants, each a function over up to four views of
 * one machine:
 *   R  the reservation list of each sel4utils vspace   (pgsim/vspace.h)
 *   S  its shadow page table                            (pgsim/vspace.h)
 *   K  the seL4 kernel model's caps and ASIDs           (pgsim/kernel.h)
 *   H  the page tables in simulated memory, read only by the reference
 *      walker                                           (pgsim/walk.h)
 * The checker is the only module that looks at a model and the walker
 * together.  The IDs of spec/sel4utils-vspace.md section 3 compare R, S
 * and K/H; CAP-WALK, LEAF-CAP and TABLE-CAP compare K with H and need no
 * vspace model (they run on any kernel scenario).
 *
 * A violation names its ID, the vspace, an inclusive VA range (adjacent
 * pages with the same cause are merged), what each view says there, the
 * operation history that produced the state when the model knows it, and
 * whether a known library path produces it by design (the spec's "NOT
 * maintained" paths: ELF loading dropping its reservations, the kernel
 * region marks, free_reservation stopping early ...) -- `cause` says
 * which.  docs/invariants.md lists every ID.
 */
#ifndef PGSIM_CHECK_H
#define PGSIM_CHECK_H

#include <stdio.h>

#include "pgsim/kernel.h"
#include "pgsim/vspace.h"
#include "pgsim/walk.h"

struct pgsim_chk_ctx {
	const struct pgsim_cfg *cfg;
	struct pgsim_mem *mem;
	struct pgsim_kernel *k;
	const struct pgsim_vs_env *env;   /* NULL: only the K-vs-H checks */
};

/* What an invariant compares. */
enum pgsim_chk_views {
	PGSIM_CHK_R = 1u << 0,
	PGSIM_CHK_S = 1u << 1,
	PGSIM_CHK_K = 1u << 2,
	PGSIM_CHK_H = 1u << 3,
};

struct pgsim_chk_def {
	const char *id;             /* "RES-COVERED" */
	unsigned views;             /* PGSIM_CHK_* */
	bool needs_vspace;          /* needs the sel4utils model */
	const char *statement;      /* one sentence */
	const char *broken_by;      /* library paths that break it by design ("" none) */
};

unsigned pgsim_chk_count(void);
const struct pgsim_chk_def *pgsim_chk_def(unsigned i);
/* Index of an ID (case-insensitive), or -1. */
int pgsim_chk_find(const char *id);

struct pgsim_chk_violation {
	const char *id;
	unsigned index;             /* into the table */
	char vspace[32];            /* "" for a kernel-level violation */
	uint32_t asid;              /* K/H checks: the address space */
	pgsim_va_t va, last;        /* inclusive */
	uint64_t pages;             /* 4 KiB pages (or entries) in the range */
	bool by_design;             /* a known library path produces this */
	char cause[200];            /* why: the path, or what makes it a corruption */
	/* what each view says (at va) */
	char res[160];
	char shadow[160];
	char cap[200];
	char walker[160];
	char history[240];          /* the operation(s) that produced it, when known */
};

struct pgsim_chk_opts {
	uint64_t only;              /* bit i = table index i; 0 = every invariant */
	unsigned max_violations;    /* 0 = 4096 (later ones are counted in dropped) */
};

struct pgsim_chk_result {
	unsigned n;
	struct pgsim_chk_violation *v;
	unsigned dropped;
	uint64_t fired;             /* bit i: invariant i has a violation */
	uint64_t fired_not_by_design;
};

/* Run the invariants.  Returns 0 (whatever was found), or -errno
 * (-ENOMEM, or a walker failure on hostile tables). */
int pgsim_chk_run(const struct pgsim_chk_ctx *ctx, const struct pgsim_chk_opts *o,
		  struct pgsim_chk_result *res);
void pgsim_chk_result_free(struct pgsim_chk_result *res);

/* "RES-COVERED" for each bit, comma separated. */
void pgsim_chk_ids_str(uint64_t bits, char *buf, size_t len);
/* One block per violation, then a count line. */
void pgsim_chk_print(FILE *f, const struct pgsim_chk_result *res);

/* Does the hardware agree with the shadow at va of vs?  Fills a short
 * description of what the walker and the kernel say; used by the
 * reconciliation report. */
bool pgsim_chk_hw_agrees(const struct pgsim_chk_ctx *ctx, const struct pgsim_vs *vs, pgsim_va_t va,
			 char *buf, size_t len);

#endif
