/* pgsim CLI: option parsing and machine setup shared by the subcommands. */
#include "cli_common.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int cli_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "pgsim %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return CLI_EXIT_USAGE;
}

void cli_parser_init(struct cli_parser *p, const char *cmd, int argc, char **argv,
		     const struct cli_opt *opts)
{
	p->cmd = cmd;
	p->argc = argc;
	p->argv = argv;
	p->i = 1;
	p->only_args = false;
	p->opts = opts;
}

int cli_next(struct cli_parser *p, const char **val)
{
	const char *a, *name, *eq;
	size_t len;

	*val = NULL;
	if (p->i >= p->argc)
		return CLI_END;
	a = p->argv[p->i++];
	if (p->only_args || a[0] != '-' || strcmp(a, "-") == 0) {
		*val = a;
		return CLI_ARG;
	}
	if (strcmp(a, "--") == 0) {
		p->only_args = true;
		return cli_next(p, val);
	}
	if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0)
		return CLI_HELP;
	if (a[1] != '-') {
		cli_error(p->cmd, "unknown option '%s' (see 'pgsim %s --help')", a, p->cmd);
		return CLI_BAD;
	}
	name = a + 2;
	eq = strchr(name, '=');
	len = eq ? (size_t)(eq - name) : strlen(name);
	for (const struct cli_opt *o = p->opts; o->name; o++) {
		if (strlen(o->name) != len || strncmp(o->name, name, len) != 0)
			continue;
		if (!o->has_arg) {
			if (eq) {
				cli_error(p->cmd, "--%s takes no value", o->name);
				return CLI_BAD;
			}
			return o->id;
		}
		if (eq) {
			*val = eq + 1;
		} else if (p->i < p->argc) {
			*val = p->argv[p->i++];
		} else {
			cli_error(p->cmd, "--%s needs a value", o->name);
			return CLI_BAD;
		}
		return o->id;
	}
	cli_error(p->cmd, "unknown option '%.*s' (see 'pgsim %s --help')",
		  (int)(len + 2), a, p->cmd);
	return CLI_BAD;
}

bool cli_parse_u64(const char *s, uint64_t *v)
{
	return pgsim_parse_u64(s, false, v) == 0;
}

bool cli_parse_size(const char *s, uint64_t *v)
{
	return pgsim_parse_u64(s, true, v) == 0;
}

void cli_machine_init(struct cli_machine *m, const char *cmd)
{
	memset(m, 0, sizeof(*m));
	m->cmd = cmd;
}

void cli_machine_free(struct cli_machine *m)
{
	pgsim_mem_free(m->mem);
	m->mem = NULL;
}

static int push(struct cli_machine *m, const char *opt, const char **arr,
		unsigned *n, const char *val)
{
	if (*n >= CLI_MAX_ITEMS)
		return cli_error(m->cmd, "--%s: at most %d may be given", opt, CLI_MAX_ITEMS);
	arr[(*n)++] = val;
	return 0;
}

int cli_machine_opt(struct cli_machine *m, int id, const char *val)
{
	switch (id) {
	case CLI_OPT_ARCH: m->arch_s = val; return 0;
	case CLI_OPT_ROOT: m->root_s = val; return 0;
	case CLI_OPT_VA_BITS: m->va_bits_s = val; return 0;
	case CLI_OPT_PA_BITS: m->pa_bits_s = val; return 0;
	case CLI_OPT_IMAGE: return push(m, "image", m->images, &m->n_images, val);
	case CLI_OPT_RAM: return push(m, "ram", m->rams, &m->n_rams, val);
	case CLI_OPT_CPU: return push(m, "cpu", m->cpus, &m->n_cpus, val);
	}
	return cli_error(m->cmd, "internal error: option id %d", id);
}

static void flag_list(const struct pgsim_arch *a, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	for (unsigned i = 0; i < a->n_cpu_flags && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%s", i ? ", " : "",
					a->cpu_flags[i].name);
	if (a->n_cpu_flags == 0)
		snprintf(buf, len, "none");
}

