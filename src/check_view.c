/* pgsim: the invariant checker -- what each view says at an address.
 *
 * A violation carries, for its first page, the reservation list's answer
 * (the covering node, and the one the entry was made under if that one is
 * gone), the shadow entry, the seL4 cap (from the kernel model), the
 * walker's translation and the operation history, each as one line.
 */
#include <errno.h>
#include <string.h>

#include "check_impl.h"

/* ---- views --------------------------------------------------------------------- */

static void rights_str(unsigned rights, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s%s", rights & PGSIM_SEL4_CAN_READ ? "r" : "-",
		 rights & PGSIM_SEL4_CAN_WRITE ? "w" : "-", rights & PGSIM_SEL4_CAN_GRANT ? "g" : "-",
		 rights & PGSIM_SEL4_CAN_GRANT_REPLY ? "G" : "-");
}

const struct chk_rint *chk_ri_find(const struct chk_vs *v, uint64_t va)
{
	for (unsigned i = 0; i < v->n_ri; i++)
		if (va >= v->ri[i].lo && va < v->ri[i].hi)
			return &v->ri[i];
	return NULL;
}

static void view_res(struct chk_run *r, const struct chk_vs *v, uint64_t va,
		     const struct pgsim_vs_slot *s, char *buf, size_t len)
{
	const struct chk_rint *ri = chk_ri_find(v, va);
	int w;
	if (ri) {
		char rs[8];
		rights_str(ri->r->rights, rs, sizeof rs);
		w = snprintf(buf, len, "reservation %u [0x%llx, 0x%llx) %s%s%s", ri->r->serial,
			     (unsigned long long)ri->r->start, (unsigned long long)ri->r->end, rs,
			     ri->r->cacheable ? "" : " uncached", ri->r->rights_deferred ? " deferred" : "");
	} else {
		w = snprintf(buf, len, "none");
	}
	if (w < 0 || (size_t)w >= len || !s || !s->res_serial || (ri && ri->r->serial == s->res_serial))
		return;
	const struct pgsim_vs_res *old = pgsim_vs_res_at(r->ctx->env, s->res_serial);
	if (!old)
		return;
	if (old->freed_by)
		snprintf(buf + w, len - (size_t)w, "; it was made under reservation %u [0x%llx, 0x%llx), "
			 "freed by op %u", old->serial, (unsigned long long)old->start,
			 (unsigned long long)old->end, old->freed_by);
	else
		snprintf(buf + w, len - (size_t)w, "; it was made under reservation %u [0x%llx, 0x%llx)",
			 old->serial, (unsigned long long)old->start, (unsigned long long)old->end);
}

static void view_shadow(const struct pgsim_vs_slot *s, uint64_t reserved, char *buf, size_t len)
{
	const char *what = s->level ? "entry" : "slot";
	switch (s->kind) {
	case PGSIM_VS_SLOT_MAPPED:
		snprintf(buf, len, "level 0 slot %u of the table at 0x%llx: cap 0x%llx, cookie 0x%llx",
			 s->index, (unsigned long long)s->table_ptr, (unsigned long long)s->value,
			 (unsigned long long)s->cookie);
		return;
	case PGSIM_VS_SLOT_RESERVED:
	case PGSIM_VS_SLOT_MID_RESERVED:
		snprintf(buf, len, "level %d %s %u: RESERVED (0x%llx)%s", s->level, what, s->index,
			 (unsigned long long)reserved, s->cookie ? ", cookie not 0" : "");
		break;
	case PGSIM_VS_SLOT_EMPTY:
		snprintf(buf, len, "level %d %s %u: EMPTY%s", s->level, what, s->index,
			 s->cookie ? ", cookie not 0" : "");
		break;
	case PGSIM_VS_SLOT_BAD:
		snprintf(buf, len, "level %d entry %u: 0x%llx, which is no table of this vspace", s->level,
			 s->index, (unsigned long long)s->value);
		return;
	}
	if (s->cookie) {
		size_t l = strlen(buf);
		snprintf(buf + l, len - l, " (0x%llx)", (unsigned long long)s->cookie);
	}
}

void chk_view_kcap(const struct pgsim_kcap_info *ki, char *buf, size_t len)
{
	switch (ki->type) {
	case PGSIM_KCAP_NULL:
		snprintf(buf, len, "%s: empty slot", ki->slot ? ki->slot : "?");
		return;
	case PGSIM_KCAP_FRAME:
		if (ki->mapped)
			snprintf(buf, len, "%s: frame 2^%u at pa 0x%llx, mapped in ASID %u at 0x%llx %s",
				 ki->slot, ki->size_lg2, (unsigned long long)ki->pa, ki->asid,
				 (unsigned long long)ki->vaddr, pgsim_vm_rights_name(ki->map_rights));
		else
			snprintf(buf, len, "%s: frame 2^%u at pa 0x%llx, not mapped", ki->slot, ki->size_lg2,
				 (unsigned long long)ki->pa);
		return;
	default:
		snprintf(buf, len, "%s: %s at pa 0x%llx%s", ki->slot,
			 ki->obj_type ? ki->obj_type->sel4_name : "cap", (unsigned long long)ki->pa,
			 ki->mapped ? ", mapped" : "");
		return;
	}
}

