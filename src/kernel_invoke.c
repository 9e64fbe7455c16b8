/* pgsim: seL4 kernel model -- invocation dispatch and the typed calls.
 *
 * k_invoke is seL4's decodeInvocation for the cap types modelled: a null
 * cap is InvalidCapability(0), an untyped goes to decodeUntypedInvocation,
 * the arch caps to the per-architecture decode*MMUInvocation.
 */
#include <errno.h>
#include <string.h>

#include "kernel_impl.h"

static const char *const label_names[PGSIM_KL_COUNT] = {
	[PGSIM_KL_PAGE_MAP] = "Page_Map",
	[PGSIM_KL_PAGE_UNMAP] = "Page_Unmap",
	[PGSIM_KL_PAGE_GET_ADDRESS] = "Page_GetAddress",
	[PGSIM_KL_PAGE_TABLE_MAP] = "PageTable_Map",
	[PGSIM_KL_PAGE_TABLE_UNMAP] = "PageTable_Unmap",
	[PGSIM_KL_PAGE_DIRECTORY_MAP] = "PageDirectory_Map",
	[PGSIM_KL_PAGE_DIRECTORY_UNMAP] = "PageDirectory_Unmap",
	[PGSIM_KL_PDPT_MAP] = "PDPT_Map",
	[PGSIM_KL_PDPT_UNMAP] = "PDPT_Unmap",
	[PGSIM_KL_PAGE_DIRECTORY_GET_STATUS_BITS] = "PageDirectory_GetStatusBits",
	[PGSIM_KL_ASID_CONTROL_MAKE_POOL] = "ASIDControl_MakePool",
	[PGSIM_KL_ASID_POOL_ASSIGN] = "ASIDPool_Assign",
	[PGSIM_KL_UNTYPED_RETYPE] = "Untyped_Retype",
	[PGSIM_KL_PAGE_CLEAN_DATA] = "Page_Clean_Data",
	[PGSIM_KL_PAGE_INVALIDATE_DATA] = "Page_Invalidate_Data",
	[PGSIM_KL_PAGE_CLEAN_INVALIDATE_DATA] = "Page_CleanInvalidate_Data",
	[PGSIM_KL_PAGE_UNIFY_INSTRUCTION] = "Page_Unify_Instruction",
};

const char *pgsim_klabel_name(enum pgsim_klabel l)
{
	return (unsigned)l < PGSIM_KL_COUNT ? label_names[l] : NULL;
}

int k_invoke(struct pgsim_kernel *k, const struct kinv *inv, struct pgsim_kres *r)
{
	const struct kcap *c = k_cap(k, inv->ci);
	if (!c) {
		k_err_cap(r, 0, "Attempted to invoke a null cap.");
		return 0;
	}
	switch (c->type) {
	case PGSIM_KCAP_UNTYPED:
		return k_decode_retype(k, inv, r);
	case PGSIM_KCAP_FRAME:
		return k->ka->ops->frame(k, inv, r);
	case PGSIM_KCAP_TABLE:
		return k->ka->ops->table(k, inv, r);
	case PGSIM_KCAP_ASID_CONTROL:
		return k_decode_make_pool(k, inv, r);
	case PGSIM_KCAP_ASID_POOL:
		return k_decode_assign(k, inv, r);
	default:
		k_err_cap(r, 0, "Attempted to invoke a null cap.");
		return 0;
	}
}

/* Resolve names and truncate words to the machine word (ia32: 32 bits). */
static void prepare(const struct pgsim_kernel *k, struct kinv *ki, const struct pgsim_kinv *inv)
{
	memset(ki, 0, sizeof *ki);
	ki->label = inv->label;
	ki->ci = k_slot_find(k, inv->cap);
	ki->n_words = inv->n_words < 6 ? inv->n_words : 6;
	for (unsigned i = 0; i < 6; i++)
		ki->w[i] = inv->w[i] & k_word_mask(k);
	ki->n_extra = inv->n_extra < 2 ? inv->n_extra : 2;
	for (unsigned i = 0; i < 2; i++) {
		ki->extra_name[i] = i < ki->n_extra ? inv->extra[i] : NULL;
		ki->extra[i] = ki->extra_name[i] ? k_slot_find(k, ki->extra_name[i]) : K_NONE;
	}
	ki->dest = inv->dest;
	ki->n_dest = inv->n_dest;
}

int pgsim_kernel_invoke(struct pgsim_kernel *k, const struct pgsim_kinv *inv,
			struct pgsim_kres *r)
{
	if (!k || !inv || !inv->cap || !r || (unsigned)inv->label >= PGSIM_KL_COUNT)
		return -EINVAL;
	struct kinv ki;
	prepare(k, &ki, inv);
	return k_invoke(k, &ki, r);
}

int pgsim_kernel_retype(struct pgsim_kernel *k, const char *untyped, const char *type,
			unsigned size_bits, const char *const *dest, unsigned n,
			struct pgsim_kres *r)
{
	if (!k || !untyped || !type || !dest || !r)
		return -EINVAL;
	const struct pgsim_ktype_info *t = pgsim_kernel_type_find(k, type);
	if (!t)
		return -ENOENT;
	struct pgsim_kinv inv = {
		.label = PGSIM_KL_UNTYPED_RETYPE, .cap = untyped,
		.n_words = 6, .w = { t->number, size_bits, 0, 0, 0, n },
		.n_extra = 1, .extra = { "" }, .dest = dest, .n_dest = n,
	};
	return pgsim_kernel_invoke(k, &inv, r);
}

