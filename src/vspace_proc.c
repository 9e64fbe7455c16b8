/* pgsim: sel4utils vspace model -- libsel4vspace helpers, ELF loading and
 * process configuration.
 *
 * libsel4vspace vspace.c: vspace_new_ipc_buffer, vspace_new_sized_stack
 * (and their frees), vspace_new_pages_with_config.  libsel4utils elf.c:
 * read_regions, prepare_reservations, create_reservations, load_segment
 * (each page created in the loadee, then a cap copy mapped into the loader
 * for the copy and unmapped again), the reservations freed at the end.
 * process.c: sel4utils_configure_process_custom's vspace part and
 * sel4utils_spawn_process_v's stack writes (sel4utils_stack_write through
 * sel4utils_dup_and_map).  thread.c: the IPC buffer first, then the stack.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vspace_impl.h"


/* ---- libsel4vspace helpers --------------------------------------------------- */

static uint64_t new_ipc_buffer(struct pgsim_vs *vs, uint64_t *cap)
{
	uint32_t p = vs_op_push(vs->env, vs, "vspace_new_ipc_buffer", NULL);
	uint64_t va = vs_new_pages(vs, PGSIM_SEL4_ALL_RIGHTS, 1, 12);
	*cap = va ? vs_get_cap(vs, va) : 0;
	if (*cap == vs->env->c.reserved)
		*cap = 0;
	vs_op_pop(vs->env, p);
	return va;
}

static uint64_t new_sized_stack(struct pgsim_vs *vs, uint64_t n)
{
	struct pgsim_vs_env *env = vs->env;
	uint32_t p = vs_op_push(env, vs, "vspace_new_sized_stack", "%llu pages", (unsigned long long)n);
	uint64_t top = 0;
	/* one extra page for the guard, the lowest */
	uint32_t q = vs_op_push(env, vs, "reserve_range", "%llu pages", (unsigned long long)n + 1);
	struct pgsim_vs_res *res = vs_reserve_aligned(vs, (n + 1) * VS_PAGE, 12, PGSIM_SEL4_ALL_RIGHTS,
						      true, false);
	vs_op_pop(env, q);
	if (res && res->freed_by)
		res = NULL;
	if (res && !VS_ABORTED(env)) {
		uint64_t bottom = res->start + VS_PAGE;
		int err = -1;
		q = vs_op_push(env, vs, "new_pages_at_vaddr", "0x%llx %llu pages",
			       (unsigned long long)bottom, (unsigned long long)n);
		if (n == 0)
			vs_log(env, "attempt to create 0 pages");
		else
			err = vs_new_pages_at_vaddr(vs, bottom, n, 12, res, false);
		vs_op_pop(env, q);
		if (err && !VS_ABORTED(env)) {
			q = vs_op_push(env, vs, "free_reservation", "%u", res->serial);
			vs_free_reservation(vs, res);
			vs_op_pop(env, q);
		} else if (!err) {
			top = bottom + n * VS_PAGE;
		}
	}
	vs_op_pop(env, p);
	return VS_ABORTED(env) ? 0 : top;
}

#define PUBLIC(vs, out)                                                           \
	struct pgsim_vs_env *env = (vs)->env;                                      \
	vs_out_begin(env, (out));                                                   \
	uint32_t p_ = env->cur;                                                     \
	(void)p_;                                                                   \
	if (vs_usable(vs))

static void set_ret(struct pgsim_vs_env *env, int ret)
{
	env->out->ret = ret;
	if (ret)
		env->out->status = PGSIM_VS_FAILED;
}

int pgsim_vs_new_ipc_buffer(struct pgsim_vs *vs, struct pgsim_vs_out *out)
{
	PUBLIC(vs, out) {
		uint64_t cap;
		env->out->vaddr = new_ipc_buffer(vs, &cap);
		env->out->cptr = cap;
		set_ret(env, env->out->vaddr ? 0 : -1);
	}
	return vs_out_end(env);
}

