/* pgsim: scenario operations of the sel4utils vspace model -- the keys of
 * each operation and the prepare pass (names defined before they are
 * used).  The run functions are in engine_vspace.c. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "engine_vspace.h"

static const char *const vka_choices[] = { "preserve", "free", NULL };
static const char *const print_choices[] = { "summary", "reconciliation", "invariants", NULL };

#define K_VS { .name = "vspace", .type = PGSIM_SCN_T_STR, .required = true }
#define K_VA(n, r) { .name = n, .type = PGSIM_SCN_T_VA, .required = r }
#define K_NUM(n, r) { .name = n, .type = PGSIM_SCN_T_NUM, .required = r }
#define K_BOOL(n) { .name = n, .type = PGSIM_SCN_T_BOOL }
#define K_STR(n, r) { .name = n, .type = PGSIM_SCN_T_STR, .required = r }
/* a bound on per-page loops a scenario can ask for (2^24 pages) */
#define K_PAGES { .name = "pages", .type = PGSIM_SCN_T_NUM, .max = 1u << 24 }
#define K_BYTES K_NUM("bytes", false)
#define K_BITS { .name = "size_bits", .type = PGSIM_SCN_T_NUM, .max = 40 }
#define K_RIGHTS { .name = "rights", .type = PGSIM_SCN_T_RIGHTS }
#define K_CACHE K_BOOL("cacheable")
#define K_RES(r) K_STR("res", r)
#define K_AS K_STR("as", false)
#define K_VKA { .name = "vka", .type = PGSIM_SCN_T_CHOICE, .choices = vka_choices }

static const struct pgsim_scn_key seg_keys[] = {
	K_VA("vaddr", true), K_NUM("memsz", true), K_NUM("filesz", false),
	K_STR("flags", false), { .name = "fill", .type = PGSIM_SCN_T_NUM, .max = 255 }, { 0 }
};
static const struct pgsim_scn_key cres_keys[] = {
	K_VA("vaddr", true), K_BYTES, K_PAGES, K_RIGHTS, K_CACHE, { 0 }
};
#define K_SEGS { .name = "segments", .type = PGSIM_SCN_T_MAPS, .sub = seg_keys, .max = 16 }

