/* pgsim: scenario engine — memory accesses, walker queries, print, check.
 *
 * A memory access is what the MMU and the kernel do for a thread running
 * in the step's vspace: the reference walker translates the VA from the
 * root the model reports for that vspace (CR3 / TTBR0 / satp), with the
 * scenario's CPU state and accessed/dirty write-back, and the bytes are
 * then read or written in simulated memory at the physical address.  A
 * user access that faults becomes seL4's VMFault message
 * (pgsim_kernel_vm_fault, as handleVMFault builds it) and the debug
 * kernel's line; a supervisor access keeps the architecture's own report.
 */
#include <errno.h>
#include <string.h>

#include "engine_impl.h"
#include "engine_vspace.h"
#include "pgsim/check.h"
#include "pgsim/report.h"

static bool is_user(const struct pgsim_scn_step *st)
{
	return strcmp(eng_str(st, "mode", "user"), "user") == 0;
}

static int root_of(struct pgsim_engine *e, const struct pgsim_scn_step *st, pgsim_pa_t *root,
		   struct pgsim_step_actual *a)
{
	const char *vs = eng_vspace(e, st);

	if (pgsim_kernel_root_pa(e->k, vs, root) == 0)
		return 0;
	snprintf(a->error, sizeof(a->error), "slot '%s' holds no usable vspace root (a thread "
		 "cannot run in it)", vs);
	return -ENOENT;
}

static void print_written(struct pgsim_engine *e, const struct pgsim_translation *t)
{
	const struct pgsim_arch *ar = e->cfg.arch;

	for (unsigned i = 0; i < t->n_trail; i++) {
		const struct pgsim_trail_step *s = &t->trail[i];
		uint64_t now;

		if (pgsim_mem_read_le(e->mem, s->entry_pa, ar->entry_bytes, &now) || now == s->value)
			continue;
		fprintf(e->trace, "  written: %s [%u] at 0x%llx: 0x%llx -> 0x%llx\n",
			ar->level[s->level].entry_name, pgsim_level_index(&e->cfg, s->level, t->va),
			(unsigned long long)s->entry_pa, (unsigned long long)s->value,
			(unsigned long long)now);
	}
}

static void set_fault(struct pgsim_engine *e, const struct pgsim_scn_step *st,
		      enum pgsim_access acc, bool user, const struct pgsim_translation *t,
		      struct pgsim_step_actual *a)
{
	a->has_fault = true;
	a->fault = t->fault;
	if (user) {
		uint64_t ip = eng_num(st, "ip", acc == PGSIM_ACCESS_EXEC ? t->va : 0);

		if (pgsim_kernel_vm_fault(e->k, &t->fault, acc, ip, &a->vm_fault) == 0) {
			a->has_vm_fault = true;
			pgsim_vm_fault_line(&a->vm_fault, a->fault_line, sizeof(a->fault_line));
			return;
		}
	}
	snprintf(a->fault_line, sizeof(a->fault_line), "%s", t->fault.text);
}

