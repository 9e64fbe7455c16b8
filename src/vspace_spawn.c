/* pgsim: sel4utils vspace model -- configuring and spawning a process.
 *
 * sel4utils_configure_process_custom (process.c) as sel4test's driver
 * calls it (create_vspace, is_elf, do_elf_load): vka_alloc_vspace_root and
 * seL4_ARCH_ASIDPool_Assign; sel4utils_get_vspace on the spawner (its
 * result unchecked); config reservations; sel4utils_elf_load (reservations
 * dropped at the end); then sel4utils_configure_thread_config: the IPC
 * buffer (vspace_new_ipc_buffer) before the stack (vspace_new_sized_stack,
 * CONFIG_SEL4UTILS_STACK_SIZE = 64 KiB = 16 pages by default).  The TCB,
 * fault endpoint and cspace are kernel objects the model does not have;
 * they do not touch the vspace.
 *
 * The ASID: process.c skips the Assign when config_set(CONFIG_X86_64),
 * but that is a configuration symbol current kernels no longer define
 * (they define CONFIG_ARCH_X86_64), so config_set() is 0 and the Assign
 * happens on every architecture -- which the kernel requires anyway
 * before any Page_Map (isValidNativeRoot).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vspace_impl.h"


static int assign(struct pgsim_vs_env *env, uint64_t root)
{
	char slot[64];
	struct pgsim_kres r;
	int rc = pgsim_kernel_assign(env->k, env->pool, vs_slot(env, root, slot, sizeof slot), &r);
	if (rc) {
		vs_fail_pgsim(env, rc, "ASIDPool_Assign");
		return -1;
	}
	if (env->out)
		env->out->n_calls++;
	vs_note_kres(env, &r);
	if (env->trace) {
		char b[160];
		pgsim_kres_str(&r, b, sizeof b);
		fprintf(env->trace, "    ASIDPool_Assign(%s, %s) = %s\n", env->pool, slot, b);
	}
	return (int)r.err;
}


static int configure(struct pgsim_vs_env *env, struct pgsim_vs_proc *proc, struct pgsim_vs *spawner,
		     const struct pgsim_vs_proc_cfg *cfg)
{
	/* vka_alloc_vspace_root + assign_asid_pool */
	uint64_t root, ut;
	/* the root's slot is named "<process>.root" so a user can point the
	 * walker at it (the CPtr is the vka's as usual) */
	char slot[48];
	snprintf(slot, sizeof slot, "%s.root", proc->name);
	if (vs_alloc_object_named(env, pgsim_kernel_type_find(env->k, "vspace"), 12, PGSIM_VS_CAP_OBJECT,
				  NULL, slot, &root, &ut)) {
		vs_log(env, "Failed to allocate page directory for new process");
		return -1;
	}
	proc->root_cptr = root;
	proc->n_phdrs = cfg->n_segs;
	if (assign(env, root) || VS_ABORTED(env))
		return -1;
	/* sel4utils_get_vspace: the result is not checked */
	struct pgsim_vs *vs = vs_new(env, proc->name);
	if (!vs) {
		vs_fail_pgsim(env, -ENOMEM, "get_vspace");
		return -1;
	}
	proc->vs = vs;
	vs_get_vspace(vs, spawner, root, false, proc);
	if (VS_ABORTED(env))
		return -1;
	/* create_reservations (process.c); its rollback frees regions[i]
	 * (the failed, NULL one) instead of regions[j] */
	for (unsigned i = 0; i < cfg->n_reservations; i++) {
		if (!vs_usable(vs))
			return -1;
		uint32_t p = vs_op_push(env, vs, "reserve_range_at", "config reservation %u", i);
		struct pgsim_vs_res *r = vs_reserve_at(vs, cfg->reservations[i].vaddr,
						       cfg->reservations[i].bytes,
						       cfg->reservations[i].rights,
						       cfg->reservations[i].cacheable, false);
		vs_op_pop(env, p);
		if (VS_ABORTED(env))
			return -1;
		if (!r || r->freed_by) {
			vs_log(env, "Failed to create region");
			if (i > 0)
				vs_free_reservation(vs, NULL);
			return -1;
		}
	}
	if (cfg->n_segs) {
		struct pgsim_vs_out sub;
		struct pgsim_vs_out *save = env->out;
		int rc;
		if (cfg->no_elf_load) {
			rc = pgsim_vs_elf_reserve(vs, cfg->segs, cfg->n_segs, &sub);
		} else {
			rc = pgsim_vs_elf_load(vs, spawner, cfg->segs, cfg->n_segs, false, &sub);
		}
		/* the nested call ran with its own outcome: fold it back */
		env->out = save;
		save->n_calls += sub.n_calls;
		if (sub.has_kres) {
			save->has_kres = true;
			save->kres = sub.kres;
		}
		if (!save->msg[0])
			memcpy(save->msg, sub.msg, sizeof save->msg);
		if (rc) {
			vs_fail_pgsim(env, rc, "elf_load");
			return -1;
		}
		if (sub.status == PGSIM_VS_ASSERT)
			env->abort = VS_ABORT_ASSERT;
		else if (sub.status == PGSIM_VS_CRASH)
			env->abort = VS_ABORT_CRASH;
		if (VS_ABORTED(env))
			return -1;
		if (sub.status != PGSIM_VS_OK) {
			vs_log(env, "Failed to load elf file");
			return -1;
		}
	}
	/* sel4utils_configure_thread_config */
	uint32_t p = vs_op_push(env, vs, "configure_thread", NULL);
	int ret = 0;
	if (!cfg->no_ipc_buffer) {
		if (!vs_usable(vs)) {
			ret = -1;
		} else {
			proc->ipc_buffer = 0;
			uint32_t q = vs_op_push(env, vs, "vspace_new_ipc_buffer", NULL);
			uint64_t va = vs_new_pages(vs, PGSIM_SEL4_ALL_RIGHTS, 1, 12);
			vs_op_pop(env, q);
			proc->ipc_buffer = va;
			proc->ipc_buffer_cap = va ? vs_get_cap(vs, va) : 0;
			if (!va) {
				if (!VS_ABORTED(env))
					vs_log(env, "ipc buffer allocation failed");
				ret = -1;
			}
		}
	}
	uint64_t pages = cfg->stack_pages ? cfg->stack_pages : 16;
	if (!ret && !cfg->no_stack && !VS_ABORTED(env)) {
		struct pgsim_vs_out sub;
		struct pgsim_vs_out *save = env->out;
		int rc = pgsim_vs_new_sized_stack(vs, pages, &sub);
		env->out = save;
		save->n_calls += sub.n_calls;
		if (rc) {
			vs_fail_pgsim(env, rc, "stack");
			ret = -1;
		} else if (sub.status != PGSIM_VS_OK) {
			env->abort = sub.status == PGSIM_VS_ASSERT ? VS_ABORT_ASSERT
				     : sub.status == PGSIM_VS_CRASH ? VS_ABORT_CRASH : VS_RUN;
			if (!save->msg[0])
				memcpy(save->msg, sub.msg, sizeof save->msg);
			if (!VS_ABORTED(env))
				vs_log(env, "Stack allocation failed!");
			ret = -1;
		} else {
			proc->stack_top = sub.value;
			proc->stack_pages = pages;
		}
	}
	vs_op_pop(env, p);
	return ret;
}