const struct pgsim_scn_key eng_vsk_sel4utils[] = {
	K_BOOL("ndebug"), K_NUM("first_cptr", false), { .name = "untyped", .type = PGSIM_SCN_T_CAP },
	{ .name = "shadow_levels", .type = PGSIM_SCN_T_NUM, .max = PGSIM_MAX_LEVELS },
	{ .name = "shadow_level_bits", .type = PGSIM_SCN_T_NUM, .max = 12 }, { 0 }
};
const struct pgsim_scn_key eng_vsk_vspace_bootstrap[] = {
	K_STR("name", true), { .name = "root", .type = PGSIM_SCN_T_CAP },
	{ .name = "image", .type = PGSIM_SCN_T_NUMS, .max = 2 },
	{ .name = "frames", .type = PGSIM_SCN_T_NUMS, .max = 64 }, { 0 }
};
const struct pgsim_scn_key eng_vsk_get_vspace[] = {
	K_STR("name", true), K_STR("loader", true), { .name = "root", .type = PGSIM_SCN_T_CAP },
	K_BOOL("empty"), { 0 }
};
const struct pgsim_scn_key eng_vsk_configure_process[] = {
	K_STR("name", true), K_STR("spawner", true), K_SEGS, K_BOOL("elf_load"),
	{ .name = "stack_pages", .type = PGSIM_SCN_T_NUM, .max = 1u << 24 }, K_BOOL("ipc_buffer"), K_BOOL("stack"),
	{ .name = "reservations", .type = PGSIM_SCN_T_MAPS, .sub = cres_keys, .max = 4 }, { 0 }
};
const struct pgsim_scn_key eng_vsk_elf_load[] = {
	K_VS, K_STR("loader", true), K_SEGS, K_BOOL("keep_regions"), { 0 }
};
const struct pgsim_scn_key eng_vsk_reserve_range[] = {
	K_VS, K_BYTES, K_PAGES, K_BITS, K_RIGHTS, K_CACHE, K_BOOL("no_alloc"), K_AS, { 0 }
};
const struct pgsim_scn_key eng_vsk_reserve_range_at[] = {
	K_VS, K_VA("vaddr", true), K_BYTES, K_PAGES, K_RIGHTS, K_CACHE, K_BOOL("no_alloc"), K_AS, { 0 }
};
const struct pgsim_scn_key eng_vsk_reserve_deferred_rights_range_at[] = {
	K_VS, K_VA("vaddr", true), K_BYTES, K_PAGES, K_CACHE, K_AS, { 0 }
};
const struct pgsim_scn_key eng_vsk_free_reservation[] = {
	K_VS, K_RES(false), K_VA("vaddr", false), { 0 }
};
const struct pgsim_scn_key eng_vsk_move_resize_reservation[] = {
	K_VS, K_RES(true), K_VA("vaddr", true), K_BYTES, K_PAGES, { 0 }
};
const struct pgsim_scn_key eng_vsk_new_pages[] = {
	K_VS, K_PAGES, K_BITS, K_RIGHTS, { 0 }
};
const struct pgsim_scn_key eng_vsk_new_pages_at_vaddr[] = {
	K_VS, K_VA("vaddr", true), K_PAGES, K_BITS, K_RES(true), K_BOOL("can_use_dev"), { 0 }
};
#define K_CAPS { .name = "caps", .type = PGSIM_SCN_T_CAPS, .required = true, .max = 64 }
#define K_COOKIES { .name = "cookies", .type = PGSIM_SCN_T_NUMS, .max = 64 }
const struct pgsim_scn_key eng_vsk_map_pages[] = {
	K_VS, K_CAPS, K_COOKIES, K_BITS, K_RIGHTS, K_CACHE, { 0 }
};
const struct pgsim_scn_key eng_vsk_map_pages_at_vaddr[] = {
	K_VS, K_CAPS, K_COOKIES, K_VA("vaddr", true), K_BITS, K_RES(true), K_RIGHTS,
	K_BOOL("deferred"), { 0 }
};
const struct pgsim_scn_key eng_vsk_unmap_pages[] = {
	K_VS, K_VA("vaddr", true), K_PAGES, K_BITS, K_VKA, { 0 }
};
const struct pgsim_scn_key eng_vsk_get_cap[] = { K_VS, K_VA("vaddr", true), { 0 } };
const struct pgsim_scn_key eng_vsk_get_cookie[] = { K_VS, K_VA("vaddr", true), { 0 } };
const struct pgsim_scn_key eng_vsk_share_mem[] = {
	K_STR("from", true), K_STR("to", true), K_VA("start", true), K_PAGES, K_BITS, K_RIGHTS,
	K_CACHE, { 0 }
};
const struct pgsim_scn_key eng_vsk_share_mem_at_vaddr[] = {
	K_STR("from", true), K_STR("to", true), K_VA("start", true), K_PAGES, K_BITS,
	K_VA("vaddr", true), K_RES(true), { 0 }
};
const struct pgsim_scn_key eng_vsk_tear_down[] = { K_VS, K_VKA, { 0 } };
const struct pgsim_scn_key eng_vsk_new_ipc_buffer[] = { K_VS, { 0 } };
const struct pgsim_scn_key eng_vsk_free_ipc_buffer[] = { K_VS, K_VA("vaddr", true), { 0 } };
const struct pgsim_scn_key eng_vsk_new_sized_stack[] = { K_VS, K_PAGES, { 0 } };
const struct pgsim_scn_key eng_vsk_free_sized_stack[] = {
	K_VS, K_VA("top", true), K_PAGES, { 0 }
};
const struct pgsim_scn_key eng_vsk_new_pages_with_config[] = {
	K_VS, K_VA("vaddr", false), K_PAGES, K_BITS, K_RIGHTS, K_BOOL("can_use_dev"), { 0 }
};
const struct pgsim_scn_key eng_vsk_spawn[] = {
	K_STR("process", true), K_STR("spawner", true),
	{ .name = "argv", .type = PGSIM_SCN_T_STRS, .max = 16 }, { 0 }
};
/* Another party's seL4 call on the frame cap the shadow holds at vaddr. */
const struct pgsim_scn_key eng_vsk_unmap_cap_at[] = { K_VS, K_VA("vaddr", true), { 0 } };
const struct pgsim_scn_key eng_vsk_delete_cap_at[] = { K_VS, K_VA("vaddr", true), { 0 } };
const struct pgsim_scn_key eng_vsk_vspace_print[] = {
	K_VS, { .name = "what", .type = PGSIM_SCN_T_CHOICE, .choices = print_choices, .required = true },
	{ 0 }
};