/* Translate and move `size` bytes at va, a page at a time. */
static int access(struct pgsim_engine *e, const struct pgsim_scn_step *st, enum pgsim_access acc,
		  uint8_t *bytes, unsigned size, struct pgsim_step_actual *a)
{
	struct pgsim_walk_req req = { .access = acc, .user = is_user(st), .update_ad = true };
	pgsim_va_t va = eng_num(st, "vaddr", 0);
	pgsim_pa_t root;
	unsigned off = 0;
	int rc = root_of(e, st, &root, a);

	if (rc)
		return rc;
	while (off < size) {
		struct pgsim_translation t;
		uint64_t page, left;
		unsigned chunk;

		rc = pgsim_walk_translate(&e->cfg, e->mem, root, va + off, &req, &t);
		if (rc)
			return rc;
		if (e->trace)
			pgsim_report_walk_text(e->trace, &e->cfg, &req, &t);
		if (off == 0) {
			a->t = t;
			a->has_translation = t.ok;
		}
		if (!t.ok) {
			a->has_translation = false;
			set_fault(e, st, acc, req.user, &t, a);
			return 0;
		}
		if (e->trace)
			print_written(e, &t);
		page = t.page_lg2 >= 64 ? UINT64_MAX : (1ull << t.page_lg2);
		left = page - ((va + off) & (page - 1));
		chunk = size - off < left ? size - off : (unsigned)left;
		if (acc == PGSIM_ACCESS_WRITE)
			rc = pgsim_mem_write(e->mem, t.pa, bytes + off, chunk);
		else if (acc == PGSIM_ACCESS_READ)
			rc = pgsim_mem_read(e->mem, t.pa, bytes + off, chunk);
		if (rc == -EFAULT) {
			snprintf(a->error, sizeof(a->error), "physical address 0x%llx is not RAM",
				 (unsigned long long)t.pa);
			return rc;
		}
		if (rc)
			return rc;
		off += chunk;
	}
	return 0;
}

static unsigned access_size(const struct pgsim_engine *e, const struct pgsim_scn_step *st)
{
	return (unsigned)eng_num(st, "size", e->cfg.arch->entry_bytes);
}

int eng_run_read(struct pgsim_engine *e, const struct pgsim_scn_step *st,
		 struct pgsim_step_actual *a)
{
	uint8_t b[8] = { 0 };
	unsigned size = access_size(e, st);
	int rc = access(e, st, PGSIM_ACCESS_READ, b, size, a);

	if (rc || a->has_fault)
		return rc;
	a->has_value = true;
	a->value = 0;
	for (unsigned i = size; i-- > 0;)
		a->value = a->value << 8 | b[i];
	return 0;
}

int eng_run_write(struct pgsim_engine *e, const struct pgsim_scn_step *st,
		  struct pgsim_step_actual *a)
{
	uint8_t b[8];
	unsigned size = access_size(e, st);
	uint64_t v = eng_num(st, "value", 0);

	for (unsigned i = 0; i < 8; i++)
		b[i] = (uint8_t)(v >> (8 * i));
	return access(e, st, PGSIM_ACCESS_WRITE, b, size, a);
}

int eng_run_execute(struct pgsim_engine *e, const struct pgsim_scn_step *st,
		    struct pgsim_step_actual *a)
{
	uint8_t b[1];

	return access(e, st, PGSIM_ACCESS_EXEC, b, 1, a);
}

/* A query: the walk a thread's access would make, without the A/D
 * write-back, reported in the architecture's own fault words. */
int eng_run_translate(struct pgsim_engine *e, const struct pgsim_scn_step *st,
		      struct pgsim_step_actual *a)
{
	const char *acc = eng_str(st, "access", "read");
	struct pgsim_walk_req req = { .user = is_user(st), .update_ad = false };
	pgsim_pa_t root;
	int rc = root_of(e, st, &root, a);

	if (rc)
		return rc;
	req.access = strcmp(acc, "write") == 0 ? PGSIM_ACCESS_WRITE
		     : strcmp(acc, "execute") == 0 || strcmp(acc, "exec") == 0 ? PGSIM_ACCESS_EXEC
										     : PGSIM_ACCESS_READ;
	rc = pgsim_walk_translate(&e->cfg, e->mem, root, eng_num(st, "vaddr", 0), &req, &a->t);
	if (rc)
		return rc;
	if (e->trace)
		pgsim_report_walk_text(e->trace, &e->cfg, &req, &a->t);
	a->has_translation = a->t.ok;
	if (!a->t.ok) {
		a->has_fault = true;
		a->fault = a->t.fault;
		snprintf(a->fault_line, sizeof(a->fault_line), "%s", a->t.fault.text);
	}
	return 0;
}

/* ---- print ------------------------------------------------------------------- */

