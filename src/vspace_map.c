/* pgsim: sel4utils vspace model -- mapping and unmapping.
 *
 * sel4utils_map_page (libsel4utils mapping.c) with libsel4vspace's
 * vspace_get_map_obj: Page_Map; while it answers FailedLookup, turn the
 * failed level into the missing paging structure, allocate it from the
 * vka (Untyped_Retype), map it (a DeleteFirst there means it is already
 * in place: the new object is freed), and try the page again.  Above it
 * the vspace.c functions: new_pages, new_pages_at_vaddr, map_pages,
 * map_pages_at_vaddr, the deferred-rights map, unmap_pages and
 * share_mem_at_vaddr, each with its error paths as the library has them.
 */
#include <errno.h>
#include <string.h>

#include "vspace_impl.h"


/* vspace_get_map_obj: the paging structure whose absence a failed level
 * of `bits` reports -- the table at the hardware level L with
 * shift(L) + index_bits(L) == bits (x86_64 21/30/39 -> PT/PD/PDPT, ia32
 * 22 -> PT, AArch64 and RISC-V: their one PageTable type). */
static const struct pgsim_ktype_info *map_obj_type(const struct pgsim_vs_env *env, unsigned bits)
{
	const struct pgsim_cfg *cfg = env->cfg;
	int lvl = -2;
	for (int l = 0; l < cfg->top_level; l++)
		if (cfg->arch->level[l].shift + pgsim_level_index_bits(cfg, l) == bits)
			lvl = l;
	if (lvl < 0)
		return NULL;
	for (unsigned i = 0; i < pgsim_kernel_n_types(env->k); i++) {
		const struct pgsim_ktype_info *t = pgsim_kernel_type(env->k, i);
		if (t->kind == PGSIM_KOBJ_TABLE && (t->level == lvl || t->level == -1))
			return t;
	}
	return NULL;
}

static int kmap(struct pgsim_vs_env *env, uint64_t cap, uint64_t root, uint64_t vaddr,
		unsigned rights, uint64_t attr, const char *what, struct pgsim_kres *r)
{
	char cs[64], rs[64];
	vs_slot(env, cap, cs, sizeof cs);
	vs_slot(env, root, rs, sizeof rs);
	int rc = pgsim_kernel_map(env->k, cs, rs, vaddr, rights, attr, r);
	if (rc) {
		vs_fail_pgsim(env, rc, what);
		return -1;
	}
	if (env->out)
		env->out->n_calls++;
	vs_note_kres(env, r);
	if (env->trace) {
		char b[160];
		pgsim_kres_str(r, b, sizeof b);
		fprintf(env->trace, "    %s(%s, %s, 0x%llx) = %s\n", what, cs, rs,
			(unsigned long long)vaddr, b);
	}
	return 0;
}

int vs_sel4_map_page(struct pgsim_vs_env *env, uint64_t root, uint64_t frame, uint64_t vaddr,
		     unsigned rights, bool cacheable, uint64_t *objs, unsigned *n_objs)
{
	*n_objs = 0;
	if (!root)
		return EINVAL;
	uint64_t attr = cacheable ? env->c.default_attr : env->c.uncached_attr;
	struct pgsim_kres r;
	if (kmap(env, frame, root, vaddr, rights, attr, "Page_Map", &r))
		return -1;
	while (r.err == PGSIM_SEL4_FAILED_LOOKUP) {
		const struct pgsim_ktype_info *t = map_obj_type(env, r.bits_left);
		if (!vs_assert(env, t != NULL, "error == 0 (vspace_get_map_obj)"))
			return -1;
		if (!t)
			return EINVAL;
		uint64_t cptr, ut;
		int err = vs_alloc_object(env, t, t->size_lg2, PGSIM_VS_CAP_OBJECT, NULL, &cptr, &ut);
		if (VS_ABORTED(env))
			return -1;
		if (err) {
			vs_log(env, "Mapping structure allocation failed");
			return err;
		}
		if (kmap(env, cptr, root, vaddr, 0, pgsim_kernel_default_attr(env->k), "PageTable_Map", &r))
			return -1;
		if (r.err == PGSIM_SEL4_DELETE_FIRST) {
			/* someone (a recursive allocation) mapped one meanwhile */
			vs_free_object(env, cptr, ut);
		} else {
			if (*n_objs < env->c.map_paging_objects)
				objs[(*n_objs)++] = cptr;
			if (r.err != PGSIM_SEL4_NO_ERROR) {
				vs_log(env, "Failed to map page table %d", (int)r.err);
				return (int)r.err;
			}
		}
		if (kmap(env, frame, root, vaddr, rights, attr, "Page_Map", &r))
			return -1;
	}
	if (r.err != PGSIM_SEL4_NO_ERROR)
		vs_log(env, "Failed to map page at address 0x%llx with cap 0x%llx, error: %d",
		       (unsigned long long)vaddr, (unsigned long long)frame, (int)r.err);
	return (int)r.err;
}