/* ---- prepare: names are defined before they are used ------------------------------- */

static bool has(const char *const *v, unsigned n, const char *s)
{
	for (unsigned i = 0; i < n; i++)
		if (!strcmp(v[i], s))
			return true;
	return false;
}

static int add_name(const char ***v, unsigned *n, const char *s)
{
	const char **p = realloc(*v, (*n + 1) * sizeof *p);
	if (!p)
		return -ENOMEM;
	p[(*n)++] = s;
	*v = p;
	return 0;
}

static void need(struct pgsim_scn_diags *d, const struct pgsim_scn_step *st, const char *key,
		 const char *const *v, unsigned n, const char *what)
{
	const struct pgsim_scn_node *x = eng_arg(st, key);
	if (!x || has(v, n, x->text))
		return;
	const char *h = pgsim_scn_suggest(x->text, v, n);
	pgsim_scn_diag_add(d, x->mark, "%s.%s: no %s named '%.40s' before this step%s%s%s", st->op->name,
			   key, what, x->text, h ? " (did you mean '" : "", h ? h : "", h ? "'?)" : "");
}

void eng_vs_prepare(struct pgsim_engine *e, const struct pgsim_scn_step *st, struct pgsim_scn_diags *d)
{
	struct eng_vs *v = eng_vs_state(e);
	const char *op = st->op->name;
	if (!v)
		return;
	need(d, st, "vspace", v->vs_names, v->n_vs, "vspace");
	need(d, st, "loader", v->vs_names, v->n_vs, "vspace");
	need(d, st, "spawner", v->vs_names, v->n_vs, "vspace");
	need(d, st, "from", v->vs_names, v->n_vs, "vspace");
	need(d, st, "to", v->vs_names, v->n_vs, "vspace");
	need(d, st, "res", v->res_names, v->n_rn, "reservation");
	need(d, st, "process", v->proc_names, v->n_pn, "process");
	const struct pgsim_scn_node *n = eng_arg(st, "name");
	if (n && (!strcmp(op, "vspace_bootstrap") || !strcmp(op, "get_vspace") ||
		  !strcmp(op, "configure_process"))) {
		if (has(v->vs_names, v->n_vs, n->text))
			pgsim_scn_diag_add(d, n->mark, "%s.name: a vspace named '%.40s' exists already",
					   op, n->text);
		else if (add_name(&v->vs_names, &v->n_vs, n->text))
			return;
		if (!strcmp(op, "configure_process"))
			add_name(&v->proc_names, &v->n_pn, n->text);
		/* the root's slot, for kernel and memory steps */
		if (strcmp(op, "get_vspace") || !eng_arg(st, "root")) {
			char *slot = malloc(strlen(n->text) + 6);
			if (slot) {
				sprintf(slot, "%s.root", n->text);
				if (eng_names_add(&e->names, slot) == 0)
					add_name(&v->owned, &v->n_owned, slot);
				else
					free(slot);
			}
		}
	}
	const struct pgsim_scn_node *as = eng_arg(st, "as");
	if (as && !has(v->res_names, v->n_rn, as->text))
		add_name(&v->res_names, &v->n_rn, as->text);
	if (!strcmp(op, "sel4utils") && (v->n_vs || st->index != 1))
		pgsim_scn_diag_add(d, st->mark, "sel4utils: must be the first step (it sets up the "
				   "library's build before any vspace exists)");
}