int chk_kcap(struct chk_run *r, uint64_t cptr, struct pgsim_kcap_info *ki)
{
	char slot[64];
	if (!r->ctx->env)
		return -ENOENT;
	pgsim_vs_slot(r->ctx->env, cptr, slot, sizeof slot);
	int rc = pgsim_kernel_cap(r->ctx->k, slot, ki);
	if (rc == 0 && !ki->slot)
		ki->slot = "?";
	return rc;
}

void chk_view_cap(struct chk_run *r, uint64_t cptr, char *buf, size_t len)
{
	struct pgsim_kcap_info ki;
	char slot[64];
	pgsim_vs_slot(r->ctx->env, cptr, slot, sizeof slot);
	if (pgsim_kernel_cap(r->ctx->k, slot, &ki) != 0) {
		snprintf(buf, len, "%s: no such slot", slot);
		return;
	}
	if (ki.type == PGSIM_KCAP_NULL)
		ki.slot = slot;
	chk_view_kcap(&ki, buf, len);
}

bool chk_translate(struct chk_run *r, pgsim_pa_t root, uint64_t va, struct pgsim_translation *t)
{
	/* The first access that some mode is allowed to make yields the
	 * translation and the permissions of every mode: a user read, a
	 * supervisor read, then fetches (an execute-only page, such as seL4's
	 * RISC-V KernelOnly mapping, is present but unreadable). */
	static const struct pgsim_walk_req tries[] = {
		{ PGSIM_ACCESS_READ, true, false },
		{ PGSIM_ACCESS_READ, false, false },
		{ PGSIM_ACCESS_EXEC, true, false },
		{ PGSIM_ACCESS_EXEC, false, false },
	};
	struct pgsim_translation first;
	for (unsigned i = 0; i < sizeof tries / sizeof tries[0]; i++) {
		if (pgsim_walk_translate(r->ctx->cfg, r->ctx->mem, root, va, &tries[i], t) != 0)
			return false;
		if (t->ok)
			return true;
		if (i == 0)
			first = *t;
		if (t->fault.kind != PGSIM_FAULT_PERMISSION)
			break;
	}
	*t = first; /* report the user read's fault */
	return false;
}

enum pgsim_vm_rights chk_walk_rights(const struct pgsim_translation *t)
{
	if (!(t->perms & PGSIM_P_UR))
		return PGSIM_VM_KERNEL_ONLY;
	return t->perms & PGSIM_P_UW ? PGSIM_VM_READ_WRITE : PGSIM_VM_READ_ONLY;
}

void chk_view_walk(struct chk_run *r, pgsim_pa_t root, uint64_t va, char *buf, size_t len)
{
	struct pgsim_translation t;
	if (chk_translate(r, root, va, &t)) {
		char p[32];
		pgsim_perms_str(t.perms, p, sizeof p);
		snprintf(buf, len, "pa 0x%llx (2^%u page, level %d) %s", (unsigned long long)t.pa,
			 t.page_lg2, t.level, p);
	} else {
		snprintf(buf, len, "%s at level %d", pgsim_fault_kind_name(t.fault.kind), t.fault.level);
	}
}

void chk_top_op(const struct pgsim_vs_env *env, uint32_t ev, char *buf, size_t len)
{
	const struct pgsim_vs_event *e = pgsim_vs_event(env, ev);
	buf[0] = '\0';
	while (e && e->parent) {
		const struct pgsim_vs_event *p = pgsim_vs_event(env, e->parent);
		if (!p)
			break;
		e = p;
	}
	if (e) {
		const char *what = e->vs[0] ? e->vs : e->detail;
		snprintf(buf, len, "%s%s%s", e->op, what[0] ? " " : "", what);
	}
}

void chk_views(struct chk_run *r, const struct chk_vs *v, uint64_t va, const struct pgsim_vs_slot *slot,
	       struct pgsim_chk_violation *out)
{
	struct pgsim_vs_slot s;
	memset(out, 0, sizeof *out);
	if (!slot) {
		pgsim_vs_lookup(v->vs, va, &s);
		slot = &s;
	}
	view_res(r, v, va, slot, out->res, sizeof out->res);
	view_shadow(slot, r->c.reserved, out->shadow, sizeof out->shadow);
	if (slot->kind == PGSIM_VS_SLOT_MAPPED)
		chk_view_cap(r, slot->value, out->cap, sizeof out->cap);
	else
		snprintf(out->cap, sizeof out->cap, "-");
	if (v->have_root)
		chk_view_walk(r, v->root_pa, va, out->walker, sizeof out->walker);
	else
		snprintf(out->walker, sizeof out->walker, "no assigned root");
	if (slot->event)
		pgsim_vs_event_str(r->ctx->env, slot->event, out->history, sizeof out->history);
}

