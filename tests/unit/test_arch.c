/* Descriptor tests, run for every architecture: the levels decode every
 * VA bit exactly once, every entry kind encodes and decodes back unchanged
 * at every level, and the configuration helpers behave. */
#include <errno.h>
#include <string.h>

#include "tutil.h"

static const char *const arch_names[] = { "ia32", "x86_64", "aarch64", "sv39" };

/* Fields that are part of an output address or of the entry's type
 * encoding (which encode() sets from `kind`), rather than flags. */
static bool is_address_field(const char *name)
{
	static const char *const names[] = { "PA39_32", "PPN", "P", "PS", "V", "valid", "type" };
	for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(name, names[i]) == 0)
			return true;
	return false;
}

static void each_arch(void (*fn)(const struct pgsim_arch *a))
{
	for (unsigned i = 0; i < sizeof arch_names / sizeof arch_names[0]; i++) {
		const struct pgsim_arch *a = pgsim_arch_find(arch_names[i]);
		assert_non_null(a);
		fn(a);
	}
}

static void selfcheck_one(const struct pgsim_arch *a)
{
	char err[128] = "";
	int rc = pgsim_arch_selfcheck(a, err, sizeof err);
	if (rc)
		print_error("%s\n", err);
	assert_int_equal(rc, 0);
}

/* pgsim_arch_selfcheck accepts every shipped descriptor. */
static void test_selfcheck(void **state)
{
	(void)state;
	each_arch(selfcheck_one);
}

/* For every supported VA width: setting VA bit b changes exactly one
 * level's index (by 1 << (b - shift)), the page offset bits change none,
 * and the bits together cover [page_lg2, va_bits) exactly. */
static void va_bits_one(const struct pgsim_arch *a)
{
	for (unsigned g = 0; g < a->n_va_geometries; g++) {
		struct pgsim_cfg cfg;
		pgsim_cfg_init(&cfg, a);
		assert_int_equal(pgsim_cfg_set_va_bits(&cfg, a->va_geometries[g].va_bits), 0);
		for (unsigned b = 0; b < cfg.va_bits; b++) {
			unsigned hits = 0;
			for (int l = cfg.top_level; l >= 0; l--) {
				unsigned idx = pgsim_level_index(&cfg, l, 1ull << b);
				if (idx) {
					hits++;
					assert_int_equal(idx, 1u << (b - a->level[l].shift));
				}
			}
			assert_int_equal(hits, b < a->page_lg2 ? 0 : 1);
		}
		/* The top level's index width reaches exactly va_bits. */
		unsigned top = (unsigned)cfg.top_level;
		assert_int_equal(a->level[top].shift + cfg.top_index_bits, cfg.va_bits);
		/* All-ones VA: every index is all ones. */
		for (int l = cfg.top_level; l >= 0; l--)
			assert_int_equal(pgsim_level_index(&cfg, l, ~0ull),
					 (1u << pgsim_level_index_bits(&cfg, l)) - 1);
	}
}

static void test_va_bits_once(void **state)
{
	(void)state;
	each_arch(va_bits_one);
}

/* An aligned output address that fits the arch's PA width at `level`. */
static pgsim_pa_t sample_addr(const struct pgsim_cfg *cfg, int level, enum pgsim_entry_kind kind)
{
	unsigned lo = kind == PGSIM_ENTRY_LEAF ? cfg->arch->level[level].shift : 12;
	unsigned top = cfg->pa_bits > 34 ? 34 : cfg->pa_bits; /* keep ia32 4K within 32 bits */
	if (cfg->arch->entry_bytes == 4 && !(kind == PGSIM_ENTRY_LEAF && level == 1))
		top = 32;
	pgsim_pa_t a = 0xA5A5A5A5A5ull & ((1ull << top) - 1);
	return a & ~((1ull << lo) - 1);
}

static void roundtrip_kind(const struct pgsim_cfg *cfg, int level, enum pgsim_entry_kind kind)
{
	const struct pgsim_arch *a = cfg->arch;
	const struct pgsim_arch_ops *o = a->ops;
	pgsim_pa_t addr = sample_addr(cfg, level, kind);
	pgsim_pa_t got = 0;
	/* An Sv39 PTE is a leaf only when R or X is set (RISC-V privileged
	 * spec, "leaf vs pointer"), so its leaves start from R. */
	uint64_t base = 0;
	const struct pgsim_field_desc *rf = pgsim_field_find(a, "R", kind, level);
	if (kind == PGSIM_ENTRY_LEAF && rf)
		base = pgsim_field_set(rf, 0, 1);
	uint64_t e0 = o->encode(cfg, level, kind, addr, base);
	assert_int_equal(o->classify(cfg, level, e0, &got), kind);
	assert_int_equal(got, addr);
	assert_int_equal(o->flags_of(cfg, level, kind, e0), base);

	for (unsigned i = 0; i < a->n_fields; i++) {
		const struct pgsim_field_desc *f = &a->fields[i];
		if (!(f->kinds & (1u << kind)) || !(f->levels & (1u << level)) ||
		    is_address_field(f->name))
			continue;
		uint64_t fb = pgsim_field_set(f, 0, 1);
		if (fb & e0)
			continue; /* a type bit encode() sets itself, or the base */
		fb |= base;
		uint64_t e1 = o->encode(cfg, level, kind, addr, fb);
		if (pgsim_field_get(f, e1) != 1 || o->flags_of(cfg, level, kind, e1) != fb)
			print_error("%s level %d %s: field %s lost\n", a->name, level,
				    pgsim_entry_kind_name(kind), f->name);
		assert_int_equal(pgsim_field_get(f, e1), 1);
		assert_int_equal(o->flags_of(cfg, level, kind, e1), fb);
		assert_int_equal(o->encode(cfg, level, kind, addr, o->flags_of(cfg, level, kind, e1)), e1);
		/* Some flags make an entry reserved (x86 XD without NXE, an
		 * Sv39 pointer with A); where the kind survives, so does addr. */
		enum pgsim_entry_kind k1 = o->classify(cfg, level, e1, &got);
		if (k1 == kind)
			assert_int_equal(got, addr);
		else
			assert_true(k1 == PGSIM_ENTRY_RESERVED || k1 == PGSIM_ENTRY_ADDR_SIZE);
	}
}

