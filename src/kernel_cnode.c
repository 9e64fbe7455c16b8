/* pgsim: seL4 kernel model -- CNode Copy, Mint, Move, Delete, Revoke.
 *
 * As seL4's decodeCNodeInvocation (src/object/cnode.c) on one flat CSpace
 * whose slots are names: destination must be empty (DeleteFirst), the
 * source must hold a cap (FailedLookup, source, MissingCapability with
 * bitsLeft = the source depth, which a flat CSpace addressed the usual way
 * gives as seL4_WordBits), then maskCapRights and deriveCap
 * (Arch_deriveCap) decide what the copy is.  Delete runs finaliseCap
 * (Arch_finaliseCap) and emptySlot; Revoke deletes every CDT descendant.
 */
#include <errno.h>
#include <string.h>

#include "kernel_impl.h"

/* finaliseCap + emptySlot for one slot (cteDelete).  Arch effects:
 * a frame cap always unmaps its own mapping; a final mapped table cap is
 * unlinked (roots: deleteASID); a final pool cap unregisters its pool. */
int k_delete_slot(struct pgsim_kernel *k, uint32_t ci)
{
	struct kcap *c = &k->caps[ci];
	bool final = k_is_final(k, ci);
	int rc = 0;
	switch (c->type) {
	case PGSIM_KCAP_FRAME:
		if (c->mapped)
			rc = k->ka->ops->unmap_page(k, c);
		break;
	case PGSIM_KCAP_TABLE:
		if (final && c->mapped)
			rc = k->ka->ops->finalise_table(k, c);
		break;
	case PGSIM_KCAP_ASID_POOL:
		if (final)
			k_delete_pool(k, c->obj, c->asid_base);
		break;
	default:
		break;
	}
	if (rc)
		return rc;
	k_cap_clear(k, ci);
	return 0;
}

static bool is_descendant(const struct pgsim_kernel *k, uint32_t d, uint32_t anc)
{
	for (uint32_t p = k->caps[d].parent; p != K_NONE; p = k->caps[p].parent)
		if (p == anc)
			return true;
	return false;
}

/* cteRevoke: delete, in MDB list order, the caps that follow this one
 * and descend from it (in seL4 they are exactly the contiguous run after
 * it that isMDBParentOf accepts). */
static int revoke(struct pgsim_kernel *k, uint32_t ci)
{
	uint32_t n = k->caps[ci].mdb_next;
	while (n != K_NONE) {
		uint32_t next = k->caps[n].mdb_next;
		if (!is_descendant(k, n, ci))
			break;
		int rc = k_delete_slot(k, n);
		if (rc)
			return rc;
		n = next;
	}
	return 0;
}

/* isCapRevocable: derived untyped caps are revocable; frames, tables and
 * ASID caps are not. */
static bool cap_revocable(enum pgsim_kcap_type t)
{
	return t == PGSIM_KCAP_UNTYPED;
}

/* decodeCNodeInvocation's checks for Copy, Mint, Move and Mutate, made
 * once, before its branch per label: the destination must be empty
 * (ensureEmptySlot), the source must hold a cap.  The source cap, or
 * K_NONE with r set. */
static uint32_t copy_source(const struct pgsim_kernel *k, const char *src, const char *dest,
			    struct pgsim_kres *r)
{
	if (k_slot_find(k, dest) != K_NONE) {
		k_err(r, PGSIM_SEL4_DELETE_FIRST, "CNode Copy/Mint/Move/Mutate: Destination not empty.");
		return K_NONE;
	}
	uint32_t si = k_slot_find(k, src);
	if (si == K_NONE)
		k_err_missing(r, k->ka->word_bits, true,
			      "CNode Copy/Mint/Move/Mutate: Source slot invalid or empty.");
	return si;
}

