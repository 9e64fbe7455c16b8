/* pgsim: sel4utils vspace model -- the reservation list.
 *
 * find_range, find_reserve, insert_reservation, remove_reservation,
 * perform_reservation and the public reserve / free / move_resize
 * functions of libsel4utils vspace.c, with their quirks: the list is kept
 * in descending start order, a reservation is never merged or split,
 * free_reservation clears RESERVED marks only up to the first slot that is
 * not RESERVED and never unmaps anything, find_range never wraps.
 */
#include <errno.h>
#include <string.h>

#include "vspace_impl.h"

static uint64_t RES(const struct pgsim_vs *vs)
{
	return vs->env->c.reserved;
}

bool vs_valid_size_bits(const struct pgsim_vs_env *env, unsigned size_bits)
{
	/* sel4_valid_size_bits: a frame size of the architecture */
	return vs_frame_type(env, size_bits) != NULL;
}

/* find_range: next fit from last_allocated, never wrapping. */
uint64_t vs_find_range(struct pgsim_vs *vs, uint64_t n, unsigned size_bits)
{
	uint64_t step = 1ull << size_bits;
	uint64_t start = (vs->last_allocated + step - 1) & ~(step - 1);
	uint64_t current = start;
	uint64_t contiguous = 0;
	while (contiguous < n) {
		/* A whole EMPTY or RESERVED mid entry answers every step inside
		 * it the same way: take them at once (what the per-step loop
		 * would compute, without 2^27 iterations across an empty
		 * PML4 entry). */
		struct pgsim_vs_slot sl;
		pgsim_vs_lookup(vs, current, &sl);
		uint64_t rsz = sl.level ? vs_bytes_for_level(vs, sl.level) : 0;
		if (sl.level && step <= rsz &&
		    (sl.kind == PGSIM_VS_SLOT_EMPTY || sl.kind == PGSIM_VS_SLOT_MID_RESERVED)) {
			uint64_t k = (((current & ~(rsz - 1)) + rsz) - current) / step;
			if (sl.kind == PGSIM_VS_SLOT_EMPTY) {
				uint64_t m = k < n - contiguous ? k : n - contiguous;
				current += m * step;
				contiguous += m;
			} else {
				current += k * step;
				start = current;
				contiguous = 0;
			}
			if (current >= vs->env->c.kernel_reserved_start) {
				vs_log(vs->env, "Out of virtual memory");
				return 0;
			}
			continue;
		}
		bool avail = vs_is_available_range(vs, current, current + step);
		if (VS_ABORTED(vs->env))
			return 0;
		current += step;
		if (avail) {
			contiguous++;
		} else {
			start = current;
			contiguous = 0;
		}
		if (current >= vs->env->c.kernel_reserved_start) {
			vs_log(vs->env, "Out of virtual memory");
			return 0;
		}
	}
	vs->last_allocated = current;
	return start;
}

/* A walk of the list longer than every node ever made has a cycle: the
 * library would loop for ever; the model stops and reports it. */
static bool looped(const struct pgsim_vs *vs, unsigned *n)
{
	if (++*n <= vs->env->n_res + 1)
		return false;
	vs_crash(vs->env, "the reservation list has a cycle: the library loops for ever");
	return true;
}

struct pgsim_vs_res *vs_find_reserve(const struct pgsim_vs *vs, uint64_t va)
{
	unsigned n = 0;
	for (struct pgsim_vs_res *r = vs->head; r && !looped(vs, &n); r = r->next)
		if (va >= r->start && va < r->end)
			return r;
	return NULL;
}

struct pgsim_vs_res *pgsim_vs_find_reserve(const struct pgsim_vs *vs, uint64_t vaddr)
{
	return vs_find_reserve(vs, vaddr);
}

/* insert_reservation: at the head when its start is greater than the
 * head's, else before the first node with a smaller start. */
static void insert_reservation(struct pgsim_vs *vs, struct pgsim_vs_res *r)
{
	r->next = NULL;
	if (!vs->head || r->start > vs->head->start) {
		r->next = vs->head;
		vs->head = r;
		return;
	}
	struct pgsim_vs_res *prev = vs->head, *cur = prev->next;
	unsigned n = 0;
	for (; cur && !looped(vs, &n); prev = cur, cur = cur->next)
		if (r->start > cur->start) {
			r->next = cur;
			prev->next = r;
			return;
		}
	if (!VS_ABORTED(vs->env))
		prev->next = r;
}

/* remove_reservation: by pointer identity; a node that is not in the list
 * changes nothing, an empty list is dereferenced. */