static int setup_cpu(struct cli_machine *m)
{
	const struct pgsim_arch *a = m->cfg.arch;

	for (unsigned i = 0; i < m->n_cpus; i++) {
		char list[512], flags[512];
		char *save = NULL, *tok;

		snprintf(list, sizeof(list), "%s", m->cpus[i]);
		if (list[0] == '\0')
			return cli_error(m->cmd, "--cpu: empty flag list");
		for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
			bool on = true;
			const char *name = tok;

			if (strncmp(name, "no-", 3) == 0) {
				on = false;
				name += 3;
			}
			if (pgsim_cfg_set_flag(&m->cfg, name, on) != 0) {
				flag_list(a, flags, sizeof(flags));
				return cli_error(m->cmd, "--cpu: %s has no CPU flag '%s' (flags: %s)",
						 a->name, name, flags);
			}
		}
	}
	return 0;
}

static int setup_widths(struct cli_machine *m)
{
	const struct pgsim_arch *a = m->cfg.arch;
	uint64_t n;

	if (m->va_bits_s) {
		if (!cli_parse_u64(m->va_bits_s, &n))
			return cli_error(m->cmd, "--va-bits: '%s' is not a number", m->va_bits_s);
		if (n > 64 || pgsim_cfg_set_va_bits(&m->cfg, (unsigned)n) != 0) {
			char list[128];
			size_t off = 0;

			list[0] = '\0';
			for (unsigned i = 0; i < a->n_va_geometries && off < sizeof(list); i++)
				off += (size_t)snprintf(list + off, sizeof(list) - off, "%s%u",
							i ? ", " : "", a->va_geometries[i].va_bits);
			return cli_error(m->cmd, "--va-bits: %s does not support %s-bit VAs (supported: %s)",
					 a->name, m->va_bits_s, list);
		}
	}
	if (m->pa_bits_s) {
		if (!cli_parse_u64(m->pa_bits_s, &n))
			return cli_error(m->cmd, "--pa-bits: '%s' is not a number", m->pa_bits_s);
		if (n > 64 || pgsim_cfg_set_pa_bits(&m->cfg, (unsigned)n) != 0)
			return cli_error(m->cmd, "--pa-bits: %s supports %u to %u bits, not %s",
					 a->name, a->pa_bits_min, a->pa_bits_max, m->pa_bits_s);
	}
	return 0;
}

static int setup_image(struct cli_machine *m, const char *spec)
{
	char path[4096], err[512];
	const char *at = strrchr(spec, '@');
	uint64_t base = 0;
	size_t plen = at ? (size_t)(at - spec) : strlen(spec);

	if (plen == 0)
		return cli_error(m->cmd, "--image: '%s' names no file (FILE@BASE)", spec);
	if (plen >= sizeof(path))
		return cli_error(m->cmd, "--image: file name too long");
	memcpy(path, spec, plen);
	path[plen] = '\0';
	if (at && !cli_parse_u64(at + 1, &base))
		return cli_error(m->cmd, "--image: '%s': base '%s' is not a number", spec, at + 1);
	err[0] = '\0';
	if (pgsim_mem_import_file(m->mem, path, base, err, sizeof(err)) != 0) {
		/* The message names the file (mem_image's open errors already do). */
		if (strncmp(err, path, plen) == 0)
			return cli_error(m->cmd, "--image: %s", err);
		return cli_error(m->cmd, "--image: %s: %s", path, err[0] ? err : "cannot load");
	}
	return 0;
}

