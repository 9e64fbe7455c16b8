/* Architecture registry and descriptor-driven helpers (geometry, VA form,
 * named fields).  Nothing here knows which architecture it serves. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "pgsim/arch.h"

static const struct pgsim_arch *const all_arches[] = {
	&pgsim_arch_ia32,
	&pgsim_arch_x86_64,
	&pgsim_arch_aarch64,
	&pgsim_arch_sv39,
};
#define N_ARCHES (sizeof all_arches / sizeof all_arches[0])

const struct pgsim_arch *pgsim_arch_find(const char *name)
{
	for (unsigned i = 0; i < N_ARCHES; i++)
		if (strcmp(all_arches[i]->name, name) == 0)
			return all_arches[i];
	return NULL;
}

const struct pgsim_arch *const *pgsim_arch_all(unsigned *n)
{
	*n = N_ARCHES;
	return all_arches;
}

const char *pgsim_arch_names(void)
{
	return "ia32, x86_64, aarch64, sv39";
}

static uint64_t mask_lg2(unsigned bits)
{
	return bits >= 64 ? ~0ull : (1ull << bits) - 1;
}

static void cfg_geometry(struct pgsim_cfg *cfg, const struct pgsim_va_geometry *g)
{
	cfg->va_bits = g->va_bits;
	cfg->top_level = g->top_level;
	cfg->top_index_bits = g->va_bits - cfg->arch->level[g->top_level].shift;
}

void pgsim_cfg_init(struct pgsim_cfg *cfg, const struct pgsim_arch *arch)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->arch = arch;
	for (unsigned i = 0; i < arch->n_cpu_flags; i++)
		if (arch->cpu_flags[i].default_on)
			cfg->flags |= arch->cpu_flags[i].bit;
	cfg->pa_bits = arch->pa_bits_default;
	cfg_geometry(cfg, &arch->va_geometries[0]);
}

int pgsim_cfg_set_va_bits(struct pgsim_cfg *cfg, unsigned va_bits)
{
	const struct pgsim_arch *a = cfg->arch;
	for (unsigned i = 0; i < a->n_va_geometries; i++) {
		if (a->va_geometries[i].va_bits == va_bits) {
			cfg_geometry(cfg, &a->va_geometries[i]);
			return 0;
		}
	}
	return -EINVAL;
}

int pgsim_cfg_set_pa_bits(struct pgsim_cfg *cfg, unsigned pa_bits)
{
	if (pa_bits < cfg->arch->pa_bits_min || pa_bits > cfg->arch->pa_bits_max)
		return -EINVAL;
	cfg->pa_bits = pa_bits;
	return 0;
}

int pgsim_cfg_set_flag(struct pgsim_cfg *cfg, const char *name, bool on)
{
	const struct pgsim_arch *a = cfg->arch;
	for (unsigned i = 0; i < a->n_cpu_flags; i++) {
		if (strcmp(a->cpu_flags[i].name, name) == 0) {
			if (on)
				cfg->flags |= a->cpu_flags[i].bit;
			else
				cfg->flags &= ~a->cpu_flags[i].bit;
			return 0;
		}
	}
	return -ENOENT;
}

unsigned pgsim_level_index_bits(const struct pgsim_cfg *cfg, int level)
{
	if (level == cfg->top_level)
		return cfg->top_index_bits;
	return cfg->arch->level[level].index_bits;
}

unsigned pgsim_level_index(const struct pgsim_cfg *cfg, int level, pgsim_va_t va)
{
	unsigned shift = cfg->arch->level[level].shift;
	return (unsigned)((va >> shift) & mask_lg2(pgsim_level_index_bits(cfg, level)));
}

bool pgsim_va_ok(const struct pgsim_cfg *cfg, pgsim_va_t va)
{
	unsigned n = cfg->va_bits;
	if (n >= 64)
		return true;
	if (cfg->arch->va_rule == PGSIM_VA_ZERO_EXTEND)
		return (va >> n) == 0;
	/* Sign extension: bits [63:n-1] all equal. */
	uint64_t top = va >> (n - 1);
	return top == 0 || top == (~0ull >> (n - 1));
}

pgsim_va_t pgsim_va_canonical(const struct pgsim_cfg *cfg, pgsim_va_t va)
{
	unsigned n = cfg->va_bits;
	if (n >= 64)
		return va;
	va &= mask_lg2(n);
	if (cfg->arch->va_rule == PGSIM_VA_SIGN_EXTEND && (va >> (n - 1)) & 1)
		va |= ~mask_lg2(n);
	return va;
}

pgsim_va_t pgsim_va_last(const struct pgsim_cfg *cfg)
{
	/* The highest address the root table can reach, in canonical form. */
	return pgsim_va_canonical(cfg, mask_lg2(cfg->va_bits));
}

