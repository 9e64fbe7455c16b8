/* qemu_gen: one seeded random page-table image for the QEMU cross-check
 * (scripts/qemu-xcheck), with pgsim's answer for every VA to ask QEMU.
 *
 *   qemu_gen CASE SEED NVAS IMAGE [DUMP]
 *
 * CASE is ia32, x86_64, aarch64_48, aarch64_39, sv39, or ia32_exec /
 * x86_64_exec (the same trees plus the ring-0 program of x86_stub.c,
 * written to IMAGE.lo, that makes QEMU's TCG walker answer).  The tree comes
 * from the slow suite's generator (tests/suites/oracle_gen.c: valid,
 * junk, misaligned, shared and cyclic entries), built at physical 0 and
 * then moved to the RAM base of the QEMU machine (arm virt 0x40000000,
 * riscv virt 0x80000000) by adding the base to the address field of
 * every valid entry; pgsim then walks the moved image, the same bytes
 * QEMU gets.  IMAGE receives the raw bytes of [base + IMG_LO, end of the
 * last table or of the AArch64 stub) for `-device loader,force-raw=on`.
 *
 * Run a second time with DUMP, QEMU's own RAM as `pmemsave` wrote it after
 * loading the images, it rebuilds the same tree and stub, checks that the
 * images sit in DUMP unchanged, and answers on DUMP instead: pgsim then
 * reads exactly the bytes QEMU's walker reads, including what the machine
 * itself put in RAM (arm virt's device tree in the first MiB, the pc BIOS
 * shadow at 0xe0000, riscv virt's device tree near the top).
 *
 * Standard output is line based (the driver parses it):
 *   image ADDR LEN F   a raw image file to load at ADDR
 *   key VALUE          case, arch, seed, base, root, VA/PA widths, flags
 *   set REG VALUE      register writes (gdb remote protocol, register
 *   or REG VALUE       names from QEMU's target description) and single
 *   step N             steps that put the paused CPU into the paging
 *                      mode of the image, in this order
 *   break VA, cont     (_exec) run the stub to its final hlt
 *   results VA N       (_exec) where its N result pairs are
 *   V VA OUTCOME...    one per VA: pgsim's answer for a supervisor read
 *                      (walk state as QEMU's debug translation sees it,
 *                      see below), the test oracle's answer, the trail
 *   W VA OUTCOME...    (_exec) the same for a supervisor write
 *
 * What QEMU's `gva2gpa` computes is a translation, not an access check,
 * so pgsim is asked the question closest to it: a supervisor read with
 * no A/D update, x86 with SMAP off (every present supervisor mapping is
 * readable), AArch64 at EL1 with PAN off and HA on (QEMU's debug walk
 * skips the AF check, get_phys_addr_lpae with in_debug), Sv39 with SUM on
 * (riscv_cpu_get_phys_page_debug forces SUM for debug lookups).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oracle.h"
#include "oracle_gen.h"
#include "pgsim/walk.h"
#include "x86_stub.h"

/* printf of 64-bit values */
#define U(x) ((unsigned long long)(x))

/* The generator's first table is at 0x100000 above the RAM base, and the
 * image starts there: above the legacy VGA/BIOS hole at 0xa0000-0xfffff
 * on x86, above the device tree arm virt copies to the first MiB of RAM.
 * The AArch64 boot stub takes the page after the last table. */
#define IMG_LO 0x100000ull

struct qcase {
	const char *name;
	const char *arch;
	enum oracle_arch oarch;
	unsigned va_bits;
	uint64_t base;           /* RAM base of the QEMU machine */
	bool exec;               /* x86: run accesses (x86_stub.c) */
};

static const struct qcase cases[] = {
	{ "ia32", "ia32", ORACLE_IA32, 32, 0, false },
	{ "x86_64", "x86_64", ORACLE_X86_64, 48, 0, false },
	{ "aarch64_48", "aarch64", ORACLE_AARCH64, 48, 0x40000000ull, false },
	{ "aarch64_39", "aarch64", ORACLE_AARCH64, 39, 0x40000000ull, false },
	{ "sv39", "sv39", ORACLE_SV39, 39, 0x80000000ull, false },
	{ "ia32_exec", "ia32", ORACLE_IA32, 32, 0, true },
	{ "x86_64_exec", "x86_64", ORACLE_X86_64, 48, 0, true },
};

