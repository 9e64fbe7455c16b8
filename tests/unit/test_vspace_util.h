/* Shared fixture of the sel4utils vspace model tests (test_vspace*.c,
 * test_check*.c): a kernel over one 64 MiB untyped, the vka on it, and
 * the "driver" -- a self-bootstrapped vspace P on an assigned root, as the
 * sel4test driver (a root task) has -- plus helpers to count shadow slots
 * and to run the seed's spawn (spec sel4utils-vspace.md section 5). */
#ifndef TEST_VSPACE_UTIL_H
#define TEST_VSPACE_UTIL_H

#include <stdlib.h>
#include <string.h>

#include "tutil.h"
#include "pgsim/kernel.h"
#include "pgsim/vspace.h"

#define VF_UT_PA 0x04000000ull
#define VF_UT_BITS 26

struct vfix {
	struct pgsim_cfg cfg;
	struct pgsim_mem *mem;
	struct pgsim_kernel *k;
	struct pgsim_vs_env *env;
	struct pgsim_vs *P;          /* the driver */
	uint64_t p_init;             /* sel4test env->init, a page of P */
	struct pgsim_vs_proc *proc;  /* the child, once spawned */
	struct pgsim_vs *C;
};

static inline void vf_ok(const struct pgsim_vs_out *o)
{
	if (o->status != PGSIM_VS_OK)
		fail_msg("vspace op: %s: %s", pgsim_vs_status_name(o->status), o->msg);
}

/* Kernel, vka and the bootstrapped driver vspace P (image
 * [0x00400000, 0x00420000), no existing frames). */
static inline void vf_init_opts(struct vfix *f, const char *arch, const struct pgsim_vs_env_opts *o)
{
	memset(f, 0, sizeof *f);
	f->cfg = tu_cfg(arch);
	f->mem = pgsim_mem_new();
	assert_non_null(f->mem);
	assert_int_equal(pgsim_kernel_new(&f->cfg, f->mem, NULL, &f->k), 0);
	assert_int_equal(pgsim_kernel_add_untyped(f->k, "ut", VF_UT_PA, VF_UT_BITS, false), 0);
	struct pgsim_vs_env_opts d = { .untyped = "ut" };
	if (o) {
		d = *o;
		d.untyped = "ut";
	}
	assert_int_equal(pgsim_vs_env_new(f->k, &d, &f->env), 0);
	struct pgsim_kres r;
	const char *dest[1] = { "driver_root" };
	assert_int_equal(pgsim_kernel_retype(f->k, "ut", pgsim_kernel_type_find(f->k, "vspace")->sel4_name,
					     0, dest, 1, &r), 0);
	assert_int_equal(r.err, PGSIM_SEL4_NO_ERROR);
	assert_int_equal(pgsim_kernel_assign(f->k, "asid_pool", "driver_root", &r), 0);
	assert_int_equal(r.err, PGSIM_SEL4_NO_ERROR);
	uint64_t root;
	assert_int_equal(pgsim_vs_vka_adopt(f->env, "driver_root", &root), 0);
	struct pgsim_vs_out o2;
	assert_int_equal(pgsim_vs_bootstrap(f->env, "driver", root, 0x00400000, 0x00420000, NULL, 0,
					    &f->P, &o2), 0);
	vf_ok(&o2);
}

static inline void vf_init(struct vfix *f, const char *arch)
{
	vf_init_opts(f, arch, NULL);
}

static inline void vf_free(struct vfix *f)
{
	pgsim_vs_env_free(f->env);
	pgsim_kernel_free(f->k);
	pgsim_mem_free(f->mem);
}

/* Used / reserved / empty 4 KiB slots of vs in [va, last]. */
struct vf_count {
	uint64_t used, reserved, empty, bad;
	uint64_t lo, hi;
};