static const char *cap_type_name(enum pgsim_kcap_type t)
{
	switch (t) {
	case PGSIM_KCAP_UNTYPED: return "untyped";
	case PGSIM_KCAP_FRAME: return "frame";
	case PGSIM_KCAP_TABLE: return "table";
	case PGSIM_KCAP_ASID_CONTROL: return "asid_control";
	case PGSIM_KCAP_ASID_POOL: return "asid_pool";
	default: return "null";
	}
}

static void size_text(unsigned lg2, char *buf, size_t len)
{
	static const char units[] = "KMGTPE";

	if (lg2 < 10 || lg2 >= 70)
		snprintf(buf, len, "2^%u", lg2);
	else
		snprintf(buf, len, "%llu%c", 1ull << (lg2 % 10), units[lg2 / 10 - 1]);
}

/* One line per cap, in the order the slots were filled (the `slots`
 * key keeps only the ones named). */
static int print_caps(struct pgsim_engine *e, const struct pgsim_scn_step *st)
{
	const struct pgsim_scn_node *only = eng_arg(st, "slots");
	unsigned n = pgsim_kernel_n_caps(e->k);

	for (unsigned i = 0; i < n; i++) {
		struct pgsim_kcap_info c;
		bool keep = !only;
		char sz[16];
		int rc = pgsim_kernel_cap_at(e->k, i, &c);

		if (rc)
			return rc;
		for (unsigned j = 0; only && j < only->n; j++)
			keep = keep || strcmp(only->items[j].text, c.slot) == 0;
		if (!keep)
			continue;
		fprintf(e->out, "%s: %s", c.slot, c.obj_type ? c.obj_type->name
							: cap_type_name(c.type));
		if (c.type != PGSIM_KCAP_ASID_CONTROL) {
			size_text(c.size_lg2, sz, sizeof(sz));
			fprintf(e->out, " pa 0x%llx size %s", (unsigned long long)c.pa, sz);
		}
		if (c.device)
			fputs(" device", e->out);
		if (c.type == PGSIM_KCAP_FRAME)
			fprintf(e->out, " %s", pgsim_vm_rights_name(c.rights));
		if (c.type == PGSIM_KCAP_ASID_POOL)
			fprintf(e->out, " asid_base 0x%x", c.asid_base);
		if (c.mapped)
			fprintf(e->out, " mapped asid %u vaddr 0x%llx", c.asid,
				(unsigned long long)c.vaddr);
		if (c.parent)
			fprintf(e->out, " parent %s", c.parent);
		fputc('\n', e->out);
	}
	return 0;
}

int eng_run_print(struct pgsim_engine *e, const struct pgsim_scn_step *st,
		  struct pgsim_step_actual *a)
{
	const char *what = eng_str(st, "what", "ranges");
	struct pgsim_range_opts opts = { .merge = true };
	pgsim_pa_t root;
	int rc;

	if (strcmp(what, "caps") == 0)
		return print_caps(e, st);
	rc = root_of(e, st, &root, a);
	if (rc)
		return rc;
	pgsim_report_full_range(&e->cfg, &opts.va, &opts.last);
	opts.va = eng_num(st, "from", opts.va);
	opts.last = eng_num(st, "to", opts.last);
	if (strcmp(what, "walk") == 0) {
		struct pgsim_walk_req req = { .access = PGSIM_ACCESS_READ, .user = true };
		struct pgsim_translation t;

		rc = pgsim_walk_translate(&e->cfg, e->mem, root, eng_num(st, "vaddr", 0), &req, &t);
		if (!rc)
			pgsim_report_walk_text(e->out, &e->cfg, &req, &t);
	} else if (strcmp(what, "json") == 0) {
		rc = pgsim_report_dump_json(e->out, &e->cfg, e->mem, root, &opts);
	} else if (strcmp(what, "vmprint") == 0) {
		rc = pgsim_report_vmprint(e->out, &e->cfg, e->mem, root, &opts);
	} else {
		rc = pgsim_report_ranges(e->out, &e->cfg, e->mem, root, &opts);
	}
	return rc < 0 ? rc : 0;
}

