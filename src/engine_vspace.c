/* pgsim: scenario operations of the sel4utils vspace model.
 *
 * One step per library function (docs/invariants.md, "Scenario keys"):
 * vspaces, processes and reservations are named in the scenario (a
 * reservation by the `as:` of the step that made it), caps are the
 * engine's slots (adopted into the model's vka on first use).  Each step
 * prints one line -- the library's outcome (ok / failed / assert / crash,
 * with its log line) and its result -- and puts the result address or
 * value in the step's `value`.  A call that does not return ok fails the
 * step unless the step expects its `output` (or the seL4 `error` the
 * library stopped on), so an expected assert is written down as such.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "engine_vspace.h"
#include "pgsim/check.h"

/* ---- state ------------------------------------------------------------------- */

struct eng_vs *eng_vs_state(struct pgsim_engine *e)
{
	if (!e->vs)
		e->vs = calloc(1, sizeof *e->vs);
	return e->vs;
}

void eng_vs_free(struct pgsim_engine *e)
{
	struct eng_vs *v = e->vs;
	if (!v)
		return;
	pgsim_vs_env_free(v->env);
	free(v->res);
	free(v->vs_names);
	free(v->res_names);
	free(v->proc_names);
	for (unsigned i = 0; i < v->n_owned; i++)
		free((char *)v->owned[i]);
	free(v->owned);
	free(v);
	e->vs = NULL;
}

static uint64_t id_bits(const struct pgsim_scn_node *l)
{
	uint64_t b = 0;
	for (unsigned i = 0; l && i < l->n; i++) {
		int k = pgsim_chk_find(l->items[i].text);
		if (k >= 0)
			b |= 1ull << k;
	}
	return b;
}

uint64_t eng_vs_counted(const struct pgsim_scn_step *st, const struct pgsim_chk_result *res)
{
	uint64_t strict = id_bits(eng_arg(st, "strict")), allow = id_bits(eng_arg(st, "allow"));
	return (res->fired_not_by_design | (res->fired & strict)) & ~allow;
}

bool eng_vs_in_scenario(const struct pgsim_scn *s)
{
	for (unsigned i = 0; i < s->n_steps; i++)
		if (s->steps[i].op->impl == &eng_vs_op)
			return true;
	return false;
}

const struct pgsim_vs_env *eng_vs_env(const struct pgsim_engine *e)
{
	return e->vs ? e->vs->env : NULL;
}

static int env_of(struct pgsim_engine *e, struct pgsim_vs_env **out)
{
	struct eng_vs *v = eng_vs_state(e);
	if (!v)
		return -ENOMEM;
	if (!v->env) {
		struct pgsim_vs_env_opts o = v->opts;
		if (!o.untyped)
			o.untyped = e->untyped;
		int rc = pgsim_vs_env_new(e->k, &o, &v->env);
		if (rc)
			return rc;
	}
	*out = v->env;
	return 0;
}

static bool flag(const struct pgsim_scn_step *st, const char *key, bool def)
{
	const struct pgsim_scn_node *n = eng_arg(st, key);
	return n ? n->b : def;
}

/* bytes: given as bytes or as pages (of 2^size_bits). */
static uint64_t bytes_of(const struct pgsim_scn_step *st, unsigned size_bits, uint64_t def_pages)
{
	if (eng_arg(st, "bytes"))
		return eng_num(st, "bytes", 0);
	return eng_num(st, "pages", def_pages) << size_bits;
}

static struct pgsim_vs *vspace(struct pgsim_engine *e, const struct pgsim_scn_step *st, const char *key)
{
	return pgsim_vs_find(e->vs->env, eng_str(st, key, ""));
}

static struct pgsim_vs_res *res_named(struct pgsim_engine *e, const char *name)
{
	struct eng_vs *v = e->vs;
	for (unsigned i = v->n_res; i-- > 0;)
		if (!strcmp(v->res[i].name, name))
			return v->res[i].res;
	return NULL;
}

