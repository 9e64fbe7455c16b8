/* Geometry and small helpers shared by the test oracles (see oracle.h).
 *
 * VA splits (hw-formats.md): ia32 PD [31:22] PT [21:12] (1.2); x86_64
 * PML4 [47:39] PDPT [38:30] PD [29:21] PT [20:12] (1.4); AArch64 4 KiB
 * L0 [47:39] L1 [38:30] L2 [29:21] L3 [20:12], a 39-bit VA starts at L1,
 * a 40-bit VA at L1 with a 10-bit index (2.2, and pgsim's documented
 * concatenated root); Sv39 VPN[2] [38:30] VPN[1] [29:21] VPN[0] [20:12]
 * (3.1).
 */
#include <string.h>

#include "oracle.h"

unsigned oracle_levels(const struct oracle_cfg *c)
{
	switch (c->arch) {
	case ORACLE_IA32:
		return 2;
	case ORACLE_X86_64:
		return 4;
	case ORACLE_AARCH64:
		return c->va_bits == 48 ? 4 : 3;
	case ORACLE_SV39:
		return 3;
	}
	return 0;
}

int oracle_top_level(const struct oracle_cfg *c)
{
	return (int)oracle_levels(c) - 1;
}

unsigned oracle_shift(const struct oracle_cfg *c, int level)
{
	if (c->arch == ORACLE_IA32)
		return 12 + 10 * (unsigned)level;
	return 12 + 9 * (unsigned)level;
}

unsigned oracle_index_bits(const struct oracle_cfg *c, int level)
{
	if (level == oracle_top_level(c))
		return c->va_bits - oracle_shift(c, level);
	return c->arch == ORACLE_IA32 ? 10 : 9;
}

unsigned oracle_entry_bytes(const struct oracle_cfg *c)
{
	return c->arch == ORACLE_IA32 ? 4 : 8;
}

bool oracle_sign_extend(const struct oracle_cfg *c)
{
	return c->arch == ORACLE_X86_64 || c->arch == ORACLE_SV39;
}

uint64_t oracle_canonical(const struct oracle_cfg *c, uint64_t va)
{
	uint64_t low = va & ((1ull << c->va_bits) - 1);

	if (oracle_sign_extend(c) && (low >> (c->va_bits - 1)) & 1)
		return low | ~((1ull << c->va_bits) - 1);
	return low;
}

void oracle_reset(struct oracle_res *r)
{
	memset(r, 0, sizeof *r);
	r->fault_level = -1;
	r->level = -1;
	r->code_defined = true;
}

bool oracle_read(const struct pgsim_mem *m, struct oracle_res *r, int level,
		 uint64_t table, uint64_t entry_pa, unsigned bytes, uint64_t *e)
{
	if (pgsim_mem_read_le(m, entry_pa, bytes, e) != 0)
		return false;
	if (r->n_steps < ORACLE_MAX_STEPS) {
		r->step_pa[r->n_steps] = entry_pa;
		r->step_val[r->n_steps] = *e;
		r->step_table[r->n_steps] = table;
		r->step_level[r->n_steps] = level;
		r->n_steps++;
	}
	return true;
}

void oracle_fail(struct oracle_res *r, int kind, int level)
{
	r->ok = false;
	r->fault = kind;
	r->fault_level = level;
}

void oracle_succeed(struct oracle_res *r, uint64_t frame, unsigned lg2, int level,
		    uint64_t va)
{
	r->leaf = true;
	r->pa = frame | (va & ((1ull << lg2) - 1));
	r->page_lg2 = lg2;
	r->level = level;
}

unsigned oracle_needed(enum pgsim_access acc, bool user)
{
	static const unsigned u[3] = { PGSIM_P_UR, PGSIM_P_UW, PGSIM_P_UX };
	static const unsigned s[3] = { PGSIM_P_SR, PGSIM_P_SW, PGSIM_P_SX };

	return user ? u[acc] : s[acc];
}

void oracle_translate(const struct oracle_cfg *c, const struct pgsim_mem *m, uint64_t root,
		      uint64_t va, enum pgsim_access acc, bool user, struct oracle_res *r)
{
	switch (c->arch) {
	case ORACLE_IA32:
	case ORACLE_X86_64:
		oracle_x86(c, m, root, va, acc, user, r);
		return;
	case ORACLE_AARCH64:
		oracle_aarch64(c, m, root, va, acc, user, r);
		return;
	case ORACLE_SV39:
		oracle_sv39(c, m, root, va, acc, user, r);
		return;
	}
}