static void remove_reservation(struct pgsim_vs *vs, struct pgsim_vs_res *r)
{
	if (r == vs->head) {
		vs->head = r->next;
		r->next = NULL;
		return;
	}
	struct pgsim_vs_res *prev = vs->head;
	if (!prev) {
		vs_crash(vs->env, "remove_reservation: the reservation list is empty; the library "
			 "dereferences its NULL head");
		return;
	}
	unsigned n = 0;
	for (struct pgsim_vs_res *cur = prev->next; cur && !looped(vs, &n); prev = cur, cur = cur->next)
		if (cur == r) {
			prev->next = r->next;
			r->next = NULL;
			return;
		}
	if (VS_ABORTED(vs->env))
		return;
	prev->next = NULL;
	r->next = NULL;
}

static void perform_reservation(struct pgsim_vs *vs, struct pgsim_vs_res *r, uint64_t vaddr,
				uint64_t bytes, unsigned rights, bool cacheable)
{
	r->start = vaddr & ~(VS_PAGE - 1);
	r->end = VS_WORD(vs->env, (VS_WORD(vs->env, vaddr + bytes) + VS_PAGE - 1) & ~(VS_PAGE - 1));
	r->rights = rights;
	r->cacheable = cacheable;
	uint32_t save = vs->env->ctx_res;
	vs->env->ctx_res = r->serial;
	int err = vs_reserve_entries_range(vs, r->start, r->end, true);
	vs->env->ctx_res = save;
	if (VS_ABORTED(vs->env))
		return;
	/* "only support to reserve things that we've checked that we can" */
	if (!vs_assert(vs->env, err == 0, "error == seL4_NoError (perform_reservation)"))
		return;
	insert_reservation(vs, r);
}

struct pgsim_vs_res *vs_reserve_aligned(struct pgsim_vs *vs, uint64_t bytes, unsigned size_bits,
					unsigned rights, bool cacheable, bool no_alloc)
{
	struct pgsim_vs_env *env = vs->env;
	if (!vs_valid_size_bits(env, size_bits)) {
		vs_log(env, "Invalid size bits %u", size_bits);
		return NULL;
	}
	struct pgsim_vs_res *r = vs_res_new(vs);
	if (!r)
		return NULL;
	uint64_t step = 1ull << size_bits;
	uint64_t n = (bytes >> size_bits) + ((bytes & (step - 1)) ? 1 : 0);
	uint64_t vaddr = vs_find_range(vs, n, size_bits);
	if (!vaddr) {
		r->freed_by = env->cur;
		if (!no_alloc) {
			r->malloced = true;
			if (env->out) {
				size_t l = strlen(env->out->msg);
				snprintf(env->out->msg + l, sizeof env->out->msg - l, "%s%s", l ? "; " : "",
					 "sel4utils_reserve_range_aligned then writes malloced = 1 "
					 "into the node it just freed (use after free)");
			}
		}
		return NULL;
	}
	r->malloced = false;
	r->rights_deferred = false;
	perform_reservation(vs, r, vaddr, bytes, rights, cacheable);
	if (!no_alloc)
		r->malloced = true;
	return r;
}

struct pgsim_vs_res *vs_reserve_at(struct pgsim_vs *vs, uint64_t vaddr, uint64_t bytes,
				   unsigned rights, bool cacheable, bool no_alloc)
{
	struct pgsim_vs_env *env = vs->env;
	/* the check runs on the unrounded range, page by page from vaddr */
	bool ok = vs_is_available_range(vs, vaddr, VS_WORD(env, vaddr + bytes));
	if (VS_ABORTED(env))
		return NULL;
	if (!ok) {
		vs_log(env, "Range not available at 0x%llx, size 0x%llx", (unsigned long long)vaddr,
		       (unsigned long long)bytes);
		return NULL;
	}
	struct pgsim_vs_res *r = vs_res_new(vs);
	if (!r)
		return NULL;
	r->malloced = false;
	r->rights_deferred = false;
	perform_reservation(vs, r, vaddr, bytes, rights, cacheable);
	if (!no_alloc && !VS_ABORTED(env))
		r->malloced = true;
	return r;
}

void vs_free_reservation(struct pgsim_vs *vs, struct pgsim_vs_res *r)
{
	if (!r) {
		vs_crash(vs->env, "free_reservation: NULL reservation is dereferenced");
		return;
	}
	/* the result is ignored: RESERVED marks after the first mapped (or
	 * EMPTY) slot survive */
	vs_clear_entries_range(vs, r->start, r->end, true);
	if (VS_ABORTED(vs->env))
		return;
	remove_reservation(vs, r);
	if (VS_ABORTED(vs->env))
		return;
	r->freed_by = vs->env->cur;
}