int pgsim_vs_free_ipc_buffer(struct pgsim_vs *vs, uint64_t vaddr, struct pgsim_vs_out *out)
{
	PUBLIC(vs, out) {
		uint32_t p = vs_op_push(env, vs, "vspace_free_ipc_buffer", "0x%llx",
					(unsigned long long)vaddr);
		vs_unmap_pages(vs, vaddr, 1, 12, true);
		vs_op_pop(env, p);
	}
	return vs_out_end(env);
}

int pgsim_vs_new_sized_stack(struct pgsim_vs *vs, uint64_t n_pages, struct pgsim_vs_out *out)
{
	PUBLIC(vs, out) {
		env->out->value = new_sized_stack(vs, n_pages);
		env->out->vaddr = env->out->value;
		set_ret(env, env->out->value ? 0 : -1);
	}
	return vs_out_end(env);
}

int pgsim_vs_free_sized_stack(struct pgsim_vs *vs, uint64_t stack_top, uint64_t n_pages,
			      struct pgsim_vs_out *out)
{
	PUBLIC(vs, out) {
		uint32_t p = vs_op_push(env, vs, "vspace_free_sized_stack", "top 0x%llx, %llu pages",
					(unsigned long long)stack_top, (unsigned long long)n_pages);
		if (n_pages == 0) {
			vs_log(env, "Freeing 0 sized stack");
		} else {
			uint64_t bottom = stack_top - n_pages * VS_PAGE;
			vs_unmap_pages(vs, bottom, n_pages, 12, true);
			if (!VS_ABORTED(env)) {
				uint32_t q = vs_op_push(env, vs, "free_reservation_by_vaddr", "0x%llx",
							(unsigned long long)(bottom - VS_PAGE));
				vs_free_reservation(vs, vs_find_reserve(vs, bottom - VS_PAGE));
				vs_op_pop(env, q);
			}
		}
		vs_op_pop(env, p);
	}
	return vs_out_end(env);
}

int pgsim_vs_new_pages_with_config(struct pgsim_vs *vs, uint64_t vaddr, uint64_t n, unsigned size_bits,
				   unsigned rights, bool can_use_dev, struct pgsim_vs_out *out)
{
	PUBLIC(vs, out) {
		uint32_t p = vs_op_push(env, vs, "vspace_new_pages_with_config", "0x%llx %llu x %u bits",
					(unsigned long long)vaddr, (unsigned long long)n, size_bits);
		uint64_t bytes = n << size_bits;
		struct pgsim_vs_res *res = NULL;
		uint32_t q;
		if (bytes == 0) {
			vs_log(env, "Attempt to reserve 0 length range");
		} else if (vaddr == 0) {
			q = vs_op_push(env, vs, "reserve_range_aligned", "0x%llx bytes", (unsigned long long)bytes);
			res = vs_reserve_aligned(vs, bytes, size_bits, rights, true, false);
			vs_op_pop(env, q);
		} else {
			q = vs_op_push(env, vs, "reserve_range_at", "0x%llx +0x%llx", (unsigned long long)vaddr,
				       (unsigned long long)bytes);
			res = vs_reserve_at(vs, vaddr, bytes, rights, true, false);
			vs_op_pop(env, q);
		}
		if (res && res->freed_by)
			res = NULL;
		if (!res && !VS_ABORTED(env)) {
			vs_log(env, "Failed to reserve range");
			set_ret(env, -1);
		} else if (res && !VS_ABORTED(env)) {
			uint64_t at = res->start;
			q = vs_op_push(env, vs, "new_pages_at_vaddr", "0x%llx", (unsigned long long)at);
			int err = vs_new_pages_at_vaddr(vs, at, n, size_bits, res, can_use_dev);
			vs_op_pop(env, q);
			if (!VS_ABORTED(env)) {
				q = vs_op_push(env, vs, "free_reservation", "%u", res->serial);
				vs_free_reservation(vs, res);
				vs_op_pop(env, q);
				env->out->vaddr = err ? 0 : at;
				set_ret(env, err ? -1 : 0);
			}
		}
		vs_op_pop(env, p);
	}
	return vs_out_end(env);
}

