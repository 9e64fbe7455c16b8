/* pgsim: seL4 kernel model -- the ASID table, ASID pools, MakePool, Assign.
 *
 * The decode order is the one shared by decodeX86MMUInvocation,
 * decodeARMMMUInvocation and decodeRISCVMMUInvocation for the
 * asid_control and asid_pool caps (spec 1.5).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kernel_impl.h"

static const struct ktype pool_type = {
	.info = { "seL4_ASIDPool", "asid_pool", PGSIM_KOBJ_ASID_POOL, 12, 0, false, -1 },
	.aliases = { NULL },
};

/* A marker object standing for the initial thread's vspace (IT_ASID). */
static const struct ktype it_vspace_type = {
	.info = { "initial thread vspace", "it_vspace", PGSIM_KOBJ_TABLE, 12, 0, true, -1 },
	.aliases = { NULL },
};

static uint32_t pool_size(const struct pgsim_kernel *k)
{
	return 1u << k->ka->pool_index_bits;
}

static int pool_obj_new(struct pgsim_kernel *k, pgsim_pa_t pa, uint32_t *out)
{
	uint32_t o;
	int rc = k_obj_new(k, &pool_type, pa, 12, false, &o);
	if (rc)
		return rc;
	uint32_t *p = malloc(sizeof *p * pool_size(k));
	if (!p)
		return -ENOMEM;
	for (uint32_t i = 0; i < pool_size(k); i++)
		p[i] = K_NONE;
	k->objs[o].pool = p;
	*out = o;
	return 0;
}

/* The boot ASID pool (seL4_CapInitThreadASIDPool): pool 0, made from boot
 * memory, not from an untyped. */
int k_boot_pool(struct pgsim_kernel *k, const char *slot)
{
	uint32_t o, ci;
	int rc = pool_obj_new(k, 0, &o);
	if (rc)
		return rc;
	rc = k_cap_new(k, slot, PGSIM_KCAP_ASID_POOL, o, K_NONE, K_NONE, &ci);
	if (rc)
		return rc;
	k->caps[ci].revocable = true;
	k->caps[ci].asid_base = 0;
	k->asid_table[0] = o;
	if (k->opts.it_asid_reserved) {
		/* write_it_asid_pool: ASID 1 names the initial thread's vspace. */
		uint32_t it;
		rc = k_obj_new(k, &it_vspace_type, 0, 12, false, &it);
		if (rc)
			return rc;
		k->objs[o].pool[1] = it;
	}
	return 0;
}

/* findVSpaceForASID: the pool registered for the high bits, then its entry. */
uint32_t k_find_vspace(const struct pgsim_kernel *k, uint32_t asid)
{
	uint32_t hi = asid >> k->ka->pool_index_bits;
	if (hi >= 1u << k->ka->n_pools_bits)
		return K_NONE;
	uint32_t pool = k->asid_table[hi];
	if (pool == K_NONE)
		return K_NONE;
	return k->objs[pool].pool[asid & (pool_size(k) - 1)];
}

/* deleteASID: clear the pool entry only if it still names this root. */
void k_delete_asid(struct pgsim_kernel *k, uint32_t asid, uint32_t root_obj)
{
	uint32_t hi = asid >> k->ka->pool_index_bits;
	if (hi >= 1u << k->ka->n_pools_bits)
		return;
	uint32_t pool = k->asid_table[hi];
	if (pool == K_NONE)
		return;
	uint32_t *e = &k->objs[pool].pool[asid & (pool_size(k) - 1)];
	if (*e == root_obj)
		*e = K_NONE;
}

/* deleteASIDPool: unregister the pool if the table still names it; every
 * ASID of the pool stops resolving. */
void k_delete_pool(struct pgsim_kernel *k, uint32_t pool_obj, uint32_t asid_base)
{
	uint32_t hi = asid_base >> k->ka->pool_index_bits;
	if (hi < 1u << k->ka->n_pools_bits && k->asid_table[hi] == pool_obj)
		k->asid_table[hi] = K_NONE;
}

/* ASIDControl_MakePool, as decode*MMUInvocation's asid_control_cap case:
 * label, length, free pool (DeleteFirst, before the untyped is looked at),
 * untyped type/size/device (InvalidCapability 1), children (RevokeFirst),
 * destination slot (DeleteFirst); then performASIDControlInvocation. */