/* ---- check --------------------------------------------------------------------- */

/* The invariant checker (pgsim/check.h) over the kernel model and the
 * walker.  Scenarios have no sel4utils vspace model yet, so only the
 * kernel-vs-hardware invariants run (those that need no vspace: CAP-WALK,
 * LEAF-CAP, TABLE-CAP).  The outcome is the set of IDs violated NOT by
 * design; violations the checker knows seL4 produces on purpose (a stale
 * cap after a table unmap ...) are printed under the step but do not
 * count.  Every violation is printed with what each view says. */
int eng_run_check(struct pgsim_engine *e, const struct pgsim_scn_step *st,
		  struct pgsim_step_actual *a)
{
	struct pgsim_chk_ctx ctx = { .cfg = &e->cfg, .mem = e->mem, .k = e->k, .env = eng_vs_env(e) };
	const struct pgsim_scn_node *ids = eng_arg(st, "ids");
	struct pgsim_chk_opts o = { 0, 0 };
	struct pgsim_chk_result res;
	size_t off = 0;
	int rc;

	for (unsigned i = 0; ids && i < ids->n; i++)
		o.only |= 1ull << pgsim_chk_find(ids->items[i].text);
	rc = pgsim_chk_run(&ctx, &o, &res);
	if (rc)
		return rc;
	res.fired_not_by_design = eng_vs_counted(st, &res);
	a->has_invariants = true;
	a->invariants[0] = '\0';
	for (unsigned i = 0; i < pgsim_chk_count() && i < 64; i++)
		if ((res.fired_not_by_design >> i) & 1 && off < sizeof(a->invariants))
			off += (size_t)snprintf(a->invariants + off, sizeof(a->invariants) - off,
						"%s%s", off ? "," : "", pgsim_chk_def(i)->id);
	if (res.n)
		pgsim_chk_print(e->out, &res);
	pgsim_chk_result_free(&res);
	return 0;
}

/* An invariant ID must be the checker's; one of the sel4utils vspace
 * model's needs a sel4utils step in the scenario. */
static void prep_id(const struct pgsim_scn_node *n, const char *where, bool vs,
		    struct pgsim_scn_diags *d)
{
	const char *names[64];
	unsigned cnt = 0;
	int i = pgsim_chk_find(n->text);
	const char *h;

	/* the sel4utils vspace invariants need a sel4utils step
	 * (engine_vspace.c) to have made the model */
	if (i >= 0 && (vs || !pgsim_chk_def((unsigned)i)->needs_vspace))
		return;
	if (i >= 0) {
		pgsim_scn_diag_add(d, n->mark, "%s: %s needs the sel4utils vspace model, and this "
				   "scenario has no sel4utils step", where, pgsim_chk_def((unsigned)i)->id);
		return;
	}
	for (unsigned j = 0; j < pgsim_chk_count() && cnt < 64; j++)
		names[cnt++] = pgsim_chk_def(j)->id;
	h = pgsim_scn_suggest(n->text, names, cnt);
	if (h) {
		pgsim_scn_diag_add(d, n->mark, "%s: unknown invariant '%.40s' (did you mean '%s'?)",
				   where, n->text, h);
	} else {
		char list[200];
		size_t off = 0;

		list[0] = '\0';
		for (unsigned j = 0; j < cnt && off < sizeof(list); j++)
			off += (size_t)snprintf(list + off, sizeof(list) - off, "%s%s", j ? ", " : "",
						names[j]);
		pgsim_scn_diag_add(d, n->mark, "%s: unknown invariant '%.40s' (scenarios can check: "
				   "%s)", where, n->text, list);
	}
}

void eng_prep_check(struct pgsim_engine *e, const struct pgsim_scn_step *st,
		    struct pgsim_scn_diags *d)
{
	const struct pgsim_scn_node *ids = eng_arg(st, "ids");
	const struct pgsim_scn_node *want = pgsim_scn_get(st->expect, "invariants");
	bool vs = eng_vs_in_scenario(e->s);