/* ---- ELF loading -------------------------------------------------------------- */

struct region {
	uint64_t vstart, size, filesz;
	unsigned rights;
	const uint8_t *data;
	uint64_t res_vstart, res_size;
	struct pgsim_vs_res *res;
};

/* rights_from_elf: R or X -> read, W -> write. */
static unsigned elf_rights(unsigned flags)
{
	unsigned r = 0;
	if (flags & (PGSIM_PF_R | PGSIM_PF_X))
		r |= PGSIM_SEL4_CAN_READ;
	if (flags & PGSIM_PF_W)
		r |= PGSIM_SEL4_CAN_WRITE;
	return r;
}

static int cmp_region(const void *a, const void *b)
{
	const struct region *x = a, *y = b;
	return x->vstart < y->vstart ? -1 : x->vstart > y->vstart;
}

/* read_regions + the sort + prepare_reservations. */
static int plan_regions(struct pgsim_vs_env *env, const struct pgsim_vs_segment *segs, unsigned n,
			struct region *rg)
{
	for (unsigned i = 0; i < n; i++) {
		memset(&rg[i], 0, sizeof rg[i]);
		rg[i].vstart = segs[i].vaddr;
		rg[i].size = segs[i].memsz;
		rg[i].filesz = segs[i].filesz;
		rg[i].rights = elf_rights(segs[i].flags);
		rg[i].data = segs[i].data;
	}
	qsort(rg, n, sizeof rg[0], cmp_region);
	for (unsigned i = 0; i + 1 < n; i++)
		if (rg[i].vstart + rg[i].size > rg[i + 1].vstart) {
			vs_crash(env, "Bad elf file: segments overlap (ZF_LOGF aborts)");
			return -1;
		}
	uint64_t ps = 0, psize = 0;
	unsigned prights = 0;
	for (unsigned i = 0; i < n; i++) {
		uint64_t cs = rg[i].vstart & ~(VS_PAGE - 1);
		uint64_t top = (rg[i].vstart + rg[i].size + VS_PAGE - 1) & ~(VS_PAGE - 1);
		uint64_t csize = top - cs;
		if (ps + psize > cs) {
			/* cap_writes_check_move_frame */
			if (!(prights & PGSIM_SEL4_CAN_READ) || !(rg[i].rights & PGSIM_SEL4_CAN_READ)) {
				vs_log(env, "Regions do not have read rights.");
				return -1;
			}
			if (!(prights & PGSIM_SEL4_CAN_WRITE) && (rg[i].rights & PGSIM_SEL4_CAN_WRITE)) {
				/* the shared frame moves to this (writable) region */
				rg[i - 1].res_size -= VS_PAGE;
			} else {
				cs = ((ps + psize) + 1 + VS_PAGE - 1) & ~(VS_PAGE - 1);
				csize = top - cs;
			}
		}
		rg[i].res_size = csize;
		rg[i].res_vstart = cs;
		psize = csize;
		ps = cs;
		prights = rg[i].rights;
	}
	return 0;
}

/* create_reservations (elf.c). */
static int create_elf_reservations(struct pgsim_vs *vs, struct region *rg, unsigned n, bool anywhere)
{
	struct pgsim_vs_env *env = vs->env;
	for (unsigned i = 0; i < n; i++) {
		if (rg[i].res_size == 0)
			continue;
		uint32_t p = vs_op_push(env, vs, anywhere ? "reserve_range" : "reserve_range_at",
					"region %u 0x%llx +0x%llx", i, (unsigned long long)rg[i].res_vstart,
					(unsigned long long)rg[i].res_size);
		rg[i].res = anywhere ? vs_reserve_aligned(vs, rg[i].res_size, 12, rg[i].rights, true, false)
				     : vs_reserve_at(vs, rg[i].res_vstart, rg[i].res_size, rg[i].rights,
						     true, false);
		vs_op_pop(env, p);
		if (rg[i].res && rg[i].res->freed_by)
			rg[i].res = NULL;
		if (VS_ABORTED(env))
			return -1;
		if (!rg[i].res) {
			vs_log(env, "Failed to make reservation: 0x%llx, 0x%llx",
			       (unsigned long long)rg[i].res_vstart, (unsigned long long)rg[i].res_size);
			return -1;
		}
		if (anywhere)
			rg[i].res_vstart = rg[i].res->start;
	}
	return 0;
}