int k_decode_make_pool(struct pgsim_kernel *k, const struct kinv *inv, struct pgsim_kres *r)
{
	if (inv->label != PGSIM_KL_ASID_CONTROL_MAKE_POOL) {
		k_err(r, PGSIM_SEL4_ILLEGAL_OPERATION, "");
		return 0;
	}
	if (inv->n_words < 2 || inv->n_extra < 2) {
		k_err(r, PGSIM_SEL4_TRUNCATED_MESSAGE, "");
		return 0;
	}
	uint32_t npools = 1u << k->ka->n_pools_bits, i;
	for (i = 0; i < npools && k->asid_table[i] != K_NONE; i++)
		;
	if (i == npools) {
		k_err(r, PGSIM_SEL4_DELETE_FIRST, "ASIDControlMakePool: No unallocated pools found.");
		return 0;
	}
	uint32_t ui = inv->extra[0];
	struct kcap *u = k_cap(k, ui);
	if (!u || u->type != PGSIM_KCAP_UNTYPED || k->objs[u->obj].size_lg2 != 12 ||
	    k->objs[u->obj].device) {
		k_err_cap(r, 1, "");
		return 0;
	}
	if (k_has_children(k, ui)) {
		k_err(r, PGSIM_SEL4_REVOKE_FIRST, "");
		return 0;
	}
	if (inv->n_dest < 1 || !inv->dest[0])
		return -EINVAL;
	if (k_slot_find(k, inv->dest[0]) != K_NONE) {
		k_err(r, PGSIM_SEL4_DELETE_FIRST, "");
		return 0;
	}
	/* performASIDControlInvocation: the untyped is marked full, the pool
	 * frame zeroed, the pool cap inserted under the untyped. */
	pgsim_pa_t pa = k->objs[u->obj].pa;
	int rc = k_zero(k, pa, 1u << 12);
	if (rc)
		return rc;
	uint32_t o, ci;
	rc = pool_obj_new(k, pa, &o);
	if (rc)
		return rc;
	rc = k_cap_new(k, inv->dest[0], PGSIM_KCAP_ASID_POOL, o, ui, ui, &ci);
	if (rc)
		return rc;
	u = &k->caps[ui];
	u->free_bytes = 1u << 12;
	k->caps[ci].asid_base = i << k->ka->pool_index_bits;
	k->asid_table[i] = o;
	k_res_ok(r);
	r->value = k->caps[ci].asid_base;
	return 0;
}

/* ASIDPool_Assign: label, extra cap present, vspace root type and not yet
 * assigned (InvalidCapability 1), pool registered (FailedLookup
 * InvalidRoot), pool matches (InvalidCapability 0), a free ASID (lowest,
 * never ASID 0) else DeleteFirst; then performASIDPoolInvocation. */
int k_decode_assign(struct pgsim_kernel *k, const struct kinv *inv, struct pgsim_kres *r)
{
	if (inv->label != PGSIM_KL_ASID_POOL_ASSIGN) {
		k_err(r, PGSIM_SEL4_ILLEGAL_OPERATION, "");
		return 0;
	}
	if (inv->n_extra < 1) {
		k_err(r, PGSIM_SEL4_TRUNCATED_MESSAGE, "");
		return 0;
	}
	struct kcap *vs = k_cap(k, inv->extra[0]);
	if (!vs || !k_is_vtable_root(k, vs) || vs->mapped) {
		k_err_cap(r, 1, "ASIDPool: Invalid vspace root.");
		return 0;
	}
	const struct kcap *pc = &k->caps[inv->ci];
	uint32_t hi = pc->asid_base >> k->ka->pool_index_bits;
	uint32_t pool = k->asid_table[hi];
	if (pool == K_NONE) {
		k_err_invalid_root(r, "");
		return 0;
	}
	if (pool != pc->obj) {
		k_err_cap(r, 0, "");
		return 0;
	}
	uint32_t i;
	for (i = 0; i < pool_size(k) && (pc->asid_base + i == 0 || k->objs[pool].pool[i] != K_NONE); i++)
		;
	if (i == pool_size(k)) {
		k_err(r, PGSIM_SEL4_DELETE_FIRST, "");
		return 0;
	}
	uint32_t asid = pc->asid_base + i;
	vs->mapped = true;
	vs->asid = asid;
	vs->vaddr = 0;
	k->objs[pool].pool[i] = vs->obj;
	if (k->ka->ops->assigned) {
		int rc = k->ka->ops->assigned(k, vs->obj);
		if (rc)
			return rc;
	}
	k_res_ok(r);
	r->value = asid;
	return 0;
}
