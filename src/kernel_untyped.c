/* pgsim: seL4 kernel model -- untyped memory and Untyped_Retype.
 *
 * As seL4's decodeUntypedInvocation / invokeUntyped_Retype /
 * resetUntypedCap (src/object/untyped.c): an untyped cap carries its
 * watermark (capFreeIndex); a Retype from an untyped without CDT children
 * resets it (watermark 0, the used part of non-device memory cleared);
 * otherwise allocation continues from the watermark, aligned up to the
 * object size.  Objects are not zeroed at creation: the kernel relies on
 * the region below the watermark having been cleared at the last reset,
 * and boot untypeds start "full" so their first Retype clears them.
 */
#include <errno.h>
#include <string.h>

#include "kernel_impl.h"

#define RETYPE_FAN_OUT_LIMIT 256   /* CONFIG_RETYPE_FAN_OUT_LIMIT default */
#define RESET_CHUNK_BITS 8         /* CONFIG_RESET_CHUNK_BITS default */

int pgsim_kernel_add_untyped(struct pgsim_kernel *k, const char *slot,
			     pgsim_pa_t pa, unsigned size_lg2, bool device)
{
	if (!k || !slot)
		return -EINVAL;
	if (size_lg2 < k->ka->min_untyped_bits || size_lg2 > k->ka->max_untyped_bits)
		return -EINVAL;
	if (pa & ((1ull << size_lg2) - 1))
		return -EINVAL;
	if (k_slot_find(k, slot) != K_NONE)
		return -EEXIST;
	uint32_t o, ci;
	int rc = k_obj_new(k, &k->types[0], pa, size_lg2, device, &o);
	if (rc)
		return rc;
	rc = k_cap_new(k, slot, PGSIM_KCAP_UNTYPED, o, K_NONE, K_NONE, &ci);
	if (rc)
		return rc;
	/* create_untypeds_for_region: MAX_FREE_INDEX, i.e. full. */
	k->caps[ci].free_bytes = 1ull << size_lg2;
	k->caps[ci].revocable = true;
	return 0;
}

static const struct ktype *type_by_number(const struct pgsim_kernel *k, uint64_t n)
{
	for (unsigned i = 0; i < k->ka->n_types; i++)
		if (k->types[i].info.number == n)
			return &k->types[i];
	return NULL;
}

/* seL4_ObjectTypeCount of this build: the arch types follow the five
 * generic ones (seven with MCS). */
static uint64_t type_count(const struct pgsim_kernel *k)
{
	uint64_t max = 0;
	for (unsigned i = 0; i < k->ka->n_types; i++)
		if (k->types[i].info.number > max && k->types[i].info.number < 0xfffffffe)
			max = k->types[i].info.number;
	return max + 1;
}

/* getObjectSize */
static unsigned object_size(const struct ktype *t, uint64_t user_size)
{
	if (t->info.kind == PGSIM_KOBJ_UNTYPED)
		return (unsigned)user_size;
	return t->info.size_lg2;
}

static int reset_untyped(struct pgsim_kernel *k, struct kcap *u)
{
	const struct kobj *o = &k->objs[u->obj];
	uint64_t off = u->free_bytes;
	if (off == 0)
		return 0;
	if (!o->device) {
		uint64_t len;
		if (o->size_lg2 < RESET_CHUNK_BITS)
			len = 1ull << o->size_lg2;
		else
			len = (off + (1ull << RESET_CHUNK_BITS) - 1) & ~((1ull << RESET_CHUNK_BITS) - 1);
		int rc = k_zero(k, o->pa, len);
		if (rc)
			return rc;
	}
	u->free_bytes = 0;
	return 0;
}