int pgsim_vs_configure_process(struct pgsim_vs_env *env, const char *name, struct pgsim_vs *spawner,
			       const struct pgsim_vs_proc_cfg *cfg, struct pgsim_vs_proc **proc_out,
			       struct pgsim_vs_out *out)
{
	if (!name || !spawner || !cfg)
		return -EINVAL;
	if (pgsim_vs_find(env, name) || pgsim_vs_proc_find(env, name))
		return -EEXIST;
	struct pgsim_vs_proc *proc = vs_proc_new(env, name);
	if (!proc)
		return -ENOMEM;
	vs_out_begin(env, out);
	uint32_t p = vs_op_push(env, NULL, "configure_process", "%s", name);
	if (vs_usable(spawner)) {
		int ret = configure(env, proc, spawner, cfg);
		env->out->ret = ret;
		if (ret)
			env->out->status = PGSIM_VS_FAILED;
	}
	if (proc_out)
		*proc_out = proc;
	vs_op_pop(env, p);
	return vs_out_end(env);
}

/* ---- stack writes --------------------------------------------------------------- */

/* sel4utils_stack_write: for each page the bytes touch, get the child's
 * cap, sel4utils_dup_and_map it into the spawner (copy the cap, map it
 * anywhere), copy, sel4utils_unmap_dup (unmap PRESERVE, delete, free). */
