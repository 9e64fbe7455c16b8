/* pgsim: scenario operations of the sel4utils vspace model
 * (src/engine_vspace.c), registered in engine_ops.c's table through
 * ENG_VSPACE_OPS.  docs/invariants.md ("Scenario keys") documents them. */
#ifndef PGSIM_ENGINE_VSPACE_H
#define PGSIM_ENGINE_VSPACE_H

#include "engine_impl.h"
#include "pgsim/vspace.h"

/* X(name): one row per operation; the step op's name is the library
 * function it models. */
#define ENG_VSPACE_LIST(X)                                                     \
	X(sel4utils) X(vspace_bootstrap) X(get_vspace) X(configure_process)    \
	X(elf_load) X(reserve_range) X(reserve_range_at)                       \
	X(reserve_deferred_rights_range_at) X(free_reservation)                \
	X(move_resize_reservation) X(new_pages) X(new_pages_at_vaddr)          \
	X(map_pages) X(map_pages_at_vaddr) X(unmap_pages) X(get_cap)           \
	X(get_cookie) X(share_mem) X(share_mem_at_vaddr) X(tear_down)          \
	X(new_ipc_buffer) X(free_ipc_buffer) X(new_sized_stack)                \
	X(free_sized_stack) X(new_pages_with_config) X(spawn) X(vspace_print)  \
	X(unmap_cap_at) X(delete_cap_at)

#define ENG_VS_DECL(n) extern const struct pgsim_scn_key eng_vsk_##n[];
ENG_VSPACE_LIST(ENG_VS_DECL)
#undef ENG_VS_DECL

extern const struct eng_op eng_vs_op;

#define ENG_VS_ROW(n) { #n, eng_vsk_##n, NULL, &eng_vs_op },
/* The rows to put in the engine's op table. */
#define ENG_VSPACE_OPS ENG_VSPACE_LIST(ENG_VS_ROW)

/* A reservation named by the `as:` of the step that made it. */
struct eng_vs_name {
	const char *name;
	struct pgsim_vs_res *res;
};

/* The sel4utils model's state in one engine (pgsim_engine.vs). */
struct eng_vs {
	struct pgsim_vs_env *env;
	struct pgsim_vs_env_opts opts;
	struct eng_vs_name *res;       /* named reservations */
	unsigned n_res, max_res;
	/* prepare: names defined so far */
	const char **vs_names, **res_names, **proc_names;
	unsigned n_vs, n_rn, n_pn;
	const char **owned;            /* strings allocated here (root slot names) */
	unsigned n_owned;
};

/* engine_vspace.c */
struct eng_vs *eng_vs_state(struct pgsim_engine *e);
/* engine_vspace_prep.c */
void eng_vs_prepare(struct pgsim_engine *e, const struct pgsim_scn_step *st, struct pgsim_scn_diags *d);

/* The model's environment of a running scenario (NULL when no vspace op
 * ran yet), for the check step. */
const struct pgsim_vs_env *eng_vs_env(const struct pgsim_engine *e);
/* Does the scenario have a sel4utils step (so the model will exist)? */
bool eng_vs_in_scenario(const struct pgsim_scn *s);
void eng_vs_free(struct pgsim_engine *e);
/* The invariants a check step counts: those violated not by design, plus
 * the `strict:` ones violated at all, minus the `allow:` ones. */
struct pgsim_chk_result;
uint64_t eng_vs_counted(const struct pgsim_scn_step *st, const struct pgsim_chk_result *res);

#endif