/* Copy / Mint: maskCapRights + deriveCap + cteInsert. */
static int derive_insert(struct pgsim_kernel *k, const char *src, const char *dest,
			 unsigned rights, struct pgsim_kres *r)
{
	uint32_t si = copy_source(k, src, dest, r);
	if (si == K_NONE)
		return 0;
	struct kcap s = k->caps[si];
	/* maskCapRights: frames narrow their VM rights (Arch_maskCapRights
	 * = maskVMRights, which also prints its write-only warning); the
	 * other caps modelled here carry none. */
	bool write_only = false;
	if (s.type == PGSIM_KCAP_FRAME) {
		write_only = s.rights == PGSIM_VM_READ_WRITE && (rights & PGSIM_SEL4_CAN_WRITE) &&
			     !(rights & PGSIM_SEL4_CAN_READ);
		s.rights = pgsim_vm_rights_mask(s.rights, rights);
	}
	/* deriveCap */
	switch (s.type) {
	case PGSIM_KCAP_UNTYPED:
		if (k_has_children(k, si)) {
			k_err(r, PGSIM_SEL4_REVOKE_FIRST, "Error deriving cap for CNode Copy operation.");
			return 0;
		}
		break;
	case PGSIM_KCAP_TABLE:
		/* Arch_deriveCap / Mode_deriveCap: the message names the type */
		if (!s.mapped) {
			k_err(r, PGSIM_SEL4_ILLEGAL_OPERATION, k->objs[s.obj].type->derive_msg);
			return 0;
		}
		break;
	case PGSIM_KCAP_FRAME:
		/* the copy is unmapped */
		s.mapped = false;
		s.asid = 0;
		if (k->ka->derive_clears_vaddr)
			s.vaddr = 0;
		break;
	default:
		break;
	}
	/* cteInsert: the new cap hangs under the source if the source is
	 * revocable, else beside it. */
	uint32_t parent = s.revocable ? si : s.parent;
	bool src_untyped = s.type == PGSIM_KCAP_UNTYPED;
	uint32_t ni;
	int rc = k_cap_new(k, dest, s.type, s.obj, parent, si, &ni);
	if (rc)
		return rc;
	struct kcap *n = &k->caps[ni];
	/* keep what k_cap_new set up (name, links, counts), take the rest */
	char *name = n->slot;
	uint32_t prev = n->mdb_prev, next = n->mdb_next;
	*n = s;
	n->slot = name;
	n->parent = parent;
	n->n_children = 0;
	n->mdb_prev = prev;
	n->mdb_next = next;
	n->revocable = cap_revocable(s.type);
	/* setUntypedCapAsFull: the source untyped can no longer allocate. */
	if (src_untyped)
		k->caps[si].free_bytes = 1ull << k->objs[s.obj].size_lg2;
	k_res_ok(r);
	if (write_only)
		k_note_write_only(r, PGSIM_VM_READ_WRITE, PGSIM_SEL4_CAN_WRITE);
	return 0;
}

int pgsim_kernel_copy(struct pgsim_kernel *k, const char *src, const char *dest,
		      unsigned rights, struct pgsim_kres *r)
{
	if (!k || !src || !dest || !r)
		return -EINVAL;
	return derive_insert(k, src, dest, rights, r);
}

/* Mint: the badge / guard word (updateCapData) changes none of the caps
 * this model has. */
int pgsim_kernel_mint(struct pgsim_kernel *k, const char *src, const char *dest,
		      unsigned rights, uint64_t badge, struct pgsim_kres *r)
{
	(void)badge;
	if (!k || !src || !dest || !r)
		return -EINVAL;
	return derive_insert(k, src, dest, rights, r);
}

int pgsim_kernel_move(struct pgsim_kernel *k, const char *src, const char *dest,
		      struct pgsim_kres *r)
{
	if (!k || !src || !dest || !r)
		return -EINVAL;
	uint32_t si = copy_source(k, src, dest, r);
	if (si == K_NONE)
		return 0;
	/* cteMove: same cap, same CDT position, new slot. */
	int rc = k_cap_rename(k, si, dest);
	if (rc)
		return rc;
	k_res_ok(r);
	return 0;
}

int pgsim_kernel_delete(struct pgsim_kernel *k, const char *slot, struct pgsim_kres *r)
{
	if (!k || !slot || !r)
		return -EINVAL;
	uint32_t ci = k_slot_find(k, slot);
	k_res_ok(r);
	if (ci == K_NONE)
		return 0;
	return k_delete_slot(k, ci);
}

int pgsim_kernel_revoke(struct pgsim_kernel *k, const char *slot, struct pgsim_kres *r)
{
	if (!k || !slot || !r)
		return -EINVAL;
	uint32_t ci = k_slot_find(k, slot);
	k_res_ok(r);
	if (ci == K_NONE)
		return 0;
	return revoke(k, ci);
}