static int stack_write(struct pgsim_vs *child, struct pgsim_vs *spawner, uint64_t dest,
		       const uint8_t *buf, size_t len)
{
	struct pgsim_vs_env *env = child->env;
	size_t written = 0;
	while (written < len && !VS_ABORTED(env)) {
		uint64_t off = dest & (VS_PAGE - 1);
		size_t n = VS_PAGE - off < len - written ? (size_t)(VS_PAGE - off) : len - written;
		uint64_t frame = vs_get_cap(child, dest & ~(VS_PAGE - 1));
		if (frame == env->c.reserved)
			frame = 0;
		if (!frame)
			return -1;
		uint64_t copy;
		if (vs_cspace_alloc(env, &copy))
			return -1;
		if (vs_cnode_copy(env, copy, frame, PGSIM_SEL4_ALL_RIGHTS)) {
			vs_cspace_free(env, copy);
			return -1;
		}
		uint64_t m = vs_map_pages(spawner, &copy, NULL, PGSIM_SEL4_ALL_RIGHTS, 1, 12, true);
		if (VS_ABORTED(env))
			return -1;
		if (!m) {
			vs_cnode_delete(env, copy);
			vs_cspace_free(env, copy);
			return -1;
		}
		char slot[64];
		struct pgsim_kcap_info ki;
		if (buf && pgsim_kernel_cap(env->k, vs_slot(env, copy, slot, sizeof slot), &ki) == 0)
			pgsim_mem_write(pgsim_kernel_mem(env->k), ki.pa + off, buf + written, n);
		uint64_t c = vs_get_cap(spawner, m);
		if (!vs_assert(env, c != 0, "copy (sel4utils_unmap_dup)"))
			return -1;
		vs_unmap_pages(spawner, m, 1, 12, false);
		vs_cnode_delete(env, c);
		vs_cspace_free(env, c);
		written += n;
		dest += n;
	}
	return VS_ABORTED(env) ? -1 : 0;
}

int pgsim_vs_stack_write(struct pgsim_vs *child, struct pgsim_vs *spawner, uint64_t vaddr,
			 const void *buf, size_t len, struct pgsim_vs_out *out)
{
	struct pgsim_vs_env *env = child->env;
	vs_out_begin(env, out);
	uint32_t p = vs_op_push(env, child, "stack_write", "0x%llx +%zu via %s",
				(unsigned long long)vaddr, len, spawner->name);
	if (vs_usable(child) && vs_usable(spawner)) {
		int ret = stack_write(child, spawner, vaddr, buf, len);
		env->out->ret = ret;
		if (ret)
			env->out->status = PGSIM_VS_FAILED;
	}
	vs_op_pop(env, p);
	return vs_out_end(env);
}

/* Push len bytes below *sp (sel4utils_stack_write's stack discipline). */
static int push(struct pgsim_vs_proc *pr, struct pgsim_vs *spawner, uint64_t *sp, const void *b,
		size_t len)
{
	*sp -= len;
	return stack_write(pr->vs, spawner, *sp, b, len);
}

