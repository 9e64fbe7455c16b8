/* seL4 kernel model, audit against the kernel source (docs/sel4-model.md):
 * cap lifetimes and their effect on mappings, per architecture -- unmap
 * after the vspace was deleted, stale caps when an ASID is reused, revoke
 * of an untyped with mapped frames or holding the vspace, root-cap copies
 * (isFinalCapability), stale table unmaps, the RISC-V root that lost its
 * pool; plus the Arch_deriveCap / maskVMRights messages and retype
 * alignment and size errors on every architecture.
 *
 * Fixture per architecture: "ut" = [0x10000000, +16 MiB) holds the root
 * "vs" (ASID 1) and the tables t0.. for VA 0, retyped in that order; a
 * second untyped "u2" = [0x20000000, +64 KiB) holds frames.
 */
#include "test_kernel_util.h"

#define UT 0x10000000ull
#define U2 0x20000000ull
#define RW PGSIM_SEL4_READ_WRITE

struct arch_tables {
	const char *arch;
	const char *tables[3];
	unsigned n;
	uint64_t attr;
};

static const struct arch_tables archs[] = {
	{ "ia32", { "page_table" }, 1, 0 },
	{ "x86_64", { "pdpt", "page_directory", "page_table" }, 3, 0 },
	{ "aarch64", { "page_table", "page_table", "page_table" }, 3, 3 },
	{ "sv39", { "page_table", "page_table" }, 2, 0 },
};
#define N_ARCHS (sizeof archs / sizeof archs[0])

static const char *const tn[3] = { "t0", "t1", "t2" };

static void setup(struct kfix *f, const struct arch_tables *a)
{
	kf_init(f, a->arch, UT, 24);
	assert_int_equal(pgsim_kernel_add_untyped(f->k, "u2", U2, 16, false), 0);
	kf_retype(f, "vspace", "vs");
	kf_assign(f, "vs");
	for (unsigned i = 0; i < a->n; i++) {
		kf_retype(f, a->tables[i], tn[i]);
		kf_map_ok(f, tn[i], "vs", 0, 0, a->attr);
	}
}

/* The same tables for VA 0 in another root (slots u0..). */
static void tables_in(struct kfix *f, const struct arch_tables *a, const char *root)
{
	static const char *const un[3] = { "u0", "u1", "u2t" };
	for (unsigned i = 0; i < a->n; i++) {
		kf_retype(f, a->tables[i], un[i]);
		kf_map_ok(f, un[i], root, 0, 0, a->attr);
	}
}

static pgsim_pa_t leaf_table(struct kfix *f, const struct arch_tables *a)
{
	return kf_pa(f, tn[a->n - 1]);
}

/* Frame "fr" from u2 (at U2), mapped read-write at VA 0x5000: slot 5 of
 * the leaf table. */
static void map_fr(struct kfix *f, const struct arch_tables *a)
{
	kf_retype_from(f, "u2", "frame", 0, "fr");
	kf_map_ok(f, "fr", "vs", 0x5000, RW, a->attr);
}

/* Delete and Copy that must succeed */
static struct pgsim_kres del(struct kfix *f, const char *slot)
{
	struct pgsim_kres r = kf_delete(f, slot);
	kf_expect(&r, PGSIM_SEL4_NO_ERROR);
	return r;
}

static void copy(struct kfix *f, const char *src, const char *dst, unsigned rights)
{
	struct pgsim_kres r = kf_copy(f, src, dst, rights);
	kf_expect(&r, PGSIM_SEL4_NO_ERROR);
}

/* Deleting the final root cap runs deleteASID: the ASID stops resolving,
 * nothing in the tables is written.  Then Page_Unmap of the frame finds
 * no vspace (unmapPage returns early) but still clears the cap; the leaf
 * entry is left as it was.  PageTable_Unmap likewise skips the parent
 * slot but still clears the table (clearMemory) and IsMapped.  Map with
 * the emptied root slot is InvalidCapability 1 (null cap). */