void vs_allocated_object(struct pgsim_vs *vs, uint64_t cptr)
{
		/* vspace_maybe_call_allocated_object: only with a callback */
	if (vs->proc && vs_proc_add_object(vs->proc, cptr))
		vs_fail_pgsim(vs->env, -ENOMEM, "allocated object list");
}

static void note_mapped(struct pgsim_vs *vs, uint64_t cap, uint64_t vaddr, unsigned size_bits)
{
	struct vs_cap *c = vs_cap_get(vs->env, cap);
	if (!c)
		return;
	c->mapped_vs = vs;
	c->mapped_va = vaddr;
	c->mapped_lg2 = size_bits;
	c->mapped_by = vs->env->cur;
	c->unmapped_by = 0;
	c->in_shadow = false;
	c->hw_only = NULL;
}

/* Record whether update_entries put a mapped cap into the shadow. */
static void note_shadow(struct pgsim_vs *vs, uint64_t cap, bool ok, const char *why)
{
	struct vs_cap *c = vs_cap_get(vs->env, cap);
	if (!c)
		return;
	c->in_shadow = ok;
	c->hw_only = ok ? NULL : why;
}

int vs_map_page(struct pgsim_vs *vs, uint64_t cap, uint64_t vaddr, unsigned rights, bool cacheable,
		unsigned size_bits)
{
	uint64_t objs[PGSIM_MAX_LEVELS + 1];
	unsigned n = 0;
	int err = vs_sel4_map_page(vs->env, vs->root_cptr, cap, vaddr, rights, cacheable, objs, &n);
	if (VS_ABORTED(vs->env))
		return -1;
	if (err) {
		/* "everything has gone to hell. Do no clean up." */
		vs_log(vs->env, "Error mapping pages, bailing: %d", err);
		return -1;
	}
	for (unsigned i = 0; i < n; i++)
		vs_allocated_object(vs, objs[i]);
	note_mapped(vs, cap, vaddr, size_bits);
	return 0;
}

/* new_pages_at_vaddr (static in vspace.c). */
static int new_pages_loop(struct pgsim_vs *vs, uint64_t vaddr, uint64_t n, unsigned size_bits,
			  unsigned rights, bool cacheable)
{
	struct pgsim_vs_env *env = vs->env;
	uint64_t start = vaddr;
	int error = 0;
	uint64_t i;
	for (i = 0; i < n; i++) {
		uint64_t cptr, ut;
		if (vs_alloc_object(env, vs_frame_type(env, size_bits), size_bits, PGSIM_VS_CAP_LIB_FRAME,
				    vs, &cptr, &ut)) {
			if (VS_ABORTED(env))
				return -1;
			vs_log(env, "Failed to allocate page number: %llu out of %llu",
			       (unsigned long long)i, (unsigned long long)n);
			error = PGSIM_SEL4_NOT_ENOUGH_MEMORY;
			break;
		}
		error = vs_map_page(vs, cptr, vaddr, rights, cacheable, size_bits);
		if (VS_ABORTED(env))
			return -1;
		if (error == 0) {
			error = vs_update_entries(vs, vaddr, cptr, size_bits, ut);
			if (VS_ABORTED(env))
				return -1;
			note_shadow(vs, cptr, error == 0,
				    i + 1 < n ? "update_entries failed in new_pages_at_vaddr and the next "
						"page overwrote the error"
					  : "update_entries failed in new_pages_at_vaddr");
			vaddr += 1ull << size_bits;
		} else {
			vs_free_object(env, cptr, ut);
			break;
		}
	}
	if (i < n)
		vs_unmap_pages(vs, start, i, size_bits, true);
	return error;
}