/* Copy bytes into the frame a loader-side cap names. */
static void frame_write(struct pgsim_vs_env *env, uint64_t cap, uint64_t off, const void *buf,
			size_t len)
{
	char slot[64];
	struct pgsim_kcap_info ki;
	if (pgsim_kernel_cap(env->k, vs_slot(env, cap, slot, sizeof slot), &ki) == 0 &&
	    ki.type == PGSIM_KCAP_FRAME && len)
		pgsim_mem_write(pgsim_kernel_mem(env->k), ki.pa + off, buf, len);
}

static int load_segment(struct pgsim_vs *loadee, struct pgsim_vs *loader, struct region *rg,
			unsigned n, unsigned ri)
{
	struct pgsim_vs_env *env = loadee->env;
	struct region *r = &rg[ri];
	if (r->filesz > r->size) {
		vs_log(env, "Error, file_size %llu > segment_size %llu", (unsigned long long)r->filesz,
		       (unsigned long long)r->size);
		return PGSIM_SEL4_INVALID_ARGUMENT;
	}
	uint64_t slot;
	if (vs_cspace_alloc(env, &slot)) {
		vs_log(env, "Failed to allocate cslot by loader vka");
		return -1;
	}
	int error = 0;
	uint64_t pos = 0, dst = r->vstart;
	while (pos < r->size && error == 0 && !VS_ABORTED(env)) {
		uint64_t page = dst & ~(VS_PAGE - 1);
		struct pgsim_vs_res *res;
		uint64_t left = r->size - pos < VS_PAGE ? r->size - pos : VS_PAGE;
		if (page < r->res_vstart) {
			if (ri == 0) {
				vs_log(env, "Invalid regions: bad elf file.");
				error = PGSIM_SEL4_INVALID_ARGUMENT;
				continue;
			}
			res = rg[ri - 1].res;
		} else if (page + left > r->res_vstart + r->res_size) {
			if (ri + 1 >= n) {
				vs_log(env, "Invalid regions: bad elf file.");
				error = PGSIM_SEL4_INVALID_ARGUMENT;
				continue;
			}
			res = rg[ri + 1].res;
		} else {
			res = r->res;
		}
		/* a frame another region already mapped is reused */
		uint64_t cap = vs_get_cap(loadee, page);
		if (cap == env->c.reserved)
			cap = 0;
		if (cap == 0) {
			uint32_t p = vs_op_push(env, loadee, "new_pages_at_vaddr", "0x%llx",
						(unsigned long long)page);
			if (!res)
				vs_log(env, "reservation is required");
			error = vs_new_pages_at_vaddr(loadee, page, 1, 12, res, false);
			vs_op_pop(env, p);
		}
		if (VS_ABORTED(env))
			break;
		if (error) {
			vs_log(env, "ERROR: failed to allocate frame by loadee vka: %d", error);
			continue;
		}
		cap = vs_get_cap(loadee, page);
		error = vs_cnode_copy(env, slot, cap, PGSIM_SEL4_ALL_RIGHTS);
		if (VS_ABORTED(env))
			break;
		if (error) {
			vs_log(env, "ERROR: failed to copy frame cap into loader cspace: %d", error);
			continue;
		}
		uint64_t lva = vs_map_pages(loader, &slot, NULL, PGSIM_SEL4_ALL_RIGHTS, 1, 12, true);
		if (VS_ABORTED(env))
			break;
		if (!lva) {
			vs_log(env, "failed to map frame into loader vspace.");
			error = -1;
			continue;
		}
		uint64_t nbytes = VS_PAGE - (dst & (VS_PAGE - 1));
		if (pos < r->filesz && r->data) {
			uint64_t len = r->filesz - pos < nbytes ? r->filesz - pos : nbytes;
			frame_write(env, slot, dst & (VS_PAGE - 1), r->data + pos, (size_t)len);
		}
		vs_unmap_pages(loader, lva, 1, 12, false);
		vs_cnode_delete(env, slot);
		pos += nbytes;
		dst += nbytes;
	}
	vs_cspace_free(env, slot);
	return error;
}