static void test_unmap_after_vspace_deleted(void **state)
{
	(void)state;
	for (unsigned i = 0; i < N_ARCHS; i++) {
		const struct arch_tables *a = &archs[i];
		struct kfix f;
		setup(&f, a);
		map_fr(&f, a);
		pgsim_pa_t leaf = leaf_table(&f, a);
		uint64_t e = kf_entry(&f, leaf, 5);
		assert_int_not_equal(e, 0);
		pgsim_pa_t root = kf_pa(&f, "vs");
		uint64_t root0 = kf_entry(&f, root, 0);
		del(&f, "vs");
		pgsim_pa_t p;
		assert_int_equal(pgsim_kernel_asid_root(f.k, 1, &p), -ENOENT);
		assert_int_equal(kf_entry(&f, root, 0), root0);

		struct pgsim_kres r = kf_map(&f, "fr", "vs", 0x5000, RW, a->attr);
		kf_expect(&r, PGSIM_SEL4_INVALID_CAPABILITY);
		assert_int_equal(r.cap, 1);
		r = kf_unmap(&f, "fr");
		kf_expect(&r, PGSIM_SEL4_NO_ERROR);
		assert_false(kf_cap(&f, "fr").mapped);
		assert_int_equal(kf_cap(&f, "fr").asid, 0);
		assert_int_equal(kf_entry(&f, leaf, 5), e);

		const char *last = tn[a->n - 1];
		r = kf_unmap(&f, last);
		kf_expect(&r, PGSIM_SEL4_NO_ERROR);
		assert_int_equal(kf_entry(&f, leaf, 5), 0);
		assert_false(kf_cap(&f, last).mapped);
		if (a->n > 1) /* the parent slot was not touched */
			assert_int_not_equal(kf_entry(&f, kf_pa(&f, tn[a->n - 2]), 0), 0);
		kf_free(&f);
	}
}

/* ASIDs are reused: after "vs" is deleted, the next root assigned gets
 * ASID 1 again.  Stale frame caps still name (ASID 1, vaddr):
 * - Page_Unmap of a stale cap whose frame is what the new vspace maps at
 *   that address clears the new mapping (unmapPage compares only the
 *   physical address), while the cap that made that mapping still says
 *   mapped;
 * - a stale cap whose address now holds another frame leaves it alone;
 * - Page_Map of a stale cap into the new root at its recorded address is
 *   the remap path (same ASID, same vaddr) and succeeds. */
static void test_stale_caps_after_asid_reuse(void **state)
{
	(void)state;
	for (unsigned i = 0; i < N_ARCHS; i++) {
		const struct arch_tables *a = &archs[i];
		struct kfix f;
		setup(&f, a);
		kf_retype_from(&f, "u2", "frame", 0, "fr");
		kf_retype_from(&f, "u2", "frame", 0, "h");
		kf_retype_from(&f, "u2", "frame", 0, "k");
		copy(&f, "fr", "fr3", RW);
		copy(&f, "fr", "fr2", RW);
		kf_map_ok(&f, "fr", "vs", 0x5000, RW, a->attr);
		kf_map_ok(&f, "fr3", "vs", 0x6000, RW, a->attr);
		kf_map_ok(&f, "k", "vs", 0x7000, RW, a->attr);
		del(&f, "vs");

		kf_retype(&f, "vspace", "vs2");
		kf_assign(&f, "vs2");
		assert_int_equal(kf_cap(&f, "vs2").asid, 1);
		tables_in(&f, a, "vs2");
		pgsim_pa_t leaf2 = kf_pa(&f, a->n == 1 ? "u0" : a->n == 2 ? "u1" : "u2t");
		kf_map_ok(&f, "fr2", "vs2", 0x5000, RW, a->attr);
		kf_map_ok(&f, "h", "vs2", 0x6000, RW, a->attr);
		uint64_t h_entry = kf_entry(&f, leaf2, 6);
		assert_int_not_equal(kf_entry(&f, leaf2, 5), 0);

		struct pgsim_kres r = kf_unmap(&f, "fr3");
		kf_expect(&r, PGSIM_SEL4_NO_ERROR);
		assert_int_equal(kf_entry(&f, leaf2, 6), h_entry);
		r = kf_unmap(&f, "fr");
		kf_expect(&r, PGSIM_SEL4_NO_ERROR);
		assert_int_equal(kf_entry(&f, leaf2, 5), 0);
		assert_true(kf_cap(&f, "fr2").mapped);

		kf_map_ok(&f, "k", "vs2", 0x7000, RW, a->attr);
		assert_int_equal(kf_entry(&f, leaf2, 7) != 0, 1);
		kf_free(&f);
	}
}