int pgsim_kernel_make_pool(struct pgsim_kernel *k, const char *control,
			   const char *untyped, const char *dest, struct pgsim_kres *r)
{
	if (!k || !control || !untyped || !dest || !r)
		return -EINVAL;
	const char *d[1] = { dest };
	struct pgsim_kinv inv = {
		.label = PGSIM_KL_ASID_CONTROL_MAKE_POOL, .cap = control,
		.n_words = 2, .n_extra = 2, .extra = { untyped, "" }, .dest = d, .n_dest = 1,
	};
	return pgsim_kernel_invoke(k, &inv, r);
}

int pgsim_kernel_assign(struct pgsim_kernel *k, const char *pool, const char *vspace,
			struct pgsim_kres *r)
{
	if (!k || !pool || !vspace || !r)
		return -EINVAL;
	struct pgsim_kinv inv = {
		.label = PGSIM_KL_ASID_POOL_ASSIGN, .cap = pool,
		.n_words = 0, .n_extra = 1, .extra = { vspace },
	};
	return pgsim_kernel_invoke(k, &inv, r);
}

/* The labels a cap's type answers to for map and unmap (libsel4's typed
 * wrappers: seL4_X86_PageTable_Map, seL4_X86_PDPT_Map, ...). */
static void type_labels(const struct pgsim_kernel *k, uint32_t ci,
			enum pgsim_klabel *map, enum pgsim_klabel *unmap)
{
	*map = PGSIM_KL_PAGE_MAP;
	*unmap = PGSIM_KL_PAGE_UNMAP;
	const struct kcap *c = k_cap((struct pgsim_kernel *)k, ci);
	if (!c || (c->type != PGSIM_KCAP_TABLE && c->type != PGSIM_KCAP_FRAME))
		return;
	*map = k->objs[c->obj].type->map_label;
	*unmap = k->objs[c->obj].type->unmap_label;
}

int pgsim_kernel_map(struct pgsim_kernel *k, const char *slot, const char *vspace,
		     pgsim_va_t vaddr, unsigned rights, uint64_t attr, struct pgsim_kres *r)
{
	if (!k || !slot || !vspace || !r)
		return -EINVAL;
	enum pgsim_klabel map, unmap;
	type_labels(k, k_slot_find(k, slot), &map, &unmap);
	struct pgsim_kinv inv = { .label = map, .cap = slot, .n_extra = 1, .extra = { vspace } };
	if (map == PGSIM_KL_PAGE_MAP) {
		inv.n_words = 3;
		inv.w[0] = vaddr;
		inv.w[1] = rights;
		inv.w[2] = attr;
	} else {
		inv.n_words = 2;
		inv.w[0] = vaddr;
		inv.w[1] = attr;
	}
	return pgsim_kernel_invoke(k, &inv, r);
}

int pgsim_kernel_remap(struct pgsim_kernel *k, const char *frame, const char *vspace,
		       unsigned rights, uint64_t attr, struct pgsim_kres *r)
{
	if (!k || !frame || !vspace || !r)
		return -EINVAL;
	const struct kcap *c = k_cap(k, k_slot_find(k, frame));
	if (!c || c->type != PGSIM_KCAP_FRAME || !c->mapped) {
		/* the 10.x Page_Remap of an unmapped (or non-frame) cap */
		k_err_cap(r, 0, "Page Remap: frame is not mapped.");
		return 0;
	}
	return pgsim_kernel_map(k, frame, vspace, c->vaddr, rights, attr, r);
}

int pgsim_kernel_unmap(struct pgsim_kernel *k, const char *slot, struct pgsim_kres *r)
{
	if (!k || !slot || !r)
		return -EINVAL;
	enum pgsim_klabel map, unmap;
	type_labels(k, k_slot_find(k, slot), &map, &unmap);
	struct pgsim_kinv inv = { .label = unmap, .cap = slot };
	return pgsim_kernel_invoke(k, &inv, r);
}

int pgsim_kernel_get_address(struct pgsim_kernel *k, const char *frame, struct pgsim_kres *r)
{
	if (!k || !frame || !r)
		return -EINVAL;
	struct pgsim_kinv inv = { .label = PGSIM_KL_PAGE_GET_ADDRESS, .cap = frame };
	return pgsim_kernel_invoke(k, &inv, r);
}

int pgsim_kernel_vm_fault(const struct pgsim_kernel *k, const struct pgsim_fault *f,
			  enum pgsim_access acc, uint64_t ip, struct pgsim_vm_fault *out)
{
	if (!k || !f || !out || f->kind == PGSIM_FAULT_NONE)
		return -EINVAL;
	memset(out, 0, sizeof *out);
	/* seL4_Fault_VMFault: 5, after NullFault, CapFault, UnknownSyscall,
	 * UserException (+ Timeout under MCS). */
	out->label = k->opts.mcs ? 6 : 5;
	return k->ka->ops->vm_fault(k, f, acc, ip, out);
}

/* printf's %p as the kernel's printf prints it: "(nil)" or 0x%lx. */
static void fmt_p(char *buf, size_t len, uint64_t v)
{
	if (v == 0)
		snprintf(buf, len, "(nil)");
	else
		snprintf(buf, len, "0x%llx", (unsigned long long)v);
}

void pgsim_vm_fault_line(const struct pgsim_vm_fault *vf, char *buf, size_t len)
{
	char a[24], s[24];
	fmt_p(a, sizeof a, vf->addr);
	fmt_p(s, sizeof s, vf->fsr);
	snprintf(buf, len, "vm fault on %s at address %s with status %s",
		 vf->prefetch ? "code" : "data", a, s);
}