/* Usage and input errors: one line, exit status 2. */
static int fail(const char *what, const char *arg)
{
	fprintf(stderr, "qemu_gen: %s%s\n", what, arg);
	return 2;
}

/* ---- moving the tree to the machine's RAM base ---------------------- */

/* Add base to the output-address field of a valid entry; the field wraps
 * inside itself so no other bit changes.  AArch64 OA[47:12] (hw-formats
 * 2.3), Sv39 PPN at bits 53:10 (3.2).  x86 images stay at 0. */
static uint64_t move_entry(enum oracle_arch a, uint64_t e, uint64_t base)
{
	uint64_t mask;

	if (!(e & 1) || base == 0)
		return e;
	if (a == ORACLE_AARCH64) {
		mask = 0x0000fffffffff000ull;
		return (e & ~mask) | ((e & mask) + base) % (1ull << 48);
	}
	if (a == ORACLE_SV39) {
		mask = 0x003ffffffffffc00ull;
		return (e & ~mask) | ((((e & mask) >> 10) + (base >> 12)) << 10 & mask);
	}
	return e;
}

static struct pgsim_mem *move_tree(const struct gen_tree *g, uint64_t base, uint64_t ram)
{
	struct pgsim_mem *m = pgsim_mem_new();
	unsigned eb = oracle_entry_bytes(&g->cfg);

	if (!m)
		return NULL;
	pgsim_mem_add_ram(m, base, base + ram - 1);
	for (unsigned t = 0; t < g->n_tables; t++) {
		for (uint64_t off = 0; off < 4096; off += eb) {
			uint64_t e;

			if (pgsim_mem_read_le(g->mem, g->t[t].pa + off, eb, &e) != 0 || e == 0)
				continue;
			if (pgsim_mem_write_le(m, base + g->t[t].pa + off, eb,
					       move_entry(g->cfg.arch, e, base)) != 0) {
				pgsim_mem_free(m);
				return NULL;
			}
		}
	}
	return m;
}

/* QEMU's RAM as pgsim memory, after checking that [pa, pa + len) holds the
 * same bytes in both (the loader put the image where it should). */
static struct pgsim_mem *load_dump(const struct pgsim_mem *m, const char *path, uint64_t base,
				   const uint64_t (*ranges)[2], unsigned n)
{
	struct pgsim_mem *d = pgsim_mem_new();
	static uint8_t a[4096], b[4096];
	char err[256];

	if (!d || pgsim_mem_import_file(d, path, base, err, sizeof err) != 0) {
		fprintf(stderr, "qemu_gen: %s: %s\n", path, d ? err : "out of memory");
		pgsim_mem_free(d);
		return NULL;
	}
	for (unsigned i = 0; i < n; i++)
		for (uint64_t pa = ranges[i][0]; pa < ranges[i][0] + ranges[i][1]; pa += 4096)
			if (pgsim_mem_read(m, pa, a, 4096) != 0 || pgsim_mem_read(d, pa, b, 4096) != 0 ||
			    memcmp(a, b, 4096) != 0) {
				fprintf(stderr, "qemu_gen: %s differs from the image at 0x%llx\n", path,
					U(pa));
				pgsim_mem_free(d);
				return NULL;
			}
	return d;
}

/* ---- per-architecture CPU setup (as gdb commands) -------------------- */

/* x86: the debug translation (x86_cpu_get_phys_page_attrs_debug) looks at
 * CR0.PG, CR4.PAE/PSE, CR3 and the LMA flag; gdb's cr0/cr3/cr4/efer
 * writes go through cpu_x86_update_cr0/cr4 and cpu_load_efer, so writing
 * CR4 and EFER before CR0.PG enters long mode as the SDM's sequence does
 * (SDM vol. 3 9.8.5: PAE, LME, CR3, then PG). */