/* Revoke of the untyped the frames came from deletes them in MDB order;
 * each finaliseCap unmaps its own mapping (copies too); the tables stay.
 * The next Retype resets the untyped: back at its base, memory zeroed. */
static void test_revoke_untyped_with_mapped_frames(void **state)
{
	(void)state;
	for (unsigned i = 0; i < N_ARCHS; i++) {
		const struct arch_tables *a = &archs[i];
		struct kfix f;
		setup(&f, a);
		kf_retype_from(&f, "u2", "frame", 0, "fr");
		kf_retype_from(&f, "u2", "frame", 0, "g");
		copy(&f, "fr", "frc", RW);
		kf_map_ok(&f, "fr", "vs", 0x5000, RW, a->attr);
		kf_map_ok(&f, "g", "vs", 0x6000, RW, a->attr);
		kf_map_ok(&f, "frc", "vs", 0x7000, RW, a->attr);
		tu_put(f.mem, U2 + 0x1010, 4, 0xabcd);
		pgsim_pa_t leaf = leaf_table(&f, a);
		struct pgsim_kres r;
		assert_int_equal(pgsim_kernel_revoke(f.k, "u2", &r), 0);
		kf_expect(&r, PGSIM_SEL4_NO_ERROR);
		for (unsigned idx = 5; idx <= 7; idx++)
			assert_int_equal(kf_entry(&f, leaf, idx), 0);
		assert_int_equal(kf_cap(&f, "fr").type, PGSIM_KCAP_NULL);
		assert_int_equal(kf_cap(&f, "frc").type, PGSIM_KCAP_NULL);
		assert_true(kf_cap(&f, tn[a->n - 1]).mapped);
		if (a->n > 1)
			assert_int_not_equal(kf_entry(&f, kf_pa(&f, tn[a->n - 2]), 0), 0);
		kf_retype_from(&f, "u2", "frame", 0, "again");
		assert_int_equal(kf_pa(&f, "again"), U2);
		assert_int_equal(tu_get(f.mem, U2 + 0x1010, 4), 0);
		kf_free(&f);
	}
}

/* Revoke of the untyped that holds the root and the tables: MDB order is
 * the reverse of creation (insertNewCap puts each new cap right after the
 * untyped), so the lowest table goes first and is unlinked from its
 * still-live parent, and so on up; the root last (deleteASID).  The leaf
 * table itself is not cleared, so the frame's entry survives in it, and
 * the frame cap, now stale, unmaps without touching it. */
static void test_revoke_untyped_with_vspace(void **state)
{
	(void)state;
	for (unsigned i = 0; i < N_ARCHS; i++) {
		const struct arch_tables *a = &archs[i];
		struct kfix f;
		setup(&f, a);
		map_fr(&f, a);
		pgsim_pa_t leaf = leaf_table(&f, a), root = kf_pa(&f, "vs");
		pgsim_pa_t tpa[3];
		for (unsigned t = 0; t < a->n; t++)
			tpa[t] = kf_pa(&f, tn[t]);
		uint64_t e = kf_entry(&f, leaf, 5);
		struct pgsim_kres r;
		assert_int_equal(pgsim_kernel_revoke(f.k, "ut", &r), 0);
		kf_expect(&r, PGSIM_SEL4_NO_ERROR);
		assert_int_equal(kf_cap(&f, "vs").type, PGSIM_KCAP_NULL);
		assert_int_equal(kf_entry(&f, root, 0), 0);
		for (unsigned t = 0; t + 1 < a->n; t++)
			assert_int_equal(kf_entry(&f, tpa[t], 0), 0);
		assert_int_equal(kf_entry(&f, leaf, 5), e);
		assert_true(kf_cap(&f, "fr").mapped);
		r = kf_unmap(&f, "fr");
		kf_expect(&r, PGSIM_SEL4_NO_ERROR);
		assert_int_equal(kf_entry(&f, leaf, 5), e);
		kf_free(&f);
	}
}

/* A copy of an assigned root keeps the ASID alive: deleting the original
 * is not final (isFinalCapability), so no deleteASID; Map through the
 * copy works.  Deleting the copy then frees the ASID.  An unassigned root
 * cannot be copied (Arch_deriveCap: IllegalOperation). */