static int name_res(struct pgsim_engine *e, const struct pgsim_scn_step *st, struct pgsim_vs_res *r)
{
	struct eng_vs *v = e->vs;
	const char *as = eng_str(st, "as", NULL);
	if (!as || !r)
		return 0;
	if (v->n_res == v->max_res) {
		unsigned m = v->max_res ? v->max_res * 2 : 8;
		struct eng_vs_name *p = realloc(v->res, m * sizeof *p);
		if (!p)
			return -ENOMEM;
		v->res = p;
		v->max_res = m;
	}
	v->res[v->n_res].name = as;
	v->res[v->n_res].res = r;
	v->n_res++;
	snprintf(r->name, sizeof r->name, "%s", as);
	return 0;
}

/* A slot of the engine as a CPtr of the model's vka. */
static int cptr_of(struct pgsim_engine *e, const char *slot, uint64_t *cptr)
{
	if (pgsim_vs_cptr_of_slot(e->vs->env, slot, cptr) == 0)
		return 0;
	return pgsim_vs_vka_adopt(e->vs->env, slot, cptr);
}

/* A fresh root for a vspace: retyped from the default untyped and
 * assigned to the boot ASID pool (what the caller of get_vspace, or the
 * kernel for a root task, provides). */
static int new_root(struct pgsim_engine *e, const char *name, uint64_t *cptr,
		    struct pgsim_step_actual *a)
{
	char slot[64];
	snprintf(slot, sizeof slot, "%s.root", name);
	const char *dest[1] = { slot };
	struct pgsim_kres r;
	const struct pgsim_ktype_info *t = pgsim_kernel_type_find(e->k, "vspace");
	int rc = pgsim_kernel_retype(e->k, e->untyped, t->sel4_name, 0, dest, 1, &r);
	if (!rc && r.err == PGSIM_SEL4_NO_ERROR)
		rc = pgsim_kernel_assign(e->k, "asid_pool", slot, &r);
	if (rc)
		return rc;
	if (r.err != PGSIM_SEL4_NO_ERROR) {
		a->has_kres = true;
		a->kres = r;
		return 0;
	}
	return cptr_of(e, slot, cptr);
}

/* ---- outcome ------------------------------------------------------------------ */

static void outcome(struct pgsim_engine *e, const struct pgsim_scn_step *st, struct pgsim_step_actual *a,
		    const char *vs, const struct pgsim_vs_out *o, const char *result, bool has_value,
		    uint64_t value)
{
	fprintf(e->out, "%s%s%s: %s", st->op->name, vs ? " " : "", vs ? vs : "",
		pgsim_vs_status_name(o->status));
	if (o->status == PGSIM_VS_OK && result)
		fprintf(e->out, ", %s", result);
	if (o->msg[0])
		fprintf(e->out, ": %s", o->msg);
	fprintf(e->out, "\n");
	if (o->status == PGSIM_VS_OK) {
		a->has_value = has_value;
		a->value = value;
		return;
	}
	/* the seL4 error the library stopped on, when the step asks for it */
	if (o->has_kres && pgsim_scn_get(st->expect, "error")) {
		a->has_kres = true;
		a->kres = o->kres;
	}
	if (!pgsim_scn_get(st->expect, "output") && !pgsim_scn_get(st->expect, "error"))
		snprintf(a->error, sizeof a->error, "sel4utils %.32s: %s%s%.140s", st->op->name,
			 pgsim_vs_status_name(o->status), o->msg[0] ? ": " : "", o->msg);
}

static void addr_outcome(struct pgsim_engine *e, const struct pgsim_scn_step *st,
			 struct pgsim_step_actual *a, const char *vs, const struct pgsim_vs_out *o,
			 uint64_t va)
{
	char b[48];
	snprintf(b, sizeof b, "vaddr 0x%llx", (unsigned long long)va);
	outcome(e, st, a, vs, o, b, true, va);
}

/* ---- segments ------------------------------------------------------------------ */

struct segs {
	struct pgsim_vs_segment s[16];
	uint8_t *data[16];
	unsigned n;
};

static unsigned seg_flags(const char *f)
{
	unsigned v = 0;
	for (; f && *f; f++)
		v |= *f == 'r' ? PGSIM_PF_R : *f == 'w' ? PGSIM_PF_W : *f == 'x' ? PGSIM_PF_X : 0;
	return v;
}

