/* pgsim: seL4 kernel model -- the failed-level-following map helper.
 *
 * What sel4utils' map_page loop (libsel4utils/src/mapping.c with
 * libsel4vspace's per-arch vspace_get_map_obj) does: try Page_Map; on
 * FailedLookup(MissingCapability) turn bitsLeft into the missing
 * paging-structure type, retype one, map it at the same vaddr (a
 * DeleteFirst there means it is already in place) and try again.  Only
 * the public invocations are used, so every step is a real seL4 call.
 */
#include <errno.h>
#include <string.h>

#include "kernel_impl.h"

static int fresh_slot(const struct pgsim_kernel *k, const char *prefix, const char *type,
		      char *buf, size_t len)
{
	for (unsigned n = 0; n < 100000; n++) {
		int w = snprintf(buf, len, "%s.%s.%u", prefix, type, n);
		if (w < 0 || (size_t)w >= len)
			return -ENAMETOOLONG;
		if (k_slot_find(k, buf) == K_NONE)
			return 0;
	}
	return -ENOSPC;
}

int pgsim_kernel_map_helper(struct pgsim_kernel *k, const char *frame, const char *vspace,
			    pgsim_va_t vaddr, unsigned rights, uint64_t attr,
			    const char *untyped, const char *prefix,
			    struct pgsim_kmap_report *rep, struct pgsim_kres *r)
{
	if (!k || !frame || !vspace || !untyped || !rep || !r)
		return -EINVAL;
	if (!prefix)
		prefix = frame;
	memset(rep, 0, sizeof *rep);
	for (;;) {
		rep->attempts++;
		int rc = pgsim_kernel_map(k, frame, vspace, vaddr, rights, attr, r);
		if (rc)
			return rc;
		if (r->err != PGSIM_SEL4_FAILED_LOOKUP ||
		    r->lookup != PGSIM_SEL4_LOOKUP_MISSING_CAPABILITY)
			return 0;
		if (rep->n_created == PGSIM_KMAP_MAX_CREATED)
			return 0;
		unsigned bits = r->bits_left;
		const struct ktype *t = k->ka->ops->type_for_bits(k, bits);
		if (!t)
			return 0; /* no object fills this gap (e.g. AArch64 bitsLeft 12) */
		char *slot = rep->created[rep->n_created].slot;
		rc = fresh_slot(k, prefix, t->info.name, slot, sizeof rep->created[0].slot);
		if (rc)
			return rc;
		const char *dest[1] = { slot };
		rc = pgsim_kernel_retype(k, untyped, t->info.sel4_name, 0, dest, 1, r);
		if (rc)
			return rc;
		if (r->err != PGSIM_SEL4_NO_ERROR) {
			slot[0] = '\0';
			return 0;
		}
		rep->created[rep->n_created].type = &t->info;
		rep->created[rep->n_created].bits_left = bits;
		rep->n_created++;
		rc = pgsim_kernel_map(k, slot, vspace, vaddr, 0, pgsim_kernel_default_attr(k), r);
		if (rc)
			return rc;
		if (r->err != PGSIM_SEL4_NO_ERROR && r->err != PGSIM_SEL4_DELETE_FIRST)
			return 0;
	}
}