uint64_t vs_new_pages(struct pgsim_vs *vs, unsigned rights, uint64_t n, unsigned size_bits)
{
	struct pgsim_vs_env *env = vs->env;
	uint32_t p = vs_op_push(env, vs, "new_pages", "%llu x %u bits", (unsigned long long)n, size_bits);
	uint32_t save = env->ctx_res;
	env->ctx_res = 0;
	uint64_t ret = 0;
	/* vspace_new_pages' own checks, then sel4utils_new_pages */
	if (n == 0) {
		vs_log(env, "Called with num_pages == 0. Intentional?");
	} else if (!vs_valid_size_bits(env, size_bits)) {
		vs_log(env, "Invalid size_bits %u", size_bits);
	} else {
		ret = vs_find_range(vs, n, size_bits);
		if (ret && !VS_ABORTED(env)) {
			int err = new_pages_loop(vs, ret, n, size_bits, rights, true);
			if (err && !VS_ABORTED(env)) {
				if (vs_clear_entries_range(vs, ret, ret + (1ull << size_bits), false))
					vs_log(env, "FATAL: Failed to clear VMM metadata for vmem @0x%llx",
					       (unsigned long long)ret);
				ret = 0;
			}
		}
	}
	env->ctx_res = save;
	vs_op_pop(env, p);
	return VS_ABORTED(env) ? 0 : ret;
}

int vs_new_pages_at_vaddr(struct pgsim_vs *vs, uint64_t vaddr, uint64_t n, unsigned size_bits,
			  struct pgsim_vs_res *res, bool can_use_dev)
{
	(void)can_use_dev; /* one kind of untyped in the model */
	struct pgsim_vs_env *env = vs->env;
	if (!vs_check_reservation(vs, res, vaddr, VS_WORD(vs->env, vaddr + n * (1ull << size_bits)))) {
		if (!VS_ABORTED(env))
			vs_log(env, "Range for vaddr 0x%llx with %llu 4k pages not reserved!",
			       (unsigned long long)vaddr, (unsigned long long)n);
		return -1;
	}
	uint32_t save = env->ctx_res;
	env->ctx_res = res->serial;
	/* rights_deferred is not looked at: a deferred reservation maps
	 * with seL4_NoRights */
	int err = new_pages_loop(vs, vaddr, n, size_bits, res->rights, res->cacheable);
	env->ctx_res = save;
	return err;
}

/* map_pages_at_vaddr (static in vspace.c). */
static int map_pages_loop(struct pgsim_vs *vs, const uint64_t *caps, const uint64_t *cookies,
			  uint64_t vaddr, uint64_t n, unsigned size_bits, unsigned rights, bool cacheable)
{
	int error = 0;
	for (uint64_t i = 0; i < n && error == 0; i++) {
		error = vs_map_page(vs, caps[i], vaddr, rights, cacheable, size_bits);
		if (VS_ABORTED(vs->env))
			return -1;
		if (error == 0) {
			error = vs_update_entries(vs, vaddr, caps[i], size_bits, cookies ? cookies[i] : 0);
			if (VS_ABORTED(vs->env))
				return -1;
			note_shadow(vs, caps[i], error == 0, "update_entries failed in map_pages");
			vaddr += 1ull << size_bits;
		}
	}
	return error;
}