static int setup_ram(struct cli_machine *m, const char *spec)
{
	char lo[128];
	const char *sep = strpbrk(spec, "-+");
	uint64_t base, x, last;

	if (!sep || (size_t)(sep - spec) >= sizeof(lo))
		return cli_error(m->cmd, "--ram: '%s' is not BASE-LAST or BASE+SIZE", spec);
	memcpy(lo, spec, (size_t)(sep - spec));
	lo[sep - spec] = '\0';
	if (!cli_parse_u64(lo, &base))
		return cli_error(m->cmd, "--ram: '%s' is not a number", lo);
	if (!(*sep == '+' ? cli_parse_size(sep + 1, &x) : cli_parse_u64(sep + 1, &x)))
		return cli_error(m->cmd, "--ram: '%s' is not a number", sep + 1);
	if (*sep == '+') {
		if (x == 0 || x - 1 > UINT64_MAX - base)
			return cli_error(m->cmd, "--ram: '%s' is empty or wraps past 2^64", spec);
		last = base + (x - 1);
	} else {
		last = x;
	}
	if (last < base)
		return cli_error(m->cmd, "--ram: '%s' ends before it starts", spec);
	if (pgsim_mem_add_ram(m->mem, base, last) != 0)
		return cli_error(m->cmd, "--ram: cannot add '%s'", spec);
	return 0;
}

static int setup_root(struct cli_machine *m)
{
	const struct pgsim_arch *a = m->cfg.arch;
	uint64_t table_bytes = (1ull << m->cfg.top_index_bits) * a->entry_bytes;
	uint64_t align = 1ull << a->page_lg2;

	if (!m->root_s)
		return cli_error(m->cmd, "--root is required (physical address of the root table)");
	if (!cli_parse_u64(m->root_s, &m->root))
		return cli_error(m->cmd, "--root: '%s' is not a number", m->root_s);
	/* The root table is aligned to its own size, at least a page (a
	 * concatenated or larger top table, e.g. AArch64 with an 8 KiB
	 * initial table, needs more). */
	if (table_bytes > align)
		align = table_bytes;
	if (m->root & (align - 1))
		return cli_error(m->cmd, "--root: 0x%llx is not aligned to the %llu-byte root table",
				 (unsigned long long)m->root, (unsigned long long)align);
	if (!a->root_addr_size_fault && m->cfg.pa_bits < 64 && (m->root >> m->cfg.pa_bits))
		return cli_error(m->cmd, "--root: 0x%llx is wider than %s's %u-bit physical addresses",
				 (unsigned long long)m->root, a->name, m->cfg.pa_bits);
	if (!pgsim_mem_is_ram(m->mem, m->root, table_bytes)) {
		/* An image given without @BASE sits at 0: likely the cause. */
		const char *nobase = NULL;
		for (unsigned i = 0; i < m->n_images && !nobase; i++)
			if (!strchr(m->images[i], '@'))
				nobase = m->images[i];
		return cli_error(m->cmd, "--root: the root table at 0x%llx is not in RAM "
				 "(no --image or --ram covers 0x%llx-0x%llx)%s%s%s",
				 (unsigned long long)m->root, (unsigned long long)m->root,
				 (unsigned long long)(m->root + table_bytes - 1),
				 nobase ? "; --image " : "", nobase ? nobase : "",
				 nobase ? " has no @BASE, so it was loaded at 0" : "");
	}
	return 0;
}