static int segs_of(const struct pgsim_scn_step *st, struct segs *sg)
{
	const struct pgsim_scn_node *n = eng_arg(st, "segments");
	memset(sg, 0, sizeof *sg);
	for (unsigned i = 0; n && i < n->n && i < 16; i++) {
		const struct pgsim_scn_node *m = &n->items[i], *v;
		struct pgsim_vs_segment *s = &sg->s[sg->n++];
		s->vaddr = pgsim_scn_get(m, "vaddr")->num;
		s->memsz = pgsim_scn_get(m, "memsz")->num;
		s->filesz = (v = pgsim_scn_get(m, "filesz")) ? v->num : 0;
		v = pgsim_scn_get(m, "flags");
		s->flags = seg_flags(v ? v->text : "rw");
		if ((v = pgsim_scn_get(m, "fill")) && s->filesz) {
			if (s->filesz > s->memsz)
				s->filesz = s->memsz;
			sg->data[i] = malloc((size_t)s->filesz);
			if (!sg->data[i])
				return -ENOMEM;
			memset(sg->data[i], (int)v->num, (size_t)s->filesz);
			s->data = sg->data[i];
		}
	}
	return 0;
}

static void segs_free(struct segs *sg)
{
	for (unsigned i = 0; i < 16; i++)
		free(sg->data[i]);
}

/* ---- the operations ---------------------------------------------------------------- */

static int caps_of(struct pgsim_engine *e, const struct pgsim_scn_step *st, uint64_t *caps,
		   uint64_t *cookies, bool *has_cookies, unsigned *n)
{
	const struct pgsim_scn_node *c = eng_arg(st, "caps"), *k = eng_arg(st, "cookies");
	*n = c->n;
	*has_cookies = k != NULL;
	for (unsigned i = 0; i < c->n; i++) {
		int rc = cptr_of(e, c->items[i].text, &caps[i]);
		if (rc)
			return rc;
		cookies[i] = k && i < k->n ? k->items[i].num : 0;
	}
	return 0;
}