static inline int vf_count_cb(void *ctx, uint64_t va, uint64_t pages, const struct pgsim_vs_slot *s)
{
	struct vf_count *c = ctx;
	uint64_t last = va + pages * 0x1000 - 1;
	if (last < c->lo || va > c->hi)
		return 0;
	uint64_t a = va < c->lo ? c->lo : va, b = last > c->hi ? c->hi : last;
	uint64_t n = (b - a) / 0x1000 + 1;
	switch (s->kind) {
	case PGSIM_VS_SLOT_MAPPED: c->used += n; break;
	case PGSIM_VS_SLOT_RESERVED:
	case PGSIM_VS_SLOT_MID_RESERVED: c->reserved += n; break;
	case PGSIM_VS_SLOT_EMPTY: c->empty += n; break;
	case PGSIM_VS_SLOT_BAD: c->bad += n; break;
	}
	return 0;
}

static inline struct vf_count vf_count(const struct pgsim_vs *vs, uint64_t va, uint64_t last)
{
	struct vf_count c = { 0, 0, 0, 0, va, last };
	pgsim_vs_visit(vs, vf_count_cb, &c);
	return c;
}

static inline enum pgsim_vs_slot_kind vf_kind(const struct pgsim_vs *vs, uint64_t va)
{
	struct pgsim_vs_slot s;
	pgsim_vs_lookup(vs, va, &s);
	return s.kind;
}

static inline uint64_t vf_cookie(const struct pgsim_vs *vs, uint64_t va)
{
	struct pgsim_vs_slot s;
	pgsim_vs_lookup(vs, va, &s);
	return s.cookie;
}

static inline unsigned vf_n_res(const struct pgsim_vs *vs)
{
	struct pgsim_vs_info in;
	pgsim_vs_info(vs, &in);
	unsigned n = 0;
	for (struct pgsim_vs_res *r = in.head; r; r = r->next)
		n++;
	return n;
}

/* The seed's ELF: 387 pages from 0x08048000 (one RW segment), or the
 * two-segment variant: text R-X [0x08048000, +0x7f123) (128 pages) and
 * data+bss RW [0x080c7500, 0x081cb000) (260 pages) sharing the frame
 * 0x080c7000, 387 distinct pages in all. */
static const struct pgsim_vs_segment vf_seg1[] = {
	{ 0x08048000, 387 * 0x1000, 0x1000, PGSIM_PF_R | PGSIM_PF_W, NULL },
};
static const struct pgsim_vs_segment vf_seg2[] = {
	{ 0x08048000, 0x7f123, 0x7f123, PGSIM_PF_R | PGSIM_PF_X, NULL },
	{ 0x080c7500, 0x081cb000 - 0x080c7500, 0x200, PGSIM_PF_R | PGSIM_PF_W, NULL },
};

/* basic_set_up: env->init = new_pages(P, 1); configure the child (ELF,
 * IPC buffer, 16-page stack); share env->init into it. */
static inline void vf_spawn(struct vfix *f, const struct pgsim_vs_segment *segs, unsigned n)
{
	struct pgsim_vs_out o;
	assert_int_equal(pgsim_vs_new_pages(f->P, PGSIM_SEL4_ALL_RIGHTS, 1, 12, &o), 0);
	vf_ok(&o);
	f->p_init = o.vaddr;
	struct pgsim_vs_proc_cfg cfg = { .segs = segs, .n_segs = n };
	assert_int_equal(pgsim_vs_configure_process(f->env, "child", f->P, &cfg, &f->proc, &o), 0);
	vf_ok(&o);
	struct pgsim_vs_proc_info pi;
	pgsim_vs_proc_info(f->proc, &pi);
	f->C = pi.vs;
	assert_int_equal(pgsim_vs_share_mem(f->P, f->C, f->p_init, 1, 12, PGSIM_SEL4_ALL_RIGHTS, true, &o), 0);
	vf_ok(&o);
	assert_int_equal(o.vaddr, 0x10012000);
}

#endif