static int elf_load(struct pgsim_vs *loadee, struct pgsim_vs *loader,
		    const struct pgsim_vs_segment *segs, unsigned n, bool keep)
{
	struct pgsim_vs_env *env = loadee->env;
	struct region *rg = calloc(n ? n : 1, sizeof *rg);
	if (!rg) {
		vs_fail_pgsim(env, -ENOMEM, "elf_load");
		return -1;
	}
	int err = plan_regions(env, segs, n, rg);
	if (!err && !VS_ABORTED(env))
		err = create_elf_reservations(loadee, rg, n, false);
	if (err || VS_ABORTED(env)) {
		vs_log(env, "Failed to reserve regions");
		goto out;
	}
	for (unsigned i = 0; i < n && !err && !VS_ABORTED(env); i++) {
		uint32_t p = vs_op_push(env, loadee, "load_segment", "%u: 0x%llx +0x%llx", i,
					(unsigned long long)rg[i].vstart, (unsigned long long)rg[i].size);
		err = load_segment(loadee, loader, rg, n, i);
		vs_op_pop(env, p);
	}
	if (err || VS_ABORTED(env)) {
		vs_log(env, "Failed to load segments");
		goto out;
	}
	if (!keep)
		for (unsigned i = 0; i < n && !VS_ABORTED(env); i++)
			if (rg[i].res_size > 0) {
				uint32_t p = vs_op_push(env, loadee, "free_reservation", "%u (region %u)",
							rg[i].res->serial, i);
				vs_free_reservation(loadee, rg[i].res);
				vs_op_pop(env, p);
			}
out:
	free(rg);
	return err ? -1 : 0;
}

int pgsim_vs_elf_load(struct pgsim_vs *loadee, struct pgsim_vs *loader,
		      const struct pgsim_vs_segment *segs, unsigned n, bool keep_regions,
		      struct pgsim_vs_out *out)
{
	PUBLIC(loadee, out) {
		uint32_t p = vs_op_push(env, loadee, "elf_load", "%u segments via %s", n, loader->name);
		if (vs_usable(loader))
			set_ret(env, elf_load(loadee, loader, segs, n, keep_regions));
		vs_op_pop(env, p);
	}
	return vs_out_end(env);
}

int pgsim_vs_elf_reserve(struct pgsim_vs *loadee, const struct pgsim_vs_segment *segs, unsigned n,
			 struct pgsim_vs_out *out)
{
	PUBLIC(loadee, out) {
		uint32_t p = vs_op_push(env, loadee, "elf_reserve", "%u segments", n);
		struct region *rg = calloc(n ? n : 1, sizeof *rg);
		int err = -1;
		if (!rg)
			vs_fail_pgsim(env, -ENOMEM, "elf_reserve");
		else if (!plan_regions(env, segs, n, rg) && !VS_ABORTED(env))
			err = create_elf_reservations(loadee, rg, n, true);
		if (err && !VS_ABORTED(env))
			vs_log(env, "Failed to reserve regions");
		free(rg);
		set_ret(env, err ? -1 : 0);
		vs_op_pop(env, p);
	}
	return vs_out_end(env);
}