	for (unsigned i = 0; ids && i < ids->n; i++)
		prep_id(&ids->items[i], "check.ids", vs, d);
	for (const struct pgsim_scn_node *l = eng_arg(st, "strict"); l; l = NULL)
		for (unsigned i = 0; i < l->n; i++)
			prep_id(&l->items[i], "check.strict", vs, d);
	for (const struct pgsim_scn_node *l = eng_arg(st, "allow"); l; l = NULL)
		for (unsigned i = 0; i < l->n; i++)
			prep_id(&l->items[i], "check.allow", vs, d);
	for (unsigned i = 0; want && i < want->n; i++)
		prep_id(&want->items[i], "expect.invariants", vs, d);
}

void eng_prep_access(struct pgsim_engine *e, const struct pgsim_scn_step *st,
		     struct pgsim_scn_diags *d)
{
	const struct pgsim_scn_node *sz = eng_arg(st, "size"), *v = eng_arg(st, "value");
	unsigned size = access_size(e, st);

	if (sz && sz->kind == PGSIM_SCN_NUM && size != 1 && size != 2 && size != 4 && size != 8) {
		pgsim_scn_diag_add(d, sz->mark, "%s.size: %s bytes is not an access size (1, 2, 4 "
				   "or 8)", st->op->name, sz->text);
		return;
	}
	if (v && v->kind == PGSIM_SCN_NUM && size < 8 && (v->num >> (8 * size)))
		pgsim_scn_diag_add(d, v->mark, "%s.value: %s does not fit in %u byte%s",
				   st->op->name, v->text, size, size == 1 ? "" : "s");
}

void eng_prep_print(struct pgsim_engine *e, const struct pgsim_scn_step *st,
		    struct pgsim_scn_diags *d)
{
	const char *what = eng_str(st, "what", "ranges");
	const struct pgsim_scn_node *from = eng_arg(st, "from"), *to = eng_arg(st, "to");
	const struct pgsim_scn_node *va = eng_arg(st, "vaddr");

	/* vmprint is xv6's format for Sv39 tables (as `pgsim dump` says) */
	if (strcmp(what, "vmprint") == 0 && strcmp(e->cfg.arch->name, "sv39") != 0)
		pgsim_scn_diag_add(d, st->mark, "print: vmprint is xv6's format for sv39 tables, "
				   "not %s", e->cfg.arch->name);
	if (strcmp(what, "walk") == 0 && !va)
		pgsim_scn_diag_add(d, st->mark, "print: walk needs vaddr");
	if (strcmp(what, "walk") != 0 && va)
		pgsim_scn_diag_add(d, va->mark, "print.vaddr: only with what: walk");
	if (strcmp(what, "caps") != 0 && eng_arg(st, "slots"))
		pgsim_scn_diag_add(d, eng_arg(st, "slots")->mark, "print.slots: only with what: caps");
	if (strcmp(what, "caps") != 0 && !eng_vspace(e, st))
		pgsim_scn_diag_add(d, st->mark, "print: no vspace given and the scenario has none "
				   "(vspace: none)");
	if (strcmp(what, "caps") == 0 && eng_arg(st, "vspace"))
		pgsim_scn_diag_add(d, eng_arg(st, "vspace")->mark, "print.vspace: not with what: caps");
	if ((from || to) && strcmp(what, "ranges") != 0 && strcmp(what, "json") != 0 &&
	    strcmp(what, "vmprint") != 0)
		pgsim_scn_diag_add(d, (from ? from : to)->mark, "print: from/to only with ranges, "
				   "json or vmprint");
	if (from && to && from->kind == PGSIM_SCN_NUM && to->kind == PGSIM_SCN_NUM &&
	    from->num > to->num)
		pgsim_scn_diag_add(d, from->mark, "print: from is above to");
}