static void test_root_copies(void **state)
{
	(void)state;
	for (unsigned i = 0; i < N_ARCHS; i++) {
		const struct arch_tables *a = &archs[i];
		struct kfix f;
		setup(&f, a);
		kf_retype_from(&f, "u2", "frame", 0, "fr");
		copy(&f, "vs", "vsc", 0);
		assert_false(kf_cap(&f, "vs").final);
		del(&f, "vs");
		kf_map_ok(&f, "fr", "vsc", 0x5000, RW, a->attr);
		pgsim_pa_t p;
		assert_int_equal(pgsim_kernel_asid_root(f.k, 1, &p), 0);
		del(&f, "vsc");
		assert_int_equal(pgsim_kernel_asid_root(f.k, 1, &p), -ENOENT);
		kf_retype(&f, "vspace", "fresh");
		struct pgsim_kres r;
		assert_int_equal(pgsim_kernel_copy(f.k, "fresh", "fc", RW, &r), 0);
		kf_expect(&r, PGSIM_SEL4_ILLEGAL_OPERATION);
		assert_int_equal(kf_cap(&f, "fc").type, PGSIM_KCAP_NULL);
		kf_free(&f);
	}
}

/* What a frame copy records: Arch_deriveCap clears the ASID, and keeps
 * the address on x86 (Mode_deriveCap) and AArch64, clears it on RISC-V.
 * Page_Unmap of that unmapped copy: x86 returns before touching the cap
 * (performX86FrameInvocationUnmap), AArch64 and RISC-V always write
 * address 0 (performPageInvocationUnmap).  The original's mapping stays. */
static void test_unmapped_copy_fields(void **state)
{
	(void)state;
	static const pgsim_va_t after_copy[N_ARCHS] = { 0x5000, 0x5000, 0x5000, 0 };
	static const pgsim_va_t after_unmap[N_ARCHS] = { 0x5000, 0x5000, 0, 0 };
	for (unsigned i = 0; i < N_ARCHS; i++) {
		const struct arch_tables *a = &archs[i];
		struct kfix f;
		setup(&f, a);
		map_fr(&f, a);
		copy(&f, "fr", "fc", RW);
		struct pgsim_kcap_info in = kf_cap(&f, "fc");
		assert_false(in.mapped);
		assert_int_equal(in.asid, 0);
		assert_int_equal(in.vaddr, after_copy[i]);
		struct pgsim_kres r = kf_unmap(&f, "fc");
		kf_expect(&r, PGSIM_SEL4_NO_ERROR);
		assert_int_equal(kf_cap(&f, "fc").vaddr, after_unmap[i]);
		assert_int_not_equal(kf_entry(&f, leaf_table(&f, a), 5), 0);
		assert_true(kf_cap(&f, "fr").mapped);
		/* the copy maps fresh at another address */
		kf_map_ok(&f, "fc", "vs", 0x6000, RW, a->attr);
		assert_int_equal(kf_cap(&f, "fc").vaddr, 0x6000);
		kf_free(&f);
	}
}

/* A table cap left mapped after its parent was unmapped (and zeroed) is
 * stale; once new tables occupy the same slots, its Unmap walks from the
 * root along its recorded address, does not meet itself (x86: the parent
 * slot points elsewhere; ARM/RISC-V: unmapPageTable's walk ends), clears
 * nothing but its own memory and drops IsMapped.  The new tables stay
 * linked.  (Not on ia32: its only non-root table is the PT.) */
static void test_stale_table_unmap(void **state)
{
	(void)state;
	for (unsigned i = 1; i < N_ARCHS; i++) {
		const struct arch_tables *a = &archs[i];
		struct kfix f;
		setup(&f, a);
		/* t0 is unmapped: zeroed, so t1 (and t2) hang nowhere */
		struct pgsim_kres r = kf_unmap(&f, "t0");
		kf_expect(&r, PGSIM_SEL4_NO_ERROR);
		assert_int_equal(kf_entry(&f, kf_pa(&f, "vs"), 0), 0);
		tables_in(&f, a, "vs");
		pgsim_pa_t t1 = kf_pa(&f, "t1");
		tu_put(f.mem, t1 + 8 * 7, 8, 0x1234); /* a marker in the stale table */
		uint64_t root0 = kf_entry(&f, kf_pa(&f, "vs"), 0);
		uint64_t u0_0 = kf_entry(&f, kf_pa(&f, "u0"), 0);
		assert_true(kf_cap(&f, "t1").mapped);
		r = kf_unmap(&f, "t1");
		kf_expect(&r, PGSIM_SEL4_NO_ERROR);
		assert_false(kf_cap(&f, "t1").mapped);
		assert_int_equal(kf_entry(&f, t1, 7), 0);
		assert_int_equal(kf_entry(&f, kf_pa(&f, "vs"), 0), root0);
		assert_int_equal(kf_entry(&f, kf_pa(&f, "u0"), 0), u0_0);
		assert_int_not_equal(u0_0, 0);
		kf_free(&f);
	}
}