/* ---- public ------------------------------------------------------------------- */

/* A call on a vspace whose record the library can no longer use. */
bool vs_usable(struct pgsim_vs *vs)
{
	if (vs->torn_down) {
		vs_crash(vs->env, "the vspace was torn down: its shadow is freed memory");
		return false;
	}
	if (!vs->has_map_fns) {
		vs_crash(vs->env, "the vspace's function pointers are NULL (its creation failed)");
		return false;
	}
	return true;
}

bool vs_res_usable(struct pgsim_vs *vs, struct pgsim_vs_res *r)
{
	if (r && r->freed_by && r->malloced) {
		char msg[160];
		snprintf(msg, sizeof msg, "reservation %u was freed by op %u: use after free",
			 r->serial, r->freed_by);
		vs_crash(vs->env, msg);
		return false;
	}
	return true;
}

static int reserve_common(struct pgsim_vs *vs, const char *op, bool at, uint64_t vaddr,
			  uint64_t bytes, unsigned size_bits, unsigned rights, bool cacheable,
			  bool no_alloc, bool deferred, struct pgsim_vs_out *out)
{
	struct pgsim_vs_env *env = vs->env;
	vs_out_begin(env, out);
	uint32_t p = at ? vs_op_push(env, vs, op, "0x%llx +0x%llx", (unsigned long long)vaddr,
				     (unsigned long long)bytes)
			: vs_op_push(env, vs, op, "0x%llx bytes", (unsigned long long)bytes);
	if (vs_usable(vs) && bytes == 0) {
		/* vspace_reserve_range_aligned / _at refuse it before the library */
		vs_log(env, "Attempt to reserve 0 length range");
		env->out->ret = -1;
		env->out->status = PGSIM_VS_FAILED;
	} else if (vs_usable(vs)) {
		struct pgsim_vs_res *r = at ? vs_reserve_at(vs, vaddr, bytes, deferred ? 0 : rights,
							    cacheable, no_alloc)
					    : vs_reserve_aligned(vs, bytes, size_bits, rights,
								 cacheable, no_alloc);
		if (r && r->freed_by)
			r = NULL;
		if (r && deferred && !VS_ABORTED(env))
			r->rights_deferred = true;
		env->out->res = r;
		env->out->vaddr = r ? r->start : 0;
		env->out->ret = r ? 0 : -1;
		if (!r)
			env->out->status = PGSIM_VS_FAILED;
	}
	vs_op_pop(env, p);
	return vs_out_end(env);
}

int pgsim_vs_reserve_range_aligned(struct pgsim_vs *vs, uint64_t bytes, unsigned size_bits,
				   unsigned rights, bool cacheable, struct pgsim_vs_out *out)
{
	return reserve_common(vs, "reserve_range_aligned", false, 0, bytes, size_bits, rights,
			      cacheable, false, false, out);
}

int pgsim_vs_reserve_range_no_alloc(struct pgsim_vs *vs, uint64_t bytes, unsigned size_bits,
				    unsigned rights, bool cacheable, struct pgsim_vs_out *out)
{
	return reserve_common(vs, "reserve_range_no_alloc", false, 0, bytes, size_bits, rights,
			      cacheable, true, false, out);
}

int pgsim_vs_reserve_range_at(struct pgsim_vs *vs, uint64_t vaddr, uint64_t bytes,
			      unsigned rights, bool cacheable, struct pgsim_vs_out *out)
{
	return reserve_common(vs, "reserve_range_at", true, vaddr, bytes, 12, rights, cacheable,
			      false, false, out);
}

int pgsim_vs_reserve_range_at_no_alloc(struct pgsim_vs *vs, uint64_t vaddr, uint64_t bytes,
				       unsigned rights, bool cacheable, struct pgsim_vs_out *out)
{
	return reserve_common(vs, "reserve_range_at_no_alloc", true, vaddr, bytes, 12, rights,
			      cacheable, true, false, out);
}

int pgsim_vs_reserve_deferred_rights_range_at(struct pgsim_vs *vs, uint64_t vaddr, uint64_t bytes,
					      bool cacheable, struct pgsim_vs_out *out)
{
	return reserve_common(vs, "reserve_deferred_rights_range_at", true, vaddr, bytes, 12, 0,
			      cacheable, false, true, out);
}