static void setup_x86(const struct pgsim_cfg *cfg, uint64_t root, bool lm,
		      const struct x86_stub *stub, uint64_t n)
{
	uint64_t cr4 = lm ? 0x20 : 0, efer = 0;

	if (cfg->flags & PGSIM_CPU_PSE)
		cr4 |= 0x10;
	if (lm)
		efer |= 0x100; /* LME */
	if (lm && (cfg->flags & PGSIM_CPU_NXE))
		efer |= 0x800;
	printf("set cr0 0x11\n");           /* PE | ET */
	if (stub) {
		/* EFER.LMA by hand (cpu_load_efer sets the LMA hflag from it)
		 * so that loading CS from the stub's GDT at physical 0, while
		 * paging is still off, gives a 64-bit code segment
		 * (cpu_x86_load_seg_cache: CS64 needs LMA and L) */
		printf("set efer 0x%llx\n", U(lm ? efer | 0x400 : efer));
		printf("set cs 0x8\nset ss 0x10\nset ds 0x10\nset es 0x10\n");
	}
	printf("set cr4 0x%llx\n", U(cr4));
	if (!stub)
		printf("set efer 0x%llx\n", U(efer));
	printf("set cr3 0x%llx\n", U(root));
	printf("set cr0 0x%x\n", (cfg->flags & PGSIM_CPU_WP ? 0x10000u : 0) | 0x80000011u);
	if (stub) {
		/* the 32-bit stub's first instruction (call) pushes */
		printf("set rsp 0x%llx\n", U(stub->stack));
		printf("set rip 0x%llx\n", U(stub->entry));
		printf("break 0x%llx\ncont\n", U(stub->done));
		printf("results 0x%llx %llu\n", U(stub->results), U(n));
	}
}

/* AArch64 (QEMU 7.2 gdbstub cannot write system registers,
 * arm_gdb_set_sysreg is a no-op): a stub in the image loads them from
 * X1..X4, which gdb sets, and gdb single-steps it up to the instruction
 * after the SCTLR_EL1 write.  Encodings: MSR <sysreg>, Xt is
 * 0xd5180000 | op1 << 16 | CRn << 12 | CRm << 8 | op2 << 5 | Rt for
 * op0 = 3 (Arm ARM C6.2 MSR (register)). */
static const uint32_t arm_stub[] = {
	0xd518a201, /* msr mair_el1, x1   (3,0,c10,c2,0) */
	0xd5182042, /* msr tcr_el1, x2    (3,0,c2,c0,2) */
	0xd5182003, /* msr ttbr0_el1, x3  (3,0,c2,c0,0) */
	0xd5033fdf, /* isb */
	0xd5181004, /* msr sctlr_el1, x4  (3,0,c1,c0,0) */
	0xd5033fdf, /* isb */
	0x14000000, /* b . */
};

static unsigned ips_of(unsigned pa_bits)
{
	static const unsigned sizes[] = { 32, 36, 40, 42, 44, 48 };

	for (unsigned i = 0; i < 6; i++)
		if (sizes[i] == pa_bits)
			return i;
	return 5;
}

static void setup_aarch64(const struct pgsim_cfg *cfg, uint64_t root, uint64_t stub)
{
	/* TCR_EL1: T0SZ = 64 - VA bits, TG0 = 4 KiB (0), EPD1 (bit 23) so
	 * that upper-half VAs fault at level 0 like pgsim's TTBR0-only
	 * model, IPS (bits 34:32) = the output size (hw-formats 2.1). */
	uint64_t tcr = (64 - cfg->va_bits) | 1ull << 23 | (uint64_t)ips_of(cfg->pa_bits) << 32;

	printf("set pc 0x%llx\n", U(stub));
	printf("set x1 0xff\n");             /* MAIR: attr0 normal WB */
	printf("set x2 0x%llx\n", U(tcr));
	printf("set x3 0x%llx\n", U(root));
	printf("set x4 0x30d00801\n");       /* SCTLR_EL1 RES1 bits | M */
	printf("step 5\n");
}

/* Sv39: satp, the privilege level (QEMU's virtual "priv" register), SUM
 * and MXR in mstatus (bits 18, 19), and a PMP entry that opens all of
 * memory to S-mode (pmpaddr0 all ones, pmpcfg0 = NAPOT | R | W | X), so
 * that PTE reads are not PMP failures. */
static void setup_sv39(const struct pgsim_cfg *cfg, uint64_t root)
{
	uint64_t mstatus_bits = 1ull << 18 | (cfg->flags & PGSIM_CPU_MXR ? 1ull << 19 : 0);

	printf("set pmpaddr0 0x3fffffffffffff\n");
	printf("set pmpcfg0 0x1f\n");
	printf("or mstatus 0x%llx\n", U(mstatus_bits));
	printf("set satp 0x%llx\n", U(8ull << 60 | root >> 12));
	printf("set priv 1\n");
}

/* ---- answers -------------------------------------------------------- */

/* One line per VA and access: V (supervisor read) or W (supervisor
 * write). */