static int run_op(struct pgsim_engine *e, const struct pgsim_scn_step *st, struct pgsim_step_actual *a)
{
	const char *op = st->op->name;
	struct pgsim_vs_env *env;
	struct pgsim_vs_out o;
	int rc;
	unsigned bits = (unsigned)eng_num(st, "size_bits", 12);
	unsigned rights = (unsigned)eng_num(st, "rights", PGSIM_SEL4_ALL_RIGHTS);
	bool cache = flag(st, "cacheable", true);

	if (!strcmp(op, "sel4utils")) {
		struct eng_vs *v = eng_vs_state(e);
		if (!v)
			return -ENOMEM;
		v->opts.ndebug = flag(st, "ndebug", false);
		v->opts.first_cptr = eng_num(st, "first_cptr", 0);
		v->opts.untyped = eng_str(st, "untyped", NULL);
		v->opts.shadow_levels = (unsigned)eng_num(st, "shadow_levels", 0);
		v->opts.shadow_level_bits = (unsigned)eng_num(st, "shadow_level_bits", 0);
		rc = env_of(e, &env);
		if (!rc)
			fprintf(e->out, "sel4utils: %s build\n", v->opts.ndebug ? "NDEBUG" : "debug");
		return rc;
	}
	if ((rc = env_of(e, &env)))
		return rc;
	pgsim_vs_env_trace(env, e->trace);
	const char *name = eng_str(st, "vspace", NULL);
	struct pgsim_vs *vs = name ? pgsim_vs_find(env, name) : NULL;

	if (!strcmp(op, "vspace_bootstrap") || !strcmp(op, "get_vspace")) {
		const char *nm = eng_str(st, "name", "");
		uint64_t root;
		const char *rs = eng_str(st, "root", NULL);
		rc = rs ? cptr_of(e, rs, &root) : new_root(e, nm, &root, a);
		if (rc || a->has_kres)
			return rc;
		struct pgsim_vs *nv;
		if (op[0] == 'v') {
			const struct pgsim_scn_node *img = eng_arg(st, "image"), *fr = eng_arg(st, "frames");
			uint64_t frames[64];
			unsigned nf = fr ? fr->n : 0;
			for (unsigned i = 0; i < nf; i++)
				frames[i] = fr->items[i].num;
			rc = pgsim_vs_bootstrap(env, nm, root, img && img->n > 0 ? img->items[0].num : 0,
						img && img->n > 1 ? img->items[1].num : 0, frames, nf, &nv, &o);
		} else {
			rc = pgsim_vs_get_vspace(env, nm, vspace(e, st, "loader"), root, flag(st, "empty", false),
						 NULL, &nv, &o);
		}
		if (!rc)
			outcome(e, st, a, nm, &o, NULL, false, 0);
		return rc;
	}
	if (!strcmp(op, "configure_process")) {
		struct segs sg;
		struct pgsim_vs_proc_cfg cfg;
		memset(&cfg, 0, sizeof cfg);
		if ((rc = segs_of(st, &sg)) == 0) {
			cfg.segs = sg.s;
			cfg.n_segs = sg.n;
			cfg.no_elf_load = !flag(st, "elf_load", true);
			cfg.no_ipc_buffer = !flag(st, "ipc_buffer", true);
			cfg.no_stack = !flag(st, "stack", true);
			cfg.stack_pages = eng_num(st, "stack_pages", 0);
			const struct pgsim_scn_node *cr = eng_arg(st, "reservations"), *v;
			for (unsigned i = 0; cr && i < cr->n && i < 4; i++) {
				const struct pgsim_scn_node *m = &cr->items[i];
				cfg.reservations[i].vaddr = pgsim_scn_get(m, "vaddr")->num;
				cfg.reservations[i].bytes = (v = pgsim_scn_get(m, "bytes")) ? v->num
							    : ((v = pgsim_scn_get(m, "pages")) ? v->num : 1) << 12;
				cfg.reservations[i].rights = (v = pgsim_scn_get(m, "rights")) ? (unsigned)v->num
							     : PGSIM_SEL4_ALL_RIGHTS;
				cfg.reservations[i].cacheable = (v = pgsim_scn_get(m, "cacheable")) ? v->b : true;
				cfg.n_reservations = i + 1;
			}
			struct pgsim_vs_proc *p;
			const char *nm = eng_str(st, "name", "");
			rc = pgsim_vs_configure_process(env, nm, vspace(e, st, "spawner"), &cfg, &p, &o);
			if (!rc) {
				struct pgsim_vs_proc_info pi;
				char b[96];
				pgsim_vs_proc_info(p, &pi);
				snprintf(b, sizeof b, "ipc buffer 0x%llx, stack top 0x%llx",
					 (unsigned long long)pi.ipc_buffer, (unsigned long long)pi.stack_top);
				outcome(e, st, a, nm, &o, b, true, pi.stack_top);
			}
		}
		segs_free(&sg);
		return rc;
	}
	if (!strcmp(op, "spawn")) {
		const struct pgsim_scn_node *av = eng_arg(st, "argv");
		const char *argv[16];
		unsigned argc = av ? av->n : 0;
		for (unsigned i = 0; i < argc; i++)
			argv[i] = av->items[i].text;
		rc = pgsim_vs_spawn(pgsim_vs_proc_find(env, eng_str(st, "process", "")),
				    vspace(e, st, "spawner"), argc, argv, &o);
		if (!rc)
			outcome(e, st, a, eng_str(st, "process", ""), &o, NULL, false, 0);
		return rc;
	}
	if (!strcmp(op, "share_mem") || !strcmp(op, "share_mem_at_vaddr")) {
		struct pgsim_vs *from = vspace(e, st, "from"), *to = vspace(e, st, "to");
		uint64_t start = eng_num(st, "start", 0), n = eng_num(st, "pages", 1);
		if (op[9] == '\0')
			rc = pgsim_vs_share_mem(from, to, start, n, bits, rights, cache, &o);
		else
			rc = pgsim_vs_share_mem_at_vaddr(from, to, start, n, bits, eng_num(st, "vaddr", 0),
							 res_named(e, eng_str(st, "res", "")), &o);
		if (!rc)
			addr_outcome(e, st, a, eng_str(st, "to", ""), &o,
				     op[9] == '\0' ? o.vaddr : eng_num(st, "vaddr", 0));
		return rc;
	}
	if (!vs)
		return -ENOENT; /* prepare checked the name */
	uint64_t va = eng_num(st, "vaddr", 0), pages = eng_num(st, "pages", 1);
	struct pgsim_vs_res *res = res_named(e, eng_str(st, "res", ""));
	bool free = !strcmp(eng_str(st, "vka", "preserve"), "free");
	if (!strcmp(op, "elf_load")) {
		struct segs sg;
		if ((rc = segs_of(st, &sg)) == 0)
			rc = pgsim_vs_elf_load(vs, vspace(e, st, "loader"), sg.s, sg.n,
					       flag(st, "keep_regions", false), &o);
		segs_free(&sg);
		if (!rc)
			outcome(e, st, a, name, &o, NULL, false, 0);
		return rc;
	}
	if (!strncmp(op, "reserve_", 8)) {
		bool at = strcmp(op, "reserve_range") != 0;
		uint64_t bytes = bytes_of(st, at ? 12 : bits, 1);
		if (!strcmp(op, "reserve_deferred_rights_range_at"))
			rc = pgsim_vs_reserve_deferred_rights_range_at(vs, va, bytes, cache, &o);
		else if (at)
			rc = flag(st, "no_alloc", false)
				     ? pgsim_vs_reserve_range_at_no_alloc(vs, va, bytes, rights, cache, &o)
				     : pgsim_vs_reserve_range_at(vs, va, bytes, rights, cache, &o);
		else
			rc = flag(st, "no_alloc", false)
				     ? pgsim_vs_reserve_range_no_alloc(vs, bytes, bits, rights, cache, &o)
				     : pgsim_vs_reserve_range_aligned(vs, bytes, bits, rights, cache, &o);
		if (!rc)
			rc = name_res(e, st, o.res);
		if (!rc) {
			char b[96];
			if (o.res)
				snprintf(b, sizeof b, "reservation %u [0x%llx, 0x%llx)", o.res->serial,
					 (unsigned long long)o.res->start, (unsigned long long)o.res->end);
			outcome(e, st, a, name, &o, o.res ? b : NULL, true, o.vaddr);
		}
		return rc;
	}
	if (!strcmp(op, "free_reservation")) {
		if (eng_arg(st, "res"))
			rc = pgsim_vs_free_reservation(vs, res, &o);
		else
			rc = pgsim_vs_free_reservation_by_vaddr(vs, va, &o);
	} else if (!strcmp(op, "move_resize_reservation")) {
		rc = pgsim_vs_move_resize_reservation(vs, res, va, bytes_of(st, 12, 1), &o);
	} else if (!strcmp(op, "new_pages")) {
		rc = pgsim_vs_new_pages(vs, rights, pages, bits, &o);
		if (!rc)
			addr_outcome(e, st, a, name, &o, o.vaddr);
		return rc;
	} else if (!strcmp(op, "new_pages_at_vaddr")) {
		rc = pgsim_vs_new_pages_at_vaddr(vs, va, pages, bits, res, flag(st, "can_use_dev", false), &o);
	} else if (!strcmp(op, "map_pages") || !strcmp(op, "map_pages_at_vaddr")) {
		uint64_t caps[64], cookies[64];
		bool hc;
		unsigned n;
		if ((rc = caps_of(e, st, caps, cookies, &hc, &n)))
			return rc;
		if (op[9] == '\0') {
			rc = pgsim_vs_map_pages(vs, caps, hc ? cookies : NULL, rights, n, bits, cache, &o);
			if (!rc)
				addr_outcome(e, st, a, name, &o, o.vaddr);
			return rc;
		}
		rc = flag(st, "deferred", false)
			     ? pgsim_vs_deferred_rights_map_pages_at_vaddr(vs, caps, hc ? cookies : NULL, va, n,
									   bits, rights, res, &o)
			     : pgsim_vs_map_pages_at_vaddr(vs, caps, hc ? cookies : NULL, va, n, bits, res, &o);
	} else if (!strcmp(op, "unmap_pages")) {
		rc = pgsim_vs_unmap_pages(vs, va, pages, bits, free ? PGSIM_VS_FREE : PGSIM_VS_PRESERVE, &o);
	} else if (!strcmp(op, "get_cap") || !strcmp(op, "get_cookie")) {
		rc = op[4] == 'c' && op[5] == 'a' ? pgsim_vs_get_cap(vs, va, &o) : pgsim_vs_get_cookie(vs, va, &o);
		if (!rc) {
			uint64_t v = op[5] == 'a' ? o.cptr : o.value;
			char b[48];
			snprintf(b, sizeof b, "0x%llx", (unsigned long long)v);
			outcome(e, st, a, name, &o, b, true, v);
		}
		return rc;
	} else if (!strcmp(op, "tear_down")) {
		rc = pgsim_vs_tear_down(vs, free ? PGSIM_VS_FREE : PGSIM_VS_PRESERVE, &o);
	} else if (!strcmp(op, "new_ipc_buffer")) {
		rc = pgsim_vs_new_ipc_buffer(vs, &o);
		if (!rc)
			addr_outcome(e, st, a, name, &o, o.vaddr);
		return rc;
	} else if (!strcmp(op, "free_ipc_buffer")) {
		rc = pgsim_vs_free_ipc_buffer(vs, va, &o);
	} else if (!strcmp(op, "new_sized_stack")) {
		rc = pgsim_vs_new_sized_stack(vs, eng_num(st, "pages", 16), &o);
		if (!rc) {
			char b[48];
			snprintf(b, sizeof b, "stack top 0x%llx", (unsigned long long)o.value);
			outcome(e, st, a, name, &o, b, true, o.value);
		}
		return rc;
	} else if (!strcmp(op, "free_sized_stack")) {
		rc = pgsim_vs_free_sized_stack(vs, eng_num(st, "top", 0), eng_num(st, "pages", 16), &o);
	} else if (!strcmp(op, "new_pages_with_config")) {
		rc = pgsim_vs_new_pages_with_config(vs, va, pages, bits, rights, flag(st, "can_use_dev", false),
						    &o);
		if (!rc)
			addr_outcome(e, st, a, name, &o, o.vaddr);
		return rc;
	} else if (!strcmp(op, "unmap_cap_at") || !strcmp(op, "delete_cap_at")) {
		struct pgsim_vs_slot s;
		char slot[64];
		pgsim_vs_lookup(vs, va, &s);
		if (s.kind != PGSIM_VS_SLOT_MAPPED) {
			snprintf(a->error, sizeof a->error, "%s: the shadow of %s has no cap at 0x%llx", op, name,
				 (unsigned long long)va);
			return 0;
		}
		pgsim_vs_slot(env, s.value, slot, sizeof slot);
		rc = op[0] == 'u' ? pgsim_kernel_unmap(e->k, slot, &a->kres)
				  : pgsim_kernel_delete(e->k, slot, &a->kres);
		if (rc)
			return rc;
		a->has_kres = true;
		fprintf(e->out, "%s %s: %s (cap 0x%llx in the shadow at 0x%llx)\n", op, name, slot,
			(unsigned long long)s.value, (unsigned long long)va);
		return 0;
	} else if (!strcmp(op, "vspace_print")) {
		const char *what = eng_str(st, "what", "summary");
		struct pgsim_chk_ctx ctx = { &e->cfg, e->mem, e->k, env };
		if (!strcmp(what, "summary")) {
			pgsim_vs_print_summary(e->out, vs);
		} else if (!strcmp(what, "reconciliation")) {
			pgsim_vs_print_reconciliation(e->out, vs, &ctx);
		} else {
			struct pgsim_chk_result r;
			if ((rc = pgsim_chk_run(&ctx, NULL, &r)))
				return rc;
			pgsim_chk_print(e->out, &r);
			pgsim_chk_result_free(&r);
		}
		return 0;
	} else {
		return -ENOSYS;
	}
	if (!rc)
		outcome(e, st, a, name, &o, NULL, false, 0);
	return rc;
}

const struct eng_op eng_vs_op = { run_op, X_VALUE | X_OUTPUT | X_KRES, eng_vs_prepare, true };