uint64_t vs_map_pages(struct pgsim_vs *vs, const uint64_t *caps, const uint64_t *cookies,
		      unsigned rights, uint64_t n, unsigned size_bits, bool cacheable)
{
	struct pgsim_vs_env *env = vs->env;
	uint32_t p = vs_op_push(env, vs, "map_pages", "%llu x %u bits", (unsigned long long)n, size_bits);
	uint32_t save = env->ctx_res;
	env->ctx_res = 0;
	uint64_t ret = 0;
	if (n == 0) {
		vs_log(env, "Called with num_pages == 0. Intentional?");
	} else if (!vs_valid_size_bits(env, size_bits)) {
		vs_log(env, "Invalid size_bits %u", size_bits);
	} else {
		ret = vs_find_range(vs, n, size_bits);
		if (ret && !VS_ABORTED(env)) {
			int err = map_pages_loop(vs, caps, cookies, ret, n, size_bits, rights, cacheable);
			if (err && !VS_ABORTED(env)) {
				/* clears only the first page: the pages mapped
				 * before the failure stay in H (and in S) */
				if (vs_clear_entries_range(vs, ret, ret + (1ull << size_bits), false))
					vs_log(env, "FATAL: Failed to clear VMM metadata for vmem @0x%llx",
					       (unsigned long long)ret);
				for (uint64_t i = 0; i < n; i++) {
					struct vs_cap *c = vs_cap_get(env, caps[i]);
					if (c && c->mapped_vs == vs && c->mapped_by && !c->unmapped_by &&
					    c->mapped_va == ret)
						note_shadow(vs, caps[i], false,
							    "map_pages failed later and cleared only "
							    "the first page's shadow entry");
				}
				ret = 0;
			}
		}
	}
	env->ctx_res = save;
	vs_op_pop(env, p);
	return VS_ABORTED(env) ? 0 : ret;
}

void vs_unmap_pages(struct pgsim_vs *vs, uint64_t vaddr, uint64_t n, unsigned size_bits, bool free)
{
	struct pgsim_vs_env *env = vs->env;
	uint32_t p = vs_op_push(env, vs, "unmap_pages", "0x%llx %llu x %u bits %s",
				(unsigned long long)vaddr, (unsigned long long)n, size_bits,
				free ? "VSPACE_FREE" : "VSPACE_PRESERVE");
	uint32_t save = env->ctx_res;
	/* the reservation of the FIRST page decides for the whole range */
	struct pgsim_vs_res *reserve = vs_find_reserve(vs, vaddr);
	env->ctx_res = reserve ? reserve->serial : 0;
	if (n == 0) {
		vs_log(env, "Attempt to unmap 0 pages");
	} else if (!vs_valid_size_bits(env, size_bits)) {
		vs_log(env, "Invalid size_bits %u", size_bits);
	} else {
		uint64_t v = vaddr;
		for (uint64_t i = 0; i < n && !VS_ABORTED(env); i++) {
			uint64_t cap = vs_get_cap(vs, v);
			if (cap != 0) {
				int err = vs_page_unmap(env, cap);
				if (VS_ABORTED(env))
					break;
				if (err) {
					vs_log(env, "Failed to unmap page at vaddr 0x%llx",
					       (unsigned long long)v);
					struct vs_cap *c = vs_cap_get(env, cap);
					if (c)
						c->hw_only = "unmap_pages cleared the shadow although "
							     "Page_Unmap failed";
				}
			}
			if (free) {
				uint64_t cookie = vs_get_cookie(vs, v);
				vs_cnode_delete(env, cap);
				vs_cspace_free(env, cap);
				if (cookie)
					vs_utspace_free(env, cookie);
			}
			struct vs_cap *c = vs_cap_get(env, cap);
			if (c)
				c->in_shadow = false;
			if (!reserve)
				vs_clear_entries_range(vs, v, v + (1ull << size_bits), false);
			else
				vs_reserve_entries_range(vs, v, v + (1ull << size_bits), false);
			if (VS_ABORTED(env))
				break;
			if (!vs_assert(env, vs_get_cap(vs, v) != cap, "get_cap(data->top_level, v) != cap"))
				break;
			if (!vs_assert(env, vs_get_cookie(vs, v) == 0, "get_cookie(data->top_level, v) == 0"))
				break;
			v += 1ull << size_bits;
		}
	}
	env->ctx_res = save;
	vs_op_pop(env, p);
}

