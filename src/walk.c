/* The reference walker: translate one VA, or visit every mapping in a VA
 * range, reading nothing but simulated memory and the arch descriptor.
 * The architecture-specific decisions are the descriptor's ops; the order
 * of the steps follows the common shape of the manuals' walk algorithms
 * (SDM 4.5/4.6, Arm ARM D5 translation table walk, RISC-V privileged spec
 * "Virtual Address Translation Process"). */
#include <errno.h>
#include <string.h>

#include "pgsim/walk.h"

static void set_fault(const struct pgsim_cfg *cfg, const struct pgsim_walk_req *req,
		      struct pgsim_translation *t, enum pgsim_fault_kind kind, int level)
{
	t->ok = false;
	t->fault.kind = kind;
	t->fault.level = level;
	t->fault.addr = t->va;
	t->fault.code = 0;
	t->fault.text[0] = '\0';
	cfg->arch->ops->report(cfg, req->access, req->user, &t->fault);
}

static unsigned needed_perm(const struct pgsim_walk_req *req)
{
	static const unsigned user[] = { PGSIM_P_UR, PGSIM_P_UW, PGSIM_P_UX };
	static const unsigned sup[] = { PGSIM_P_SR, PGSIM_P_SW, PGSIM_P_SX };
	return req->user ? user[req->access] : sup[req->access];
}

static uint64_t lg2_mask(unsigned n)
{
	return n >= 64 ? ~0ull : (1ull << n) - 1;
}

int pgsim_walk_translate(const struct pgsim_cfg *cfg, struct pgsim_mem *mem,
			 pgsim_pa_t root, pgsim_va_t va,
			 const struct pgsim_walk_req *req, struct pgsim_translation *t)
{
	const struct pgsim_arch *a = cfg->arch;
	const struct pgsim_arch_ops *ops = a->ops;

	if (req->access > PGSIM_ACCESS_EXEC)
		return -EINVAL;
	memset(t, 0, sizeof *t);
	t->va = va;
	if (!pgsim_va_ok(cfg, va)) {
		set_fault(cfg, req, t, PGSIM_FAULT_VA_RANGE, -1);
		return 0;
	}
	if (a->root_addr_size_fault && cfg->pa_bits < 64 && (root >> cfg->pa_bits) != 0) {
		set_fault(cfg, req, t, PGSIM_FAULT_ADDRESS_SIZE, -1);
		return 0;
	}

	struct pgsim_acc acc = { .and_bits = ~0ull, .or_bits = 0 };
	pgsim_pa_t table = root;
	uint64_t e = 0;
	pgsim_pa_t addr = 0;
	int level;
	for (level = cfg->top_level; level >= 0; level--) {
		pgsim_pa_t epa = table + (pgsim_pa_t)pgsim_level_index(cfg, level, va) * a->entry_bytes;
		if (pgsim_mem_read_le(mem, epa, a->entry_bytes, &e) < 0) {
			set_fault(cfg, req, t, PGSIM_FAULT_BUS, level);
			return 0;
		}
		enum pgsim_entry_kind kind = ops->classify(cfg, level, e, &addr);
		/* A table entry at level 0 is an arch descriptor bug. */
		if (kind == PGSIM_ENTRY_TABLE && level == 0)
			kind = PGSIM_ENTRY_RESERVED;
		struct pgsim_trail_step *s = &t->trail[t->n_trail++];
		s->level = level;
		s->entry_pa = epa;
		s->value = e;
		s->kind = kind;
		switch (kind) {
		case PGSIM_ENTRY_INVALID:
			set_fault(cfg, req, t, PGSIM_FAULT_NOT_PRESENT, level);
			return 0;
		case PGSIM_ENTRY_RESERVED:
			set_fault(cfg, req, t, PGSIM_FAULT_RESERVED, level);
			return 0;
		case PGSIM_ENTRY_ADDR_SIZE:
			set_fault(cfg, req, t, PGSIM_FAULT_ADDRESS_SIZE, level);
			return 0;
		case PGSIM_ENTRY_TABLE:
			if (ops->accumulate)
				ops->accumulate(cfg, level, e, &acc);
			if (req->update_ad && ops->table_ad) {
				uint64_t e2 = ops->table_ad(cfg, level, e);
				if (e2 != e) {
					if (pgsim_mem_write_le(mem, epa, a->entry_bytes, e2) < 0)
						return -EIO;
					t->n_written++;
				}
			}
			table = addr;
			continue;
		case PGSIM_ENTRY_LEAF:
			break;
		}
		break;
	}
	if (level < 0) /* unreachable: level 0 never yields a table */
		return -EINVAL;

	unsigned perms = ops->perms(cfg, level, e, &acc);
	bool permitted = (perms & needed_perm(req)) != 0;
	uint64_t out = e;
	enum pgsim_fault_kind ad = ops->leaf_ad(cfg, level, e, req->access, permitted, &out);
	if (ad != PGSIM_FAULT_NONE) {
		set_fault(cfg, req, t, ad, level);
		return 0;
	}
	if (!permitted) {
		set_fault(cfg, req, t, PGSIM_FAULT_PERMISSION, level);
		return 0;
	}
	if (req->update_ad && out != e) {
		pgsim_pa_t epa = t->trail[t->n_trail - 1].entry_pa;
		if (pgsim_mem_write_le(mem, epa, a->entry_bytes, out) < 0)
			return -EIO;
		t->n_written++;
	}
	unsigned lg2 = a->level[level].shift;
	t->ok = true;
	t->level = level;
	t->page_lg2 = lg2;
	t->pa = (addr & ~lg2_mask(lg2)) | (va & lg2_mask(lg2));
	t->perms = perms;
	t->leaf = out;
	return 0;
}