int pgsim_vs_free_reservation(struct pgsim_vs *vs, struct pgsim_vs_res *res, struct pgsim_vs_out *out)
{
	struct pgsim_vs_env *env = vs->env;
	vs_out_begin(env, out);
	uint32_t p = vs_op_push(env, vs, "free_reservation", "%u [0x%llx, 0x%llx)",
				res ? res->serial : 0, res ? (unsigned long long)res->start : 0,
				res ? (unsigned long long)res->end : 0);
	if (vs_usable(vs) && vs_res_usable(vs, res))
		vs_free_reservation(vs, res);
	vs_op_pop(env, p);
	return vs_out_end(env);
}

int pgsim_vs_free_reservation_by_vaddr(struct pgsim_vs *vs, uint64_t vaddr, struct pgsim_vs_out *out)
{
	struct pgsim_vs_env *env = vs->env;
	vs_out_begin(env, out);
	uint32_t p = vs_op_push(env, vs, "free_reservation_by_vaddr", "0x%llx",
				(unsigned long long)vaddr);
	if (vs_usable(vs)) {
		struct pgsim_vs_res *r = vs_find_reserve(vs, vaddr);
		env->out->res = r;
		vs_free_reservation(vs, r);
	}
	vs_op_pop(env, p);
	return vs_out_end(env);
}

static int move_resize(struct pgsim_vs *vs, struct pgsim_vs_res *r, uint64_t vaddr, uint64_t bytes)
{
	struct pgsim_vs_env *env = vs->env;
	if (!vs_assert(env, r != NULL, "reservation.res != NULL"))
		return -1;
	if (!r) {
		vs_crash(env, "move_resize_reservation: NULL reservation is dereferenced");
		return -1;
	}
	uint64_t ns = vaddr & ~(VS_PAGE - 1);
	uint64_t ne = VS_WORD(env, (VS_WORD(env, vaddr + bytes) + VS_PAGE - 1) & ~(VS_PAGE - 1));
	if (ns < r->start && !vs_is_available_range(vs, ns, r->start))
		return -1;
	if (ne > r->end && !vs_is_available_range(vs, r->end, ne))
		return -2;
	if (VS_ABORTED(env))
		return -1;
	uint32_t save = env->ctx_res;
	env->ctx_res = r->serial;
	for (uint64_t v = ns; v < ne; v += VS_PAGE) {
		if (v < r->start || v >= r->end) {
			int err = vs_reserve_entries_range(vs, v, v + VS_PAGE, true);
			if (VS_ABORTED(env) || !vs_assert(env, err == 0, "!error (move_resize)"))
				break;
		} else {
			v = r->end - VS_PAGE;
		}
	}
	env->ctx_res = 0;
	for (uint64_t v = r->start; v < r->end && !VS_ABORTED(env); v += VS_PAGE) {
		if (v < ns || v >= ne) {
			if (vs_get_cap(vs, v) == RES(vs))
				vs_clear_entries_range(vs, v, v + VS_PAGE, true);
		} else {
			v = ne - VS_PAGE;
		}
	}
	env->ctx_res = save;
	if (VS_ABORTED(env))
		return -1;
	bool reinsert = r->start != ns;
	r->start = ns;
	r->end = ne;
	r->resized = true;
	if (reinsert) {
		remove_reservation(vs, r);
		if (!VS_ABORTED(env))
			insert_reservation(vs, r);
	}
	return 0;
}

int pgsim_vs_move_resize_reservation(struct pgsim_vs *vs, struct pgsim_vs_res *res, uint64_t vaddr,
				     uint64_t bytes, struct pgsim_vs_out *out)
{
	struct pgsim_vs_env *env = vs->env;
	vs_out_begin(env, out);
	uint32_t p = vs_op_push(env, vs, "move_resize_reservation", "%u to 0x%llx +0x%llx",
				res ? res->serial : 0, (unsigned long long)vaddr,
				(unsigned long long)bytes);
	if (vs_usable(vs) && vs_res_usable(vs, res)) {
		int ret = move_resize(vs, res, vaddr, bytes);
		env->out->ret = ret;
		env->out->res = res;
		if (ret)
			env->out->status = PGSIM_VS_FAILED;
	}
	vs_op_pop(env, p);
	return vs_out_end(env);
}

bool vs_check_reservation(struct pgsim_vs *vs, struct pgsim_vs_res *res, uint64_t start, uint64_t end)
{
	if (!res) {
		vs_crash(vs->env, "check_reservation dereferences a NULL reservation");
		return false;
	}
	return start >= res->start && end <= res->end && vs_is_reserved_range(vs, start, end);
}