int vs_share_mem_at_vaddr(struct pgsim_vs *from, struct pgsim_vs *to, uint64_t start, uint64_t n,
			  unsigned size_bits, uint64_t vaddr, struct pgsim_vs_res *res)
{
	struct pgsim_vs_env *env = to->env;
	if (!vs_valid_size_bits(env, size_bits)) {
		vs_log(env, "Invalid size bits %u", size_bits);
		return -1;
	}
	uint32_t save = env->ctx_res;
	int error = 0;
	uint64_t page;
	uint64_t size = 1ull << size_bits;
	for (page = 0; page < n; page++) {
		uint64_t fva = start + page * size, tva = vaddr + page * size;
		/* the internal get_cap: a RESERVED slot passes as a cap */
		uint64_t cap = vs_get_cap(from, fva);
		if (VS_ABORTED(env))
			break;
		if (cap == 0) {
			vs_log(env, "Cap not present in from vspace to copy, vaddr 0x%llx",
			       (unsigned long long)fva);
			error = -1;
			break;
		}
		uint64_t copy;
		if (vs_cspace_alloc(env, &copy)) {
			vs_log(env, "Failed to allocate slot in to cspace");
			error = -1;
			break;
		}
		if (!res) {
			vs_crash(env, "share_mem_at_vaddr dereferences a NULL reservation");
			break;
		}
		error = vs_cnode_copy(env, copy, cap, res->rights);
		if (VS_ABORTED(env))
			break;
		if (error) {
			vs_log(env, "Failed to copy cap, error %d", error);
			break;
		}
		error = vs_map_page(to, copy, tva, res->rights, res->cacheable, size_bits);
		if (VS_ABORTED(env))
			break;
		if (error) {
			vs_log(env, "Failed to map page into target vspace at vaddr 0x%llx",
			       (unsigned long long)tva);
			break;
		}
		env->ctx_res = res->serial;
		/* the result is ignored */
		int uerr = vs_update_entries(to, tva, copy, size_bits, 0);
		env->ctx_res = save;
		note_shadow(to, copy, uerr == 0, "share_mem_at_vaddr ignores update_entries' error");
	}
	env->ctx_res = save;
	if (error && !VS_ABORTED(env) && page > 0)
		vs_unmap_pages(to, vaddr, page, size_bits, true);
	return error;
}

/* ---- public ----------------------------------------------------------------------- */

#define BEGIN(vs, out, op, ...)                                                   \
	struct pgsim_vs_env *env = (vs)->env;                                      \
	vs_out_begin(env, (out));                                                   \
	uint32_t p_ = vs_op_push(env, (vs), (op), __VA_ARGS__);                    \
	if (vs_usable(vs))
/* The same without an event of its own (the inner function pushes one). */
#define BEGIN0(vs, out)                                                           \
	struct pgsim_vs_env *env = (vs)->env;                                      \
	vs_out_begin(env, (out));                                                   \
	uint32_t p_ = env->cur;                                                     \
	if (vs_usable(vs))
#define END()                     \
	vs_op_pop(env, p_);       \
	return vs_out_end(env)

static void set_ret(struct pgsim_vs_env *env, int ret)
{
	env->out->ret = ret;
	if (ret)
		env->out->status = PGSIM_VS_FAILED;
}