static void put_word(uint8_t *p, uint64_t v, unsigned bytes)
{
	for (unsigned i = 0; i < bytes; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* sel4utils_spawn_process_v: phdrs, argv strings, padding, two zero words,
 * auxv (AT_PAGESZ, AT_PHDR, AT_PHNUM, AT_PHENT, AT_SEL4_IPC_BUFFER_PTR,
 * AT_SEL4_TCB), the env and argv terminators, the argv array, argc.  The
 * phdr bytes are zeros here (their content is not modelled); the final
 * TCB_WriteRegisters is outside the model. */
static int spawn(struct pgsim_vs_proc *pr, struct pgsim_vs *spawner, unsigned argc,
		 const char *const *argv, unsigned n_phdrs)
{
	struct pgsim_vs_env *env = pr->vs->env;
	unsigned w = env->c.word_bits / 8;
	unsigned phent = w == 8 ? 56 : 32;
	uint64_t sp = pr->stack_top - w;
	uint8_t zero[256] = { 0 };
	size_t ph = (size_t)n_phdrs * phent;
	if (ph > sizeof zero)
		ph = sizeof zero;
	if (push(pr, spawner, &sp, zero, ph))
		return -1;
	uint64_t at_phdr = sp;
	uint64_t dest_argv[16];
	if (argc > 16)
		argc = 16;
	for (unsigned i = 0; i < argc; i++) {
		if (push(pr, spawner, &sp, argv[i], strlen(argv[i]) + 1))
			return -1;
		dest_argv[i] = sp;
		sp &= ~3ull;
	}
	unsigned auxc = 6;
	uint64_t to_push = 5ull * w + 2ull * w * auxc + (uint64_t)w * argc;
	uint64_t hyp = sp - to_push;
	sp -= hyp - (hyp & ~15ull);
	uint8_t word[8], aux[6 * 2 * 8], av[16 * 8];
	/* AT_PAGESZ 6, AT_PHDR 3, AT_PHNUM 5, AT_PHENT 4, AT_SEL4_IPC_BUFFER_PTR
	 * 67, AT_SEL4_TCB 69 (sel4runtime auxv.h); the TCB slot is
	 * SEL4UTILS_TCB_SLOT = 1 */
	uint64_t auxv[12] = { 6, VS_PAGE, 3, at_phdr, 5, n_phdrs, 4, phent, 67, pr->ipc_buffer, 69, 1 };
	for (unsigned i = 0; i < 12; i++)
		put_word(aux + i * w, auxv[i], w);
	for (unsigned i = 0; i < argc; i++)
		put_word(av + i * w, dest_argv[i], w);
	put_word(word, 0, w);
	if (push(pr, spawner, &sp, word, w) || push(pr, spawner, &sp, word, w) ||
	    push(pr, spawner, &sp, aux, 2ull * w * auxc) || push(pr, spawner, &sp, word, w) ||
	    push(pr, spawner, &sp, word, w) || push(pr, spawner, &sp, av, (size_t)w * argc))
		return -1;
	put_word(word, argc, w);
	if (push(pr, spawner, &sp, word, w))
		return -1;
	if (!vs_assert(env, sp % (2ull * w) == 0, "initial_stack_pointer % (2 * sizeof(seL4_Word)) == 0"))
		return -1;
	return 0;
}

int pgsim_vs_spawn(struct pgsim_vs_proc *p, struct pgsim_vs *spawner, unsigned argc,
		   const char *const *argv, struct pgsim_vs_out *out)
{
	struct pgsim_vs_env *env = p->vs ? p->vs->env : spawner->env;
	vs_out_begin(env, out);
	uint32_t q = vs_op_push(env, p->vs, "spawn_process", "argc %u", argc);
	if (!p->vs || !p->stack_top) {
		vs_log(env, "the process has no stack to write its arguments on");
		env->out->status = PGSIM_VS_FAILED;
		env->out->ret = -1;
	} else if (vs_usable(p->vs) && vs_usable(spawner)) {
		int ret = spawn(p, spawner, argc, argv, p->n_phdrs);
		env->out->ret = ret;
		if (ret)
			env->out->status = PGSIM_VS_FAILED;
	}
	vs_op_pop(env, q);
	return vs_out_end(env);
}