int k_decode_retype(struct pgsim_kernel *k, const struct kinv *inv, struct pgsim_kres *r)
{
	if (inv->label != PGSIM_KL_UNTYPED_RETYPE) {
		k_err(r, PGSIM_SEL4_ILLEGAL_OPERATION, "Untyped cap: Illegal operation attempted.");
		return 0;
	}
	if (inv->n_words < 6 || inv->n_extra < 1) {
		k_err(r, PGSIM_SEL4_TRUNCATED_MESSAGE, "Untyped invocation: Truncated message.");
		return 0;
	}
	uint64_t ntype = inv->w[0], user_size = inv->w[1], window = inv->w[5];
	if (ntype >= type_count(k)) {
		k_err_arg(r, 0, "Untyped Retype: Invalid object type.");
		return 0;
	}
	const struct ktype *t = type_by_number(k, ntype);
	if (!t)
		return -ENOTSUP; /* TCB, endpoint, ... are not modelled */
	unsigned osize = object_size(t, user_size);
	if (user_size >= k->ka->word_bits || osize > k->ka->max_untyped_bits) {
		k_err_range(r, 0, k->ka->max_untyped_bits, "Untyped Retype: Invalid object size.");
		return 0;
	}
	if (t->info.kind == PGSIM_KOBJ_UNTYPED && user_size < k->ka->min_untyped_bits) {
		k_err_arg(r, 1, "Untyped Retype: Requested UntypedItem size too small.");
		return 0;
	}
	if (window < 1 || window > RETYPE_FAN_OUT_LIMIT) {
		k_err_range(r, 1, RETYPE_FAN_OUT_LIMIT,
			    "Untyped Retype: Number of requested objects too small or large.");
		return 0;
	}
	/* The destination window: the named slots given. */
	if (window > inv->n_dest)
		return -EINVAL;
	for (uint64_t i = 0; i < window; i++) {
		if (!inv->dest[i])
			return -EINVAL;
		for (uint64_t j = 0; j < i; j++)
			if (strcmp(inv->dest[i], inv->dest[j]) == 0)
				return -EINVAL;
	}
	for (uint64_t i = 0; i < window; i++) {
		if (k_slot_find(k, inv->dest[i]) != K_NONE) {
			k_err(r, PGSIM_SEL4_DELETE_FIRST,
			      "Untyped Retype: Slot in destination window non-empty.");
			return 0;
		}
	}
	uint32_t ui = inv->ci;
	struct kcap *u = &k->caps[ui];
	const struct kobj *uo = &k->objs[u->obj];
	bool reset = !k_has_children(k, ui);
	uint64_t free_off = reset ? 0 : u->free_bytes;
	uint64_t free_bytes = (1ull << uo->size_lg2) - free_off;
	if ((osize >= 64 ? 0 : free_bytes >> osize) < window) {
		k_err_memory(r, free_bytes, "Untyped Retype: Insufficient memory.");
		return 0;
	}
	if (uo->device && t->info.kind != PGSIM_KOBJ_FRAME && t->info.kind != PGSIM_KOBJ_UNTYPED) {
		k_err_arg(r, 1, "Untyped Retype: Creating kernel objects with device untyped");
		return 0;
	}
	/* invokeUntyped_Retype */
	pgsim_pa_t base = uo->pa;
	bool device = uo->device;
	pgsim_pa_t aligned = base + free_off;
	aligned = (aligned + (1ull << osize) - 1) & ~((1ull << osize) - 1);
	if (reset) {
		int rc = reset_untyped(k, u);
		if (rc)
			return rc;
	}
	u->free_bytes = aligned + (window << osize) - base;
	for (uint64_t i = 0; i < window; i++) {
		uint32_t o, ci;
		int rc = k_obj_new(k, t, aligned + (i << osize), osize, device, &o);
		if (rc)
			return rc;
		enum pgsim_kcap_type ct = PGSIM_KCAP_UNTYPED;
		switch (t->info.kind) {
		case PGSIM_KOBJ_FRAME: ct = PGSIM_KCAP_FRAME; break;
		case PGSIM_KOBJ_TABLE: ct = PGSIM_KCAP_TABLE; break;
		default: break;
		}
		rc = k_cap_new(k, inv->dest[i], ct, o, ui, ui, &ci);
		if (rc)
			return rc;
		struct kcap *c = &k->caps[ci];
		c->revocable = true;
		c->rights = PGSIM_VM_READ_WRITE;
		if (ct == PGSIM_KCAP_UNTYPED)
			c->free_bytes = 0;
		if (k->ka->ops->created) {
			rc = k->ka->ops->created(k, o);
			if (rc)
				return rc;
		}
	}
	k_res_ok(r);
	return 0;
}
