/* Shared fixture for the seL4 kernel model tests (test_kernel*.c).
 *
 * A kernel over all-RAM simulated memory, with one untyped "ut" the tests
 * retype from.  Addresses are chosen so that allocation order gives
 * hand-computable object addresses: after the first Retype reset the
 * watermark, objects of one size are laid out back to back from the
 * untyped's base, each aligned up to its own size.
 */
#ifndef TEST_KERNEL_UTIL_H
#define TEST_KERNEL_UTIL_H

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "tutil.h"
#include "pgsim/kernel.h"

struct kfix {
	struct pgsim_cfg cfg;
	struct pgsim_mem *mem;
	struct pgsim_kernel *k;
};

static inline void kf_init_opts(struct kfix *f, const char *arch, pgsim_pa_t ut_pa,
				unsigned ut_bits, const struct pgsim_kernel_opts *o)
{
	f->cfg = tu_cfg(arch);
	f->mem = pgsim_mem_new();
	assert_non_null(f->mem);
	assert_int_equal(pgsim_kernel_new(&f->cfg, f->mem, o, &f->k), 0);
	if (ut_bits)
		assert_int_equal(pgsim_kernel_add_untyped(f->k, "ut", ut_pa, ut_bits, false), 0);
}

static inline void kf_init(struct kfix *f, const char *arch, pgsim_pa_t ut_pa, unsigned ut_bits)
{
	kf_init_opts(f, arch, ut_pa, ut_bits, NULL);
}

static inline void kf_free(struct kfix *f)
{
	pgsim_kernel_free(f->k);
	pgsim_mem_free(f->mem);
}

static inline void kf_expect(const struct pgsim_kres *r, enum pgsim_sel4_err e)
{
	if (r->err != e) {
		char buf[160];
		pgsim_kres_str(r, buf, sizeof buf);
		print_error("expected %s, got %s\n", pgsim_sel4_err_name(e), buf);
	}
	assert_int_equal(r->err, e);
}

/* Retype one object of `type` from untyped `ut` into `slot`: must work. */
static inline void kf_retype_from(struct kfix *f, const char *ut, const char *type,
				  unsigned size, const char *slot)
{
	struct pgsim_kres r;
	const char *d[1] = { slot };
	assert_int_equal(pgsim_kernel_retype(f->k, ut, type, size, d, 1, &r), 0);
	kf_expect(&r, PGSIM_SEL4_NO_ERROR);
}

static inline void kf_retype(struct kfix *f, const char *type, const char *slot)
{
	kf_retype_from(f, "ut", type, 0, slot);
}

static inline struct pgsim_kres kf_map(struct kfix *f, const char *slot, const char *vs,
				       pgsim_va_t va, unsigned rights, uint64_t attr)
{
	struct pgsim_kres r;
	assert_int_equal(pgsim_kernel_map(f->k, slot, vs, va, rights, attr, &r), 0);
	return r;
}

static inline void kf_map_ok(struct kfix *f, const char *slot, const char *vs,
			     pgsim_va_t va, unsigned rights, uint64_t attr)
{
	struct pgsim_kres r = kf_map(f, slot, vs, va, rights, attr);
	kf_expect(&r, PGSIM_SEL4_NO_ERROR);
}

static inline struct pgsim_kres kf_unmap(struct kfix *f, const char *slot)
{
	struct pgsim_kres r;
	assert_int_equal(pgsim_kernel_unmap(f->k, slot, &r), 0);
	return r;
}

/* Any invocation, for the decode paths the typed calls cannot reach. */
static inline struct pgsim_kres kf_invoke(struct kfix *f, const struct pgsim_kinv *inv)
{
	struct pgsim_kres r;
	assert_int_equal(pgsim_kernel_invoke(f->k, inv, &r), 0);
	return r;
}

static inline struct pgsim_kres kf_copy(struct kfix *f, const char *src, const char *dst,
					unsigned rights)
{
	struct pgsim_kres r;
	assert_int_equal(pgsim_kernel_copy(f->k, src, dst, rights, &r), 0);
	return r;
}

static inline struct pgsim_kres kf_delete(struct kfix *f, const char *slot)
{
	struct pgsim_kres r;
	assert_int_equal(pgsim_kernel_delete(f->k, slot, &r), 0);
	return r;
}

static inline void kf_assign(struct kfix *f, const char *vs)
{
	struct pgsim_kres r;
	assert_int_equal(pgsim_kernel_assign(f->k, "asid_pool", vs, &r), 0);
	kf_expect(&r, PGSIM_SEL4_NO_ERROR);
}

/* The x86_64 objects several tests start from: untyped "ut" = [ut,
 * +16 MiB); its first Retype resets it, so the 4 KiB objects land back
 * to back in the order retyped: "pml4" at ut, "pdpt" ut+0x1000, "pd"
 * ut+0x2000, "pt" ut+0x3000, "frame" ut+0x4000.  With `assign` the pml4
 * then gets ASID 1 from the boot pool. */
static inline void kf_x64_objects(struct kfix *f, pgsim_pa_t ut, bool assign)
{
	kf_init(f, "x86_64", ut, 24);
	kf_retype(f, "pml4", "pml4");
	kf_retype(f, "pdpt", "pdpt");
	kf_retype(f, "page_directory", "pd");
	kf_retype(f, "page_table", "pt");
	kf_retype(f, "frame_4k", "frame");
	if (assign)
		kf_assign(f, "pml4");
}

/* Map "pdpt", "pd", "pt" (in that order, default attributes) into "pml4"
 * for `va`: the PML4E, PDPTE and PDE that cover va. */
static inline void kf_x64_tables(struct kfix *f, pgsim_va_t va)
{
	kf_map_ok(f, "pdpt", "pml4", va, 0, 0);
	kf_map_ok(f, "pd", "pml4", va, 0, 0);
	kf_map_ok(f, "pt", "pml4", va, 0, 0);
}

static inline struct pgsim_kcap_info kf_cap(struct kfix *f, const char *slot)
{
	struct pgsim_kcap_info in;
	assert_int_equal(pgsim_kernel_cap(f->k, slot, &in), 0);
	return in;
}

static inline pgsim_pa_t kf_pa(struct kfix *f, const char *slot)
{
	struct pgsim_kcap_info in = kf_cap(f, slot);
	assert_int_not_equal(in.type, PGSIM_KCAP_NULL);
	return in.pa;
}

static inline uint64_t kf_entry(struct kfix *f, pgsim_pa_t table, unsigned index)
{
	return tu_get(f->mem, table + index * f->cfg.arch->entry_bytes, f->cfg.arch->entry_bytes);
}

static inline void kf_expect_missing(const struct pgsim_kres *r, unsigned bits)
{
	kf_expect(r, PGSIM_SEL4_FAILED_LOOKUP);
	assert_int_equal(r->lookup, PGSIM_SEL4_LOOKUP_MISSING_CAPABILITY);
	assert_int_equal(r->bits_left, bits);
	assert_int_equal(r->n_mr, 3);
	assert_int_equal(r->mr[2], bits);
}

#endif