const struct pgsim_field_desc *pgsim_field_find(const struct pgsim_arch *a,
						const char *name,
						enum pgsim_entry_kind kind, int level)
{
	for (unsigned i = 0; i < a->n_fields; i++) {
		const struct pgsim_field_desc *f = &a->fields[i];
		if (strcmp(f->name, name) != 0)
			continue;
		if (!(f->kinds & (1u << kind)) || !(f->levels & (1u << level)))
			continue;
		return f;
	}
	return NULL;
}

uint64_t pgsim_field_get(const struct pgsim_field_desc *f, uint64_t e)
{
	return (e >> f->pos) & mask_lg2(f->width);
}

uint64_t pgsim_field_set(const struct pgsim_field_desc *f, uint64_t e, uint64_t v)
{
	uint64_t m = mask_lg2(f->width) << f->pos;
	return (e & ~m) | ((v << f->pos) & m);
}

void pgsim_entry_describe(const struct pgsim_cfg *cfg, int level,
			  enum pgsim_entry_kind kind, uint64_t e, char *buf, size_t len)
{
	const struct pgsim_arch *a = cfg->arch;
	size_t used = 0;
	if (len == 0)
		return;
	buf[0] = '\0';
	/* Reserved or oversize entries are described with the fields of the
	 * kind they claim to be, as far as that can be told: show leaf fields. */
	enum pgsim_entry_kind k = kind;
	if (k == PGSIM_ENTRY_RESERVED || k == PGSIM_ENTRY_ADDR_SIZE || k == PGSIM_ENTRY_INVALID)
		k = a->level[level].leaf_ok ? PGSIM_ENTRY_LEAF : PGSIM_ENTRY_TABLE;
	for (unsigned i = 0; i < a->n_fields; i++) {
		const struct pgsim_field_desc *f = &a->fields[i];
		if (!(f->kinds & (1u << k)) || !(f->levels & (1u << level)))
			continue;
		uint64_t v = pgsim_field_get(f, e);
		if (v == 0)
			continue;
		int n;
		if (f->width == 1)
			n = snprintf(buf + used, len - used, "%s%s", used ? " " : "", f->name);
		else
			n = snprintf(buf + used, len - used, "%s%s=%#llx", used ? " " : "",
				     f->name, (unsigned long long)v);
		if (n < 0 || (size_t)n >= len - used) {
			buf[len - 1] = '\0';
			return;
		}
		used += (size_t)n;
	}
}

int pgsim_arch_selfcheck(const struct pgsim_arch *a, char *err, size_t len)
{
	unsigned entry_bits = a->entry_bytes * 8;
	if (a->levels == 0 || a->levels > PGSIM_MAX_LEVELS) {
		snprintf(err, len, "%s: %u levels", a->name, a->levels);
		return -EINVAL;
	}
	/* Levels must tile the VA from the page offset upward with no gap or
	 * overlap: level 0 starts at page_lg2, each next level starts where
	 * the one below ends. */
	unsigned expect = a->page_lg2;
	for (unsigned l = 0; l < a->levels; l++) {
		if (a->level[l].shift != expect) {
			snprintf(err, len, "%s: level %u starts at bit %u, expected %u",
				 a->name, l, a->level[l].shift, expect);
			return -EINVAL;
		}
		expect += a->level[l].index_bits;
	}
	for (unsigned i = 0; i < a->n_va_geometries; i++) {
		const struct pgsim_va_geometry *g = &a->va_geometries[i];
		if (g->top_level < 0 || (unsigned)g->top_level >= a->levels ||
		    g->va_bits <= a->level[g->top_level].shift) {
			snprintf(err, len, "%s: va geometry %u bad", a->name, g->va_bits);
			return -EINVAL;
		}
	}
	for (unsigned i = 0; i < a->n_fields; i++) {
		const struct pgsim_field_desc *f = &a->fields[i];
		if (f->width == 0 || f->pos + f->width > entry_bits) {
			snprintf(err, len, "%s: field %s does not fit", a->name, f->name);
			return -EINVAL;
		}
	}
	const struct pgsim_arch_ops *o = a->ops;
	if (!o || !o->classify || !o->perms || !o->leaf_ad || !o->report || !o->encode ||
	    !o->flags_of || !o->leaf_attrs) {
		snprintf(err, len, "%s: missing ops", a->name);
		return -EINVAL;
	}
	return 0;
}

void pgsim_perms_str(unsigned p, char *buf, size_t len)
{
	snprintf(buf, len, "u:%c%c%c s:%c%c%c",
		 p & PGSIM_P_UR ? 'r' : '-', p & PGSIM_P_UW ? 'w' : '-', p & PGSIM_P_UX ? 'x' : '-',
		 p & PGSIM_P_SR ? 'r' : '-', p & PGSIM_P_SW ? 'w' : '-', p & PGSIM_P_SX ? 'x' : '-');
}