int cli_machine_setup(struct cli_machine *m)
{
	const struct pgsim_arch *a;
	int rc;

	if (!m->arch_s)
		return cli_error(m->cmd, "--arch is required (one of: %s)", pgsim_arch_names());
	a = pgsim_arch_find(m->arch_s);
	if (!a) {
		/* Other names people use for the same paging modes. */
		static const char *const alias[][2] = {
			{ "arm64", "aarch64" }, { "armv8", "aarch64" }, { "riscv", "sv39" },
			{ "riscv64", "sv39" }, { "rv64", "sv39" }, { "amd64", "x86_64" },
			{ "x64", "x86_64" }, { "x86-64", "x86_64" }, { "i386", "ia32" },
			{ "x86", "ia32" }, { "i686", "ia32" },
		};
		for (size_t i = 0; i < sizeof alias / sizeof alias[0]; i++)
			if (strcasecmp(m->arch_s, alias[i][0]) == 0)
				return cli_error(m->cmd, "--arch: unknown architecture '%s' (did you "
						 "mean %s?)", m->arch_s, alias[i][1]);
		return cli_error(m->cmd, "--arch: unknown architecture '%s' (one of: %s)",
				 m->arch_s, pgsim_arch_names());
	}
	pgsim_cfg_init(&m->cfg, a);
	if ((rc = setup_widths(m)) != 0 || (rc = setup_cpu(m)) != 0)
		return rc;
	if (m->n_images == 0 && m->n_rams == 0)
		return cli_error(m->cmd, "no memory: give --image FILE@BASE (or --ram BASE-LAST)");
	m->mem = pgsim_mem_new();
	if (!m->mem) {
		fprintf(stderr, "pgsim %s: out of memory\n", m->cmd);
		return CLI_EXIT_FAIL;
	}
	for (unsigned i = 0; i < m->n_images; i++)
		if ((rc = setup_image(m, m->images[i])) != 0)
			return rc;
	for (unsigned i = 0; i < m->n_rams; i++)
		if ((rc = setup_ram(m, m->rams[i])) != 0)
			return rc;
	return setup_root(m);
}

int cli_parse_va(const struct cli_machine *m, const char *where, const char *s,
		 pgsim_va_t *va)
{
	/* The VA register is as wide as an entry on every modelled
	 * architecture (ia32: 32 bits, the others 64). */
	unsigned width = m->cfg.arch->entry_bytes * 8;
	const char *sep = where[0] ? ": " : "";

	if (!cli_parse_u64(s, va))
		return cli_error(m->cmd, "%s%sVA '%s' is not a number", where, sep, s);
	if (width < 64 && (*va >> width))
		return cli_error(m->cmd, "%s%sVA %s does not fit %s's %u-bit addresses",
				 where, sep, s, m->cfg.arch->name, width);
	return 0;
}

void cli_help_machine(FILE *out)
{
	unsigned n;
	const struct pgsim_arch *const *all = pgsim_arch_all(&n);

	fprintf(out,
		"Machine options:\n"
		"  --arch NAME          architecture: %s (required)\n"
		"  --image FILE[@BASE]  raw physical-memory image (QEMU pmemsave) loaded at\n"
		"                       physical address BASE (default 0); declares it RAM;\n"
		"                       repeatable\n"
		"  --ram BASE-LAST      extra RAM [BASE, LAST] (or BASE+SIZE); repeatable\n"
		"  --root PA            physical address of the root table (required)\n"
		"  --cpu LIST           comma-separated CPU flags to set; prefix a flag\n"
		"                       with no- to clear it (e.g. --cpu no-wp,smep)\n"
		"  --va-bits N          translated VA width\n"
		"  --pa-bits N          physical / output address width\n"
		"\n"
		"Numbers are 0x hex or decimal; '_' may separate digits.  A SIZE may end\n"
		"in K, M, G or T (x 2^10, 2^20, 2^30, 2^40).\n"
		"\n"
		"Architectures (VA widths: first is the default; CPU flags: [on] = on by default):\n",
		pgsim_arch_names());
	for (unsigned i = 0; i < n; i++) {
		const struct pgsim_arch *a = all[i];

		fprintf(out, "  %-8s %s\n", a->name, a->title);
		fprintf(out, "           VA bits:");
		for (unsigned g = 0; g < a->n_va_geometries; g++)
			fprintf(out, "%s %u", g ? "," : "", a->va_geometries[g].va_bits);
		fprintf(out, "; PA bits: %u (%u-%u)\n", a->pa_bits_default, a->pa_bits_min,
			a->pa_bits_max);
		for (unsigned f = 0; f < a->n_cpu_flags; f++) {
			const struct pgsim_cpu_flag_desc *d = &a->cpu_flags[f];

			fprintf(out, "           %-9s %-5s %s\n", d->name,
				d->default_on ? "[on]" : "", d->help ? d->help : "");
		}
	}
}