static void roundtrip_one(const struct pgsim_arch *a)
{
	for (unsigned g = 0; g < a->n_va_geometries; g++) {
		struct pgsim_cfg cfg;
		pgsim_cfg_init(&cfg, a);
		assert_int_equal(pgsim_cfg_set_va_bits(&cfg, a->va_geometries[g].va_bits), 0);
		for (int l = cfg.top_level; l >= 0; l--) {
			pgsim_pa_t got;
			uint64_t inv = a->ops->encode(&cfg, l, PGSIM_ENTRY_INVALID, 0, 0);
			assert_int_equal(a->ops->classify(&cfg, l, inv, &got), PGSIM_ENTRY_INVALID);
			if (l > 0)
				roundtrip_kind(&cfg, l, PGSIM_ENTRY_TABLE);
			if (a->level[l].leaf_ok)
				roundtrip_kind(&cfg, l, PGSIM_ENTRY_LEAF);
		}
	}
}

static void test_roundtrip(void **state)
{
	(void)state;
	each_arch(roundtrip_one);
}

/* Configuration: defaults, flag names, widths out of range. */
static void test_cfg(void **state)
{
	(void)state;
	struct pgsim_cfg c = tu_cfg("x86_64");
	assert_true(c.flags & PGSIM_CPU_WP);
	assert_int_equal(pgsim_cfg_set_flag(&c, "wp", false), 0);
	assert_false(c.flags & PGSIM_CPU_WP);
	assert_int_equal(pgsim_cfg_set_flag(&c, "sum", true), -ENOENT); /* RISC-V flag */
	assert_int_equal(pgsim_cfg_set_va_bits(&c, 39), -EINVAL);
	assert_int_equal(pgsim_cfg_set_pa_bits(&c, 53), -EINVAL);
	assert_int_equal(pgsim_cfg_set_pa_bits(&c, 46), 0);
	assert_int_equal(c.pa_bits, 46);
	assert_null(pgsim_arch_find("mips"));
	/* x86_64 geometry: 4 levels from PML4, 9 index bits at the top. */
	assert_int_equal(c.top_level, 3);
	assert_int_equal(c.top_index_bits, 9);
	c = tu_cfg("ia32");
	assert_int_equal(c.top_level, 1);
	assert_int_equal(c.top_index_bits, 10);
}

/* Canonical form: x86_64 sign-extends from bit 47, ia32 has 32 bits. */
static void test_va_forms(void **state)
{
	(void)state;
	struct pgsim_cfg c = tu_cfg("x86_64");
	assert_true(pgsim_va_ok(&c, 0x00007fffffffffffull));
	assert_false(pgsim_va_ok(&c, 0x0000800000000000ull));
	assert_true(pgsim_va_ok(&c, 0xffff800000000000ull));
	assert_false(pgsim_va_ok(&c, 0xfff0800000000000ull));
	assert_int_equal(pgsim_va_canonical(&c, 0x0000800000000000ull), 0xffff800000000000ull);
	assert_int_equal(pgsim_va_last(&c), ~0ull);
	c = tu_cfg("ia32");
	assert_true(pgsim_va_ok(&c, 0xffffffffull));
	assert_false(pgsim_va_ok(&c, 0x100000000ull));
	assert_int_equal(pgsim_va_last(&c), 0xffffffffull);
}

/* Named fields sit where the SDM puts them (x86_64 and ia32 spot checks). */
static void test_fields(void **state)
{
	(void)state;
	const struct pgsim_arch *a = pgsim_arch_find("x86_64");
	const struct pgsim_field_desc *f = pgsim_field_find(a, "XD", PGSIM_ENTRY_LEAF, 0);
	assert_non_null(f);
	assert_int_equal(f->pos, 63);
	f = pgsim_field_find(a, "PAT", PGSIM_ENTRY_LEAF, 0);
	assert_int_equal(f->pos, 7);
	f = pgsim_field_find(a, "PAT", PGSIM_ENTRY_LEAF, 1);
	assert_int_equal(f->pos, 12);
	assert_null(pgsim_field_find(a, "D", PGSIM_ENTRY_TABLE, 1));
	a = pgsim_arch_find("ia32");
	f = pgsim_field_find(a, "PA39_32", PGSIM_ENTRY_LEAF, 1);
	assert_int_equal(f->pos, 13);
	assert_int_equal(f->width, 8);

	struct pgsim_cfg c = tu_cfg("x86_64");
	char buf[128];
	/* 0x8000000000000067 = XD | D | A | US | RW | P */
	pgsim_entry_describe(&c, 0, PGSIM_ENTRY_LEAF, 0x8000000000005067ull, buf, sizeof buf);
	assert_string_equal(buf, "P RW US A D XD");
	pgsim_perms_str(PGSIM_P_UR | PGSIM_P_UX | PGSIM_P_SR | PGSIM_P_SW, buf, sizeof buf);
	assert_string_equal(buf, "u:r-x s:rw-");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_selfcheck),
		cmocka_unit_test(test_va_bits_once),
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_cfg),
		cmocka_unit_test(test_va_forms),
		cmocka_unit_test(test_fields),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