static void print_answer(const struct pgsim_cfg *cfg, const struct oracle_cfg *oc,
			 struct pgsim_mem *m, uint64_t root, uint64_t va, enum pgsim_access acc)
{
	struct pgsim_walk_req req = { .access = acc, .user = false };
	const char *tag = acc == PGSIM_ACCESS_WRITE ? "W" : "V";
	struct pgsim_translation t;
	struct oracle_res o;

	if (pgsim_walk_translate(cfg, m, root, va, &req, &t) != 0) {
		printf("%s 0x%llx error\n", tag, U(va));
		return;
	}
	oracle_translate(oc, m, root, va, acc, false, &o);
	printf("%s 0x%llx", tag, U(va));
	if (t.ok)
		printf(" ok 0x%llx %u %d", U(t.pa), t.page_lg2, t.level);
	else
		printf(" fault %s %d 0x%llx", pgsim_fault_kind_name(t.fault.kind),
		       t.fault.level, U(t.fault.code));
	if (o.ok)
		printf(" oracle ok 0x%llx", U(o.pa));
	else
		printf(" oracle fault %s", pgsim_fault_kind_name((enum pgsim_fault_kind)o.fault));
	printf(" trail");
	for (unsigned i = 0; i < t.n_trail; i++)
		printf(" %d:0x%llx:0x%llx:%s", t.trail[i].level,
		       U(t.trail[i].entry_pa), U(t.trail[i].value),
		       pgsim_entry_kind_name(t.trail[i].kind));
	printf("\n");
}

static void print_flags(const struct pgsim_cfg *cfg)
{
	printf("flags");
	for (unsigned i = 0; i < cfg->arch->n_cpu_flags; i++)
		if (cfg->flags & cfg->arch->cpu_flags[i].bit)
			printf(" %s", cfg->arch->cpu_flags[i].name);
	printf("\n");
}