/* RISC-V: a root PT cap stays "mapped" after its pool is deleted, but it
 * is no longer a vspace root (findVSpaceForASID fails), so PageTable_Unmap
 * is allowed: unmapPageTable finds nothing, clearMemory wipes the whole
 * table (kernel entries included), IsMapped = 0; Assign then works again
 * and copies the kernel entries back (root[256] = 0xef, spec 5.3 / the
 * model's kernel window).  While the root is live, Unmap is RevokeFirst. */
static void test_riscv_root_after_pool_delete(void **state)
{
	(void)state;
	struct kfix f;
	kf_init(&f, "sv39", UT, 24);
	struct pgsim_kres r;
	kf_retype_from(&f, "ut", "untyped", 12, "pool_ut");
	assert_int_equal(pgsim_kernel_make_pool(f.k, "asid_control", "pool_ut", "pool1", &r), 0);
	kf_expect(&r, PGSIM_SEL4_NO_ERROR);
	kf_retype(&f, "page_table", "root");
	assert_int_equal(pgsim_kernel_assign(f.k, "pool1", "root", &r), 0);
	kf_expect(&r, PGSIM_SEL4_NO_ERROR);
	assert_int_equal(r.value, 512);
	pgsim_pa_t root = kf_pa(&f, "root");
	assert_int_equal(kf_entry(&f, root, 256), 0xef);
	r = kf_unmap(&f, "root");
	kf_expect(&r, PGSIM_SEL4_REVOKE_FIRST);
	del(&f, "pool1");
	assert_true(kf_cap(&f, "root").mapped);
	r = kf_map(&f, "root", "root", 0, 0, 0);   /* still "mapped": cap 0 */
	kf_expect(&r, PGSIM_SEL4_INVALID_CAPABILITY);
	assert_int_equal(r.cap, 0);
	r = kf_unmap(&f, "root");
	kf_expect(&r, PGSIM_SEL4_NO_ERROR);
	assert_false(kf_cap(&f, "root").mapped);
	assert_int_equal(kf_entry(&f, root, 256), 0);
	kf_assign(&f, "root");
	assert_int_equal(kf_cap(&f, "root").asid, 1);
	assert_int_equal(kf_entry(&f, root, 256), 0xef);
	kf_free(&f);
}

/* Arch_deriveCap's userError per cap type, for Copy of an unmapped table
 * or unassigned root (IllegalOperation): x86 Arch_deriveCap /
 * Mode_deriveCap, AArch64 and RISC-V Arch_deriveCap. */
static void test_derive_messages(void **state)
{
	(void)state;
	static const struct { const char *arch, *type, *msg; } c[] = {
		{ "x86_64", "page_table", "Deriving an unmapped PT cap" },
		{ "x86_64", "page_directory", "Deriving a PD cap without an assigned ASID" },
		{ "x86_64", "pdpt", "Deriving an unmapped PTPD cap" },
		{ "x86_64", "pml4", "Deriving a PML4 cap without an assigned ASID" },
		{ "ia32", "page_table", "Deriving an unmapped PT cap" },
		{ "ia32", "page_directory", "Deriving a PD cap without an assigned ASID" },
		{ "aarch64", "page_table", "Deriving a PT cap without an assigned ASID" },
		{ "aarch64", "vspace", "Deriving a VSpace cap without an assigned ASID" },
		{ "sv39", "page_table", "Deriving an unmapped PT cap" },
	};
	for (unsigned i = 0; i < sizeof c / sizeof c[0]; i++) {
		struct kfix f;
		kf_init(&f, c[i].arch, UT, 24);
		kf_retype(&f, c[i].type, "t");
		struct pgsim_kres r;
		assert_int_equal(pgsim_kernel_copy(f.k, "t", "t2", RW, &r), 0);
		kf_expect(&r, PGSIM_SEL4_ILLEGAL_OPERATION);
		assert_int_equal(r.n_mr, 0);
		assert_string_equal(r.msg, c[i].msg);
		kf_free(&f);
	}
}