int pgsim_vs_new_pages(struct pgsim_vs *vs, unsigned rights, uint64_t n, unsigned size_bits,
		       struct pgsim_vs_out *out)
{
	BEGIN0(vs, out) {
		uint64_t va = vs_new_pages(vs, rights, n, size_bits);
		env->out->vaddr = va;
		set_ret(env, va ? 0 : -1);
	}
	END();
}

int pgsim_vs_new_pages_at_vaddr(struct pgsim_vs *vs, uint64_t vaddr, uint64_t n, unsigned size_bits,
				struct pgsim_vs_res *res, bool can_use_dev, struct pgsim_vs_out *out)
{
	BEGIN(vs, out, "new_pages_at_vaddr", "0x%llx %llu x %u bits", (unsigned long long)vaddr,
	      (unsigned long long)n, size_bits) {
		if (n == 0) {
			vs_log(env, "attempt to create 0 pages");
			set_ret(env, -1);
		} else if (vs_res_usable(vs, res)) {
			if (!res)
				vs_log(env, "reservation is required");
			set_ret(env, vs_new_pages_at_vaddr(vs, vaddr, n, size_bits, res, can_use_dev));
		}
	}
	END();
}

int pgsim_vs_map_pages(struct pgsim_vs *vs, const uint64_t *caps, const uint64_t *cookies,
		       unsigned rights, uint64_t n, unsigned size_bits, bool cacheable,
		       struct pgsim_vs_out *out)
{
	BEGIN0(vs, out) {
		uint64_t va = vs_map_pages(vs, caps, cookies, rights, n, size_bits, cacheable);
		env->out->vaddr = va;
		set_ret(env, va ? 0 : -1);
	}
	END();
}

static int map_at(struct pgsim_vs *vs, const uint64_t *caps, const uint64_t *cookies, uint64_t vaddr,
		  uint64_t n, unsigned size_bits, struct pgsim_vs_res *res, bool deferred,
		  unsigned rights)
{
	struct pgsim_vs_env *env = vs->env;
	if (n == 0) {
		vs_log(env, "Attempt to map 0 pages");
		return -1;
	}
	if (!vs_valid_size_bits(env, size_bits)) {
		vs_log(env, "Invalid size_bits %u", size_bits);
		return -1;
	}
	if (!vs_check_reservation(vs, res, vaddr, VS_WORD(vs->env, vaddr + n * (1ull << size_bits)))) {
		if (!VS_ABORTED(env))
			vs_log(env, "Invalid reservation");
		return -1;
	}
	if (!deferred && res->rights_deferred) {
		vs_log(env, "Reservation has no rights associated with it");
		return -1;
	}
	if (deferred && !res->rights_deferred) {
		vs_log(env, "Invalid rights: rights already given to reservation");
		return -1;
	}
	uint32_t save = env->ctx_res;
	env->ctx_res = res->serial;
	int err = map_pages_loop(vs, caps, cookies, vaddr, n, size_bits, deferred ? rights : res->rights,
				 res->cacheable);
	env->ctx_res = save;
	return err;
}

int pgsim_vs_map_pages_at_vaddr(struct pgsim_vs *vs, const uint64_t *caps, const uint64_t *cookies,
				uint64_t vaddr, uint64_t n, unsigned size_bits,
				struct pgsim_vs_res *res, struct pgsim_vs_out *out)
{
	BEGIN(vs, out, "map_pages_at_vaddr", "0x%llx %llu x %u bits", (unsigned long long)vaddr,
	      (unsigned long long)n, size_bits) {
		if (vs_res_usable(vs, res))
			set_ret(env, map_at(vs, caps, cookies, vaddr, n, size_bits, res, false, 0));
	}
	END();
}

int pgsim_vs_deferred_rights_map_pages_at_vaddr(struct pgsim_vs *vs, const uint64_t *caps,
						const uint64_t *cookies, uint64_t vaddr, uint64_t n,
						unsigned size_bits, unsigned rights,
						struct pgsim_vs_res *res, struct pgsim_vs_out *out)
{
	BEGIN(vs, out, "deferred_rights_map_pages_at_vaddr", "0x%llx %llu x %u bits",
	      (unsigned long long)vaddr, (unsigned long long)n, size_bits) {
		if (vs_res_usable(vs, res))
			set_ret(env, map_at(vs, caps, cookies, vaddr, n, size_bits, res, true, rights));
	}
	END();
}