int main(int argc, char **argv)
{
	const struct qcase *qc = NULL;
	struct pgsim_cfg cfg;
	struct oracle_cfg oc;
	struct gen_tree g;
	struct gen_rng r;
	struct pgsim_mem *m;
	uint64_t seed, nvas, root, stub, img_len, *vas;
	struct x86_stub xs;
	char *end;
	int rc;

	if (argc != 5 && argc != 6)
		return fail("usage: qemu_gen CASE SEED NVAS IMAGE [DUMP], CASE one of ",
			    "ia32 x86_64 aarch64_48 aarch64_39 sv39 ia32_exec x86_64_exec");
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		if (strcmp(cases[i].name, argv[1]) == 0)
			qc = &cases[i];
	if (!qc)
		return fail("unknown case ", argv[1]);
	errno = 0;
	seed = strtoull(argv[2], &end, 0);
	if (errno || *end)
		return fail("bad seed ", argv[2]);
	nvas = strtoull(argv[3], &end, 0);
	if (errno || *end || nvas == 0 || (qc->exec && nvas > X86_STUB_MAX_VAS))
		return fail("bad VA count ", argv[3]);

	/* Per-seed CPU state, drawn from the seed (not from the tree's
	 * stream): x86 NXE and WP, ia32 PSE, Arm output size, Sv39 MXR.
	 * MAXPHYADDR stays at QEMU's default 40 (qemu64 phys-bits). */
	gen_seed(&r, seed ^ 0x71e3c0deull);
	pgsim_cfg_init(&cfg, pgsim_arch_find(qc->arch));
	if (pgsim_cfg_set_va_bits(&cfg, qc->va_bits) != 0)
		return fail("VA width not supported for ", qc->name);
	switch (qc->oarch) {
	case ORACLE_IA32:
		pgsim_cfg_set_flag(&cfg, "pse", gen_chance(&r, 3, 4));
		pgsim_cfg_set_flag(&cfg, "wp", gen_chance(&r, 1, 2));
		pgsim_cfg_set_pa_bits(&cfg, 40);
		break;
	case ORACLE_X86_64:
		pgsim_cfg_set_flag(&cfg, "nxe", gen_chance(&r, 1, 2));
		pgsim_cfg_set_flag(&cfg, "wp", gen_chance(&r, 1, 2));
		pgsim_cfg_set_pa_bits(&cfg, 40);
		break;
	case ORACLE_AARCH64: {
		static const unsigned pas[] = { 32, 36, 40, 42, 44, 48 };

		pgsim_cfg_set_pa_bits(&cfg, pas[gen_below(&r, 6)]);
		pgsim_cfg_set_flag(&cfg, "ha", true);
		pgsim_cfg_set_flag(&cfg, "pan", false);
		break;
	}
	case ORACLE_SV39:
		pgsim_cfg_set_flag(&cfg, "sum", true);
		pgsim_cfg_set_flag(&cfg, "mxr", gen_chance(&r, 1, 2));
		pgsim_cfg_set_flag(&cfg, "svade", false);
		break;
	}
	oc.arch = qc->oarch;
	oc.va_bits = cfg.va_bits;
	oc.pa_bits = cfg.pa_bits;
	oc.flags = cfg.flags;

	if (gen_tree_build(&g, &oc, seed) != 0)
		return fail("out of memory building the tree", "");
	m = move_tree(&g, qc->base, GEN_RAM_LAST + 1);
	if (!m)
		return fail("out of memory moving the tree", "");
	root = qc->base + g.root;
	/* VAs from the generator's sampler (mostly along generated paths),
	 * with its own stream so the tree does not depend on NVAS.  A 32-bit
	 * program names 32-bit linear addresses only. */
	vas = malloc(nvas * sizeof *vas);
	if (!vas)
		return fail("out of memory", "");
	gen_seed(&r, seed ^ 0xa5a5f00dull);
	for (uint64_t i = 0; i < nvas; i++) {
		vas[i] = gen_sample_va(&g, &r);
		if (qc->exec && qc->oarch == ORACLE_IA32)
			vas[i] &= 0xffffffffull;
	}
	if (qc->exec) {
		char lo[4096];

		if (x86_stub_install(m, root, qc->oarch == ORACLE_X86_64, vas, (unsigned)nvas,
				     &xs) != 0)
			return fail("no free root entry for the stub", "");
		snprintf(lo, sizeof lo, "%s.lo", argv[4]);
		if (argc == 5 && pgsim_mem_export_file(m, lo, 0, X86_STUB_END) != 0)
			return fail("cannot write ", lo);
		printf("image 0x0 0x%llx %s\n", U(X86_STUB_END), lo);
	}
	stub = qc->base + ((g.next_free + 0xfff) & ~0xfffull);
	img_len = stub - qc->base - IMG_LO;
	if (qc->oarch == ORACLE_AARCH64) {
		for (unsigned i = 0; i < sizeof arm_stub / sizeof arm_stub[0]; i++)
			pgsim_mem_write_le(m, stub + 4 * i, 4, arm_stub[i]);
		img_len += 0x1000;
	}
	if (argc == 5) {
		rc = pgsim_mem_export_file(m, argv[4], qc->base + IMG_LO, img_len);
		if (rc != 0)
			return fail("cannot write ", argv[4]);
	} else {
		const uint64_t ranges[2][2] = { { qc->base + IMG_LO, img_len }, { 0, X86_STUB_END } };
		struct pgsim_mem *d = load_dump(m, argv[5], qc->base, ranges, qc->exec ? 2 : 1);

		if (!d)
			return 2;
		pgsim_mem_free(m);
		m = d;
	}

	printf("image 0x%llx 0x%llx %s\n", U(qc->base + IMG_LO), U(img_len), argv[4]);
	printf("case %s\narch %s\nseed 0x%llx\nbase 0x%llx\nram 0x%llx\nroot 0x%llx\n",
	       qc->name, qc->arch, U(seed), U(qc->base), U(GEN_RAM_LAST + 1), U(root));
	printf("va_bits %u\npa_bits %u\n", cfg.va_bits, cfg.pa_bits);
	print_flags(&cfg);
	switch (qc->oarch) {
	case ORACLE_IA32:
	case ORACLE_X86_64:
		setup_x86(&cfg, root, qc->oarch == ORACLE_X86_64, qc->exec ? &xs : NULL, nvas);
		break;
	case ORACLE_AARCH64:
		setup_aarch64(&cfg, root, stub);
		break;
	case ORACLE_SV39:
		setup_sv39(&cfg, root);
		break;
	}
	for (uint64_t i = 0; i < nvas; i++) {
		print_answer(&cfg, &oc, m, root, vas[i], PGSIM_ACCESS_READ);
		if (qc->exec)
			print_answer(&cfg, &oc, m, root, vas[i], PGSIM_ACCESS_WRITE);
	}
	free(vas);
	pgsim_mem_free(m);
	gen_tree_free(&g);
	return 0;
}