/* Copy / Mint narrow a frame cap with maskVMRights (Arch_maskCapRights),
 * which prints the write-only warning for a ReadWrite cap asked for
 * write without read; the copy is KernelOnly and the call succeeds.  A
 * ReadOnly cap asked the same gives KernelOnly silently. */
static void test_copy_write_only(void **state)
{
	(void)state;
	for (unsigned i = 0; i < N_ARCHS; i++) {
		struct kfix f;
		kf_init(&f, archs[i].arch, UT, 24);
		kf_retype(&f, "frame", "fr");
		struct pgsim_kres r;
		assert_int_equal(pgsim_kernel_copy(f.k, "fr", "wo", PGSIM_SEL4_CAN_WRITE, &r), 0);
		kf_expect(&r, PGSIM_SEL4_NO_ERROR);
		assert_string_equal(r.msg, "Attempted to make unsupported write only mapping");
		assert_int_equal(kf_cap(&f, "wo").rights, PGSIM_VM_KERNEL_ONLY);
		assert_int_equal(pgsim_kernel_mint(f.k, "fr", "ro", PGSIM_SEL4_CAN_READ, 7, &r), 0);
		kf_expect(&r, PGSIM_SEL4_NO_ERROR);
		assert_string_equal(r.msg, "");
		assert_int_equal(pgsim_kernel_copy(f.k, "ro", "ro_wo", PGSIM_SEL4_CAN_WRITE, &r), 0);
		kf_expect(&r, PGSIM_SEL4_NO_ERROR);
		assert_string_equal(r.msg, "");
		assert_int_equal(kf_cap(&f, "ro_wo").rights, PGSIM_VM_KERNEL_ONLY);
		kf_free(&f);
	}
}

/* Page_Map with write-only rights on a ReadWrite cap: maskVMRights prints
 * its warning where the decode calls it -- AArch64 right after the length
 * check, x86 after the ASID checks, RISC-V only once every check passed --
 * so a map that fails after that point still shows it (unless the
 * failure has its own userError), and one that fails before does not. */
static void test_write_only_map_warning(void **state)
{
	(void)state;
	static const char wo[] = "Attempted to make unsupported write only mapping";
	static const struct { const char *arch; bool null_vs, unaligned; } c[] = {
		{ "x86_64", false, true }, { "ia32", false, true },
		{ "aarch64", true, true }, { "sv39", false, false },
	};
	for (unsigned i = 0; i < sizeof c / sizeof c[0]; i++) {
		const struct arch_tables *a = &archs[0];
		for (unsigned j = 0; j < N_ARCHS; j++)
			if (strcmp(archs[j].arch, c[i].arch) == 0)
				a = &archs[j];
		struct kfix f;
		setup(&f, a);
		kf_retype_from(&f, "u2", "frame", 0, "fr");
		/* null vspace: x86 has its own message, ARM masked first,
		 * RISC-V has its own message */
		struct pgsim_kres r = kf_map(&f, "fr", "nothing", 0x5000, PGSIM_SEL4_CAN_WRITE, a->attr);
		kf_expect(&r, PGSIM_SEL4_INVALID_CAPABILITY);
		if (c[i].null_vs)
			assert_string_equal(r.msg, wo);
		else
			assert_string_not_equal(r.msg, wo);
		/* unaligned: AlignmentError, which has no message of its own */
		r = kf_map(&f, "fr", "vs", 0x5800, PGSIM_SEL4_CAN_WRITE, a->attr);
		kf_expect(&r, PGSIM_SEL4_ALIGNMENT_ERROR);
		assert_string_equal(r.msg, c[i].unaligned ? wo : "");
		r = kf_map(&f, "fr", "vs", 0x5000, PGSIM_SEL4_CAN_WRITE, a->attr);
		kf_expect(&r, PGSIM_SEL4_NO_ERROR);
		assert_string_equal(r.msg, wo);
		assert_int_equal(kf_cap(&f, "fr").map_rights, PGSIM_VM_KERNEL_ONLY);
		kf_free(&f);
	}
}