int pgsim_vs_unmap_pages(struct pgsim_vs *vs, uint64_t vaddr, uint64_t n, unsigned size_bits,
			 enum pgsim_vs_vka vka, struct pgsim_vs_out *out)
{
	BEGIN0(vs, out) {
		vs_unmap_pages(vs, vaddr, n, size_bits, vka == PGSIM_VS_FREE);
	}
	END();
}

int pgsim_vs_get_cap(struct pgsim_vs *vs, uint64_t vaddr, struct pgsim_vs_out *out)
{
	BEGIN(vs, out, "get_cap", "0x%llx", (unsigned long long)vaddr) {
		uint64_t cap = vs_get_cap(vs, vaddr);
		env->out->cptr = cap == env->c.reserved ? 0 : cap;
	}
	END();
}

int pgsim_vs_get_cookie(struct pgsim_vs *vs, uint64_t vaddr, struct pgsim_vs_out *out)
{
	BEGIN(vs, out, "get_cookie", "0x%llx", (unsigned long long)vaddr) {
		env->out->value = vs_get_cookie(vs, vaddr);
	}
	END();
}

int pgsim_vs_share_mem_at_vaddr(struct pgsim_vs *from, struct pgsim_vs *to, uint64_t start,
				uint64_t n, unsigned size_bits, uint64_t vaddr,
				struct pgsim_vs_res *res, struct pgsim_vs_out *out)
{
	BEGIN(to, out, "share_mem_at_vaddr", "from %s 0x%llx to 0x%llx, %llu pages", from->name,
	      (unsigned long long)start, (unsigned long long)vaddr, (unsigned long long)n) {
		if (vs_usable(from) && vs_res_usable(to, res))
			set_ret(env, vs_share_mem_at_vaddr(from, to, start, n, size_bits, vaddr, res));
	}
	END();
}

int pgsim_vs_share_mem(struct pgsim_vs *from, struct pgsim_vs *to, uint64_t start, uint64_t n,
		       unsigned size_bits, unsigned rights, bool cacheable, struct pgsim_vs_out *out)
{
	BEGIN(to, out, "vspace_share_mem", "from %s 0x%llx, %llu pages", from->name,
	      (unsigned long long)start, (unsigned long long)n) {
		if (!vs_usable(from))
			goto done;
		uint64_t bytes = n << size_bits;
		if (bytes == 0) {
			vs_log(env, "Attempt to reserve 0 length range");
			set_ret(env, -1);
			goto done;
		}
		uint32_t q = vs_op_push(env, to, "reserve_range_aligned", "0x%llx bytes",
					(unsigned long long)bytes);
		struct pgsim_vs_res *res = vs_reserve_aligned(to, bytes, size_bits, rights, cacheable, false);
		vs_op_pop(env, q);
		if (res && res->freed_by)
			res = NULL;
		if (VS_ABORTED(env))
			goto done;
		if (!res) {
			vs_log(env, "Failed to reserve range");
			set_ret(env, -1);
			goto done;
		}
		uint64_t result = res->start;
		q = vs_op_push(env, to, "share_mem_at_vaddr", "0x%llx", (unsigned long long)result);
		int err = vs_share_mem_at_vaddr(from, to, start, n, size_bits, result, res);
		vs_op_pop(env, q);
		if (VS_ABORTED(env))
			goto done;
		q = vs_op_push(env, to, "free_reservation", "%u", res->serial);
		vs_free_reservation(to, res);
		vs_op_pop(env, q);
		env->out->vaddr = err ? 0 : result;
		set_ret(env, err ? -1 : 0);
	}
done:
	END();
}
