/* pgsim: internals of the invariant checker (src/check*.c). */
#ifndef PGSIM_CHECK_IMPL_H
#define PGSIM_CHECK_IMPL_H

#include "pgsim/check.h"

#define CHK_PAGE 0x1000ull

/* One run of the shadow as pgsim_vs_visit reports it. */
struct chk_srun {
	uint64_t va, pages;
	struct pgsim_vs_slot s;
};

/* A reservation interval, widened to whole pages (a page overlapping the
 * node counts as inside it). */
struct chk_rint {
	uint64_t lo, hi;            /* [lo, hi) */
	const struct pgsim_vs_res *r;
};

/* What the checker gathers once per vspace. */
struct chk_vs {
	const struct pgsim_vs *vs;
	struct pgsim_vs_info info;
	struct chk_srun *runs;
	size_t n_runs, max_runs;
	struct chk_rint *ri;        /* sorted by lo */
	unsigned n_ri;
	bool list_ok;               /* the list ended within the bound */
	bool have_root;
	pgsim_pa_t root_pa;
	uint32_t asid;
};

struct chk_run {
	const struct pgsim_chk_ctx *ctx;
	struct pgsim_chk_result *res;
	unsigned max, cap;
	int err;
	struct chk_vs *vss;
	unsigned n_vss;
	struct pgsim_vs_consts c;
	/* the kernel's caps: mapped frames sorted by (asid, vaddr), mapped
	 * paging structures, assigned roots */
	struct pgsim_kcap_info *frames, *tables, *roots;
	unsigned n_frames, n_tables, n_roots;
};

typedef void (*chk_fn)(struct chk_run *r, unsigned idx);

/* check.c */
/* Record a violation (merged with the previous one when it continues it:
 * same invariant, vspace, asid, classification and cause). */
void chk_add(struct chk_run *r, unsigned idx, const struct chk_vs *v, uint32_t asid,
	     uint64_t va, uint64_t last, uint64_t pages, bool by_design, const char *cause,
	     const struct pgsim_chk_violation *views);
/* Fill the view texts for va of v (slot may be NULL: looked up). */
void chk_views(struct chk_run *r, const struct chk_vs *v, uint64_t va, const struct pgsim_vs_slot *slot,
	       struct pgsim_chk_violation *out);
void chk_view_cap(struct chk_run *r, uint64_t cptr, char *buf, size_t len);
void chk_view_kcap(const struct pgsim_kcap_info *ki, char *buf, size_t len);
void chk_view_walk(struct chk_run *r, pgsim_pa_t root, uint64_t va, char *buf, size_t len);
/* The outermost operation of an event: "configure_process child". */
void chk_top_op(const struct pgsim_vs_env *env, uint32_t ev, char *buf, size_t len);
/* The covering reservation interval of va, or NULL. */
const struct chk_rint *chk_ri_find(const struct chk_vs *v, uint64_t va);
/* The kernel cap a vka CPtr names (0, or -ENOENT). */
int chk_kcap(struct chk_run *r, uint64_t cptr, struct pgsim_kcap_info *ki);
/* Translate va under root: user read first, then supervisor read. */
bool chk_translate(struct chk_run *r, pgsim_pa_t root, uint64_t va, struct pgsim_translation *t);
/* The vm rights of a successful translation (user R/W bits). */
enum pgsim_vm_rights chk_walk_rights(const struct pgsim_translation *t);

/* check_res.c: reservation list and shadow-vs-reservation invariants */
void chk_res_align(struct chk_run *r, unsigned idx);
void chk_res_order(struct chk_run *r, unsigned idx);
void chk_res_disjoint(struct chk_run *r, unsigned idx);
void chk_res_covered(struct chk_run *r, unsigned idx);
void chk_reserved_in_res(struct chk_run *r, unsigned idx);
void chk_mapped_in_res(struct chk_run *r, unsigned idx);
void chk_res_rights(struct chk_run *r, unsigned idx);
void chk_deferred_excl(struct chk_run *r, unsigned idx);
void chk_sentinel_wf(struct chk_run *r, unsigned idx);
void chk_kernel_reserved(struct chk_run *r, unsigned idx);
void chk_hint(struct chk_run *r, unsigned idx);
void chk_geometry(struct chk_run *r, unsigned idx);

/* check_shadow.c: shadow against caps and hardware */
void chk_large_replica(struct chk_run *r, unsigned idx);
void chk_cookie_ownership(struct chk_run *r, unsigned idx);
void chk_cap_unique(struct chk_run *r, unsigned idx);
void chk_shadow_backed(struct chk_run *r, unsigned idx);
void chk_no_ghosts(struct chk_run *r, unsigned idx);
void chk_pt_untracked(struct chk_run *r, unsigned idx);

/* check_hw.c: kernel caps against the walker */
void chk_cap_walk(struct chk_run *r, unsigned idx);
void chk_leaf_cap(struct chk_run *r, unsigned idx);
void chk_table_cap(struct chk_run *r, unsigned idx);
/* Walk the user part of a root (kernel root entries skipped). */
int chk_walk_user(struct chk_run *r, pgsim_pa_t root, const struct pgsim_range_cb *cb);
/* The mapped frame cap of asid at va (exact base), or -ENOENT. */
int chk_frame_at(struct chk_run *r, uint32_t asid, uint64_t va, struct pgsim_kcap_info *ki);
/* A frame cap of asid whose mapping covers va and whose frame holds pa
 * (several caps can claim one address after a silent x86 overwrite). */
int chk_frame_with(struct chk_run *r, uint32_t asid, uint64_t va, pgsim_pa_t pa, struct pgsim_kcap_info *ki);

#endif