/* Retype on every arch: objects at the watermark aligned up to their size
 * (frame at UT, large page at UT + its size, next frame at UT + 2 x that);
 * RangeError(0, seL4_MaxUntypedBits) for an untyped above the maximum or
 * a size >= the word size; NotEnoughMemory with memoryLeft = the free
 * bytes counted without alignment; a device untyped: NotEnoughMemory is
 * checked before "kernel object from device memory" (InvalidArgument 1). */
static void test_retype_per_arch(void **state)
{
	(void)state;
	static const struct { const char *arch; unsigned large, max, word; } c[] = {
		{ "ia32", 22, 29, 32 }, { "x86_64", 21, 47, 64 },
		{ "aarch64", 21, 47, 64 }, { "sv39", 21, 38, 64 },
	};
	for (unsigned i = 0; i < sizeof c / sizeof c[0]; i++) {
		struct kfix f;
		kf_init(&f, c[i].arch, UT, 24);
		kf_retype(&f, "frame", "a");
		kf_retype(&f, "large_page", "b");
		kf_retype(&f, "frame", "c");
		uint64_t large = 1ull << c[i].large;
		assert_int_equal(kf_pa(&f, "a"), UT);
		assert_int_equal(kf_pa(&f, "b"), UT + large);
		assert_int_equal(kf_pa(&f, "c"), UT + 2 * large);
		assert_int_equal(kf_cap(&f, "ut").watermark, 2 * large + 0x1000);

		const char *d[] = { "x", "y" };
		struct pgsim_kres r;
		unsigned sizes[2] = { c[i].max + 1, c[i].word };
		for (unsigned s = 0; s < 2; s++) {
			assert_int_equal(pgsim_kernel_retype(f.k, "ut", "untyped", sizes[s], d, 1, &r), 0);
			kf_expect(&r, PGSIM_SEL4_RANGE_ERROR);
			assert_int_equal(r.n_mr, 2);
			assert_int_equal(r.mr[0], 0);
			assert_int_equal(r.mr[1], c[i].max);
		}
		/* 16 MiB - (2 large + 4K) free; two more large pages need 2
		 * large of it: enough on 2 MiB arches only up to 6, on ia32
		 * (4 MiB) 16M - 8M - 4K = 0x7ff000 holds one, not two */
		uint64_t left = (1ull << 24) - 2 * large - 0x1000;
		unsigned fit = (unsigned)(left >> c[i].large);
		const char *many[8] = { "m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7" };
		assert_int_equal(pgsim_kernel_retype(f.k, "ut", "large_page", 0, many, fit + 1, &r), 0);
		kf_expect(&r, PGSIM_SEL4_NOT_ENOUGH_MEMORY);
		assert_int_equal(r.memory_left, left);
		assert_int_equal(r.mr[0], left);

		assert_int_equal(pgsim_kernel_add_untyped(f.k, "dev", 0x30000000, 12, true), 0);
		assert_int_equal(pgsim_kernel_retype(f.k, "dev", "page_table", 0, d, 2, &r), 0);
		kf_expect(&r, PGSIM_SEL4_NOT_ENOUGH_MEMORY);
		assert_int_equal(r.memory_left, 0x1000);
		assert_int_equal(pgsim_kernel_retype(f.k, "dev", "page_table", 0, d, 1, &r), 0);
		kf_expect(&r, PGSIM_SEL4_INVALID_ARGUMENT);
		assert_int_equal(r.arg, 1);
		assert_int_equal(pgsim_kernel_retype(f.k, "dev", "untyped", 11, d, 1, &r), 0);
		kf_expect(&r, PGSIM_SEL4_NO_ERROR);
		assert_true(kf_cap(&f, "x").device);
		kf_free(&f);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unmap_after_vspace_deleted),
		cmocka_unit_test(test_stale_caps_after_asid_reuse),
		cmocka_unit_test(test_revoke_untyped_with_mapped_frames),
		cmocka_unit_test(test_revoke_untyped_with_vspace),
		cmocka_unit_test(test_root_copies),
		cmocka_unit_test(test_unmapped_copy_fields),
		cmocka_unit_test(test_stale_table_unmap),
		cmocka_unit_test(test_riscv_root_after_pool_delete),
		cmocka_unit_test(test_derive_messages),
		cmocka_unit_test(test_copy_write_only),
		cmocka_unit_test(test_write_only_map_warning),
		cmocka_unit_test(test_retype_per_arch),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
