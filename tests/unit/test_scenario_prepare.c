/* CMocka tests of the engine's prepare pass: the errors that need the
 * architecture or the seL4 model to be found (object types, cap names,
 * attribute and error names, numbers that must fit the architecture,
 * expectations a step cannot produce).  Each file loads without loader
 * errors; prepare must refuse it with exactly these diagnostics
 * ("t.yaml:LINE:COL: message", file order; positions counted by hand), and
 * nothing may run.  Where a message ends in a list that belongs to another
 * module (an architecture's CPU flags, the kernel's attribute names), only
 * the part up to that list is compared.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "pgsim/engine.h"

struct prep_case {
	const char *name;
	const char *yaml;
	const char *want;    /* the whole diagnostics output ... */
	bool prefix;         /* ... or only its beginning */
};

#define X64 "arch: x86_64\n"
#define OBJ "objects:\n  f: frame\n  pt: page_table\n"
/* with X64 and OBJ, the first step is on line 6 */
#define STEPS "steps:\n"

static const struct prep_case cases[] = {
	/* ---- the machine ------------------------------------------------------- */
	{ "unknown architecture", "arch: x86-64\nsteps: []\n",
	  "t.yaml:1:7: arch: unknown architecture 'x86-64' (did you mean 'x86_64'?) (one of: ia32, "
	  "x86_64, aarch64, sv39)\n", false },
	{ "unsupported VA width", X64 "va_bits: 39\nsteps: []\n",
	  "t.yaml:2:10: va_bits: x86_64 has no 39-bit VA mode (supported: ", true },
	{ "PA width out of range", X64 "pa_bits: 20\nsteps: []\n",
	  "t.yaml:2:10: pa_bits: 20 is out of range for x86_64 (", true },
	{ "unknown CPU flag", X64 "cpu: {smepp: true}\nsteps: []\n",
	  "t.yaml:2:7: cpu: x86_64 has no CPU flag 'smepp' (did you mean 'smep'?) (flags: ", true },
	{ "CPU flag of another arch", X64 "cpu: [sum]\nsteps: []\n",
	  "t.yaml:2:7: cpu: x86_64 has no CPU flag 'sum' (flags: ", true },
	{ "configuration the model lacks", "arch: aarch64\nva_bits: 39\nsteps: []\n",
	  "t.yaml:2:10: the seL4 model does not cover this aarch64 configuration (va_bits 39, ",
	  true },
	{ "misaligned untyped", X64 "untyped: {pa: 0x1000, size_bits: 20}\nsteps: []\n",
	  "t.yaml:2:10: untyped 'untyped': 2^20 bytes at 0x1000 is not a valid x86_64 untyped "
	  "(the base must be aligned to the size, and the size within seL4_MinUntypedBits .. "
	  "seL4_MaxUntypedBits)\n", false },
	{ "untyped too large", "arch: ia32\nuntyped: {pa: 0, size_bits: 31}\nsteps: []\n",
	  "t.yaml:2:10: untyped 'untyped': 2^31 bytes at 0x0 is not a valid ia32 untyped (the "
	  "base must be aligned to the size, and the size within seL4_MinUntypedBits .. "
	  "seL4_MaxUntypedBits)\n", false },
	{ "untyped slot twice", X64 "untyped:\n  - {slot: u, pa: 0, size: 1M}\n"
	  "  - {slot: u, pa: 1M, size: 1M}\nsteps: []\n",
	  "t.yaml:4:12: untyped: slot 'u' is already used\n", false },
	{ "untyped in a boot cap's slot", X64 "untyped: {slot: asid_pool, pa: 0, size: 1M}\nsteps: []\n",
	  "t.yaml:2:17: untyped: slot 'asid_pool' is already used\n", false },
	{ "vspace slot taken", X64 "vspace: untyped\nsteps: []\n",
	  "t.yaml:2:9: vspace: slot 'untyped' is already used\n", false },
	/* ---- objects ------------------------------------------------------------ */
	{ "object in a boot cap's slot", X64 "objects: {asid_pool: frame}\nsteps: []\n",
	  "t.yaml:2:11: objects: slot 'asid_pool' is already used (by a boot cap)\n", false },
	{ "object in the default vspace's slot", X64 "vspace: root\nobjects: {untyped: frame}\nsteps: []\n",
	  "t.yaml:3:11: objects: slot 'untyped' is already used\n", false },
	{ "unknown object type", "arch: sv39\nobjects:\n  p: pdpt\nsteps: []\n",
	  "t.yaml:3:6: objects.p: unknown object type 'pdpt'; sv39 types: untyped, huge_page, "
	  "frame, large_page, page_table\n", false },
	{ "untyped object without size", X64 "objects:\n  u: untyped\nsteps: []\n",
	  "t.yaml:3:3: objects.u: an untyped object needs size_bits\n", false },
	{ "object from an unknown untyped", X64 "objects:\n  f: {type: frame, from: ut}\nsteps: []\n",
	  "t.yaml:3:26: objects.f: unknown untyped 'ut'\n", false },
	/* ---- cap names --------------------------------------------------------- */
	{ "unknown cap with a hint", X64 OBJ STEPS "  - unmap: fr\n",
	  "t.yaml:6:12: unmap.cap: unknown cap 'fr' (did you mean 'f'?) (no untyped, object, "
	  "boot cap or earlier step fills that slot)\n", false },
	{ "cap used before the step that fills it", X64 OBJ STEPS
	  "  - unmap: f2\n  - copy: {src: f, dest: f2}\n",
	  "t.yaml:6:12: unmap.cap: unknown cap 'f2' (did you mean 'f'?) (no untyped, object, "
	  "boot cap or earlier step fills that slot)\n", false },
	{ "no vspace at all", X64 "vspace: none\n" OBJ STEPS "  - map: {cap: f, vaddr: 0}\n",
	  "t.yaml:7:5: map: no vspace given and the scenario has none (vspace: none)\n", false },
	{ "unknown vspace", X64 OBJ STEPS "  - map: {cap: f, vaddr: 0, vspace: vs}\n",
	  "t.yaml:6:37: map.vspace: unknown cap 'vs' (no untyped, object, boot cap or earlier "
	  "step fills that slot)\n", false },
	{ "unknown extra cap", X64 OBJ STEPS
	  "  - invoke: {label: Page_Map, cap: f, words: [0, 3, 0], extra: [vspce]}\n",
	  "t.yaml:6:65: invoke.extra: unknown cap 'vspce' (did you mean 'vspace'?) (no untyped, "
	  "object, boot cap or earlier step fills that slot)\n", false },
	/* ---- numbers that must fit the architecture ----------------------------- */
	{ "VA wider than ia32", "arch: ia32\n" OBJ STEPS "  - map: {cap: f, vaddr: 0x100000000}\n",
	  "t.yaml:6:26: map.vaddr: 0x100000000 does not fit ia32's 32-bit words\n", false },
	{ "message word wider than ia32", "arch: ia32\n" OBJ STEPS
	  "  - invoke: {label: Page_Map, cap: f, words: [0, 0x1_0000_0000]}\n",
	  "t.yaml:6:50: invoke.words: 0x1_0000_0000 does not fit ia32's 32-bit words\n", false },
	{ "access size", X64 OBJ STEPS "  - read: {vaddr: 0, size: 3}\n",
	  "t.yaml:6:28: read.size: 3 bytes is not an access size (1, 2, 4 or 8)\n", false },
	{ "value wider than the access", X64 OBJ STEPS "  - write: {vaddr: 0, value: 0x100, size: 1}\n",
	  "t.yaml:6:30: write.value: 0x100 does not fit in 1 byte\n", false },
	/* ---- names the model resolves ------------------------------------------- */
	{ "unknown attribute", X64 OBJ STEPS "  - map: {cap: f, vaddr: 0, attr: write_thru}\n",
	  "t.yaml:6:35: map.attr: unknown x86_64 attribute in 'write_thru' (did you mean "
	  "'write_through'?) (attributes: ", true },
	{ "attribute of another arch", X64 OBJ STEPS "  - map: {cap: f, vaddr: 0, attr: [execute_never]}\n",
	  "t.yaml:6:36: map.attr: unknown x86_64 attribute in 'execute_never' (attributes: ",
	  true },
	{ "unknown retype type", X64 OBJ STEPS "  - retype: {type: frame4k, dest: g}\n",
	  "t.yaml:6:20: retype.type: unknown x86_64 object type 'frame4k' (did you mean "
	  "'frame'?)\n", false },
	{ "unknown invoke label", X64 OBJ STEPS "  - invoke: {label: Page_Mpa, cap: f}\n",
	  "t.yaml:6:21: invoke.label: unknown label 'Page_Mpa' (did you mean 'Page_Map'?)\n",
	  false },
	{ "unknown invoke label, no hint", X64 OBJ STEPS "  - invoke: {label: TCB_Resume, cap: f}\n",
	  "t.yaml:6:21: invoke.label: unknown label 'TCB_Resume' (labels: Page_Map, Page_Unmap, "
	  "Page_GetAddress, PageTable_Map, PageTable_Unmap, PageDirectory_Map, "
	  "PageDirectory_Unmap, PDPT_Map, PDPT_Unmap, PageDirectory_GetStatusBits, "
	  "ASIDControl_MakePool, ASIDPool_Assign, Untyped_Retype)\n", false },
	/* ---- print and check ------------------------------------------------------ */
	{ "vmprint off sv39", X64 OBJ STEPS "  - print: vmprint\n",
	  "t.yaml:6:5: print: vmprint is xv6's format for sv39 tables, not x86_64\n", false },
	{ "walk without vaddr", X64 OBJ STEPS "  - print: walk\n",
	  "t.yaml:6:5: print: walk needs vaddr\n", false },
	{ "vaddr without walk", X64 OBJ STEPS "  - print: {what: ranges, vaddr: 0}\n",
	  "t.yaml:6:34: print.vaddr: only with what: walk\n", false },
	{ "from/to with caps", X64 OBJ STEPS "  - print: {what: caps, to: 0}\n",
	  "t.yaml:6:29: print: from/to only with ranges, json or vmprint\n", false },
	{ "from above to", X64 OBJ STEPS "  - print: {from: 2, to: 1}\n",
	  "t.yaml:6:19: print: from is above to\n", false },
	{ "slots without caps", X64 OBJ STEPS "  - print: {what: ranges, slots: [f]}\n",
	  "t.yaml:6:34: print.slots: only with what: caps\n", false },
	{ "unknown invariant with a hint", X64 OBJ STEPS
	  "  - check: {what: invariants, ids: [CAP-WLK]}\n",
	  "t.yaml:6:37: check.ids: unknown invariant 'CAP-WLK' (did you mean 'CAP-WALK'?)\n", false },
	{ "unknown invariant", X64 OBJ STEPS "  - check: invariants\n    expect: {invariants: [NOPE]}\n",
	  "t.yaml:7:27: expect.invariants: unknown invariant 'NOPE' (scenarios can check: ", true },
	{ "invariant that needs the vspace model", X64 OBJ STEPS
	  "  - check: {what: invariants, ids: [RES-COVERED]}\n",
	  "t.yaml:6:37: check.ids: RES-COVERED needs the sel4utils vspace model, and this "
	  "scenario has no sel4utils step\n", false },
	/* ---- expectations --------------------------------------------------------- */
	{ "unknown seL4 error", X64 OBJ STEPS "  - unmap: f\n    expect: seL4_DeleteFirts\n",
	  "t.yaml:7:13: expect.error: unknown seL4 error 'seL4_DeleteFirts' (did you mean "
	  "'seL4_DeleteFirst'?)\n", false },
	{ "extra word without its error", X64 OBJ STEPS
	  "  - map: {cap: f, vaddr: 0}\n    expect: {failed_level: 30}\n",
	  "t.yaml:7:14: expect.failed_level: goes with error seL4_FailedLookup\n", false },
	{ "argument index with another error", X64 OBJ STEPS
	  "  - map: {cap: f, vaddr: 0}\n    expect: {error: seL4_DeleteFirst, arg: 0}\n",
	  "t.yaml:7:39: expect.arg: goes with error seL4_InvalidArgument\n", false },
	{ "fault on a seL4 call", X64 OBJ STEPS "  - map: {cap: f, vaddr: 0}\n    expect: {fault: permission}\n",
	  "t.yaml:7:14: map: expect.fault: a map step has no fault to expect\n", false },
	{ "error on an access", X64 OBJ STEPS "  - read: 0\n    expect: seL4_NoError\n",
	  "t.yaml:7:13: read: expect.error: a read step has no seL4 error to expect\n", false },
	{ "value on a write", X64 OBJ STEPS "  - write: {vaddr: 0, value: 1}\n    expect: {value: 1}\n",
	  "t.yaml:7:14: write: expect.value: a write step has no value to expect\n", false },
	{ "output on a map", X64 OBJ STEPS "  - unmap: f\n    expect: {output: x}\n",
	  "t.yaml:7:14: unmap: expect.output: a unmap step has no printed output to expect\n", false },
	{ "unknown fault kind", X64 OBJ STEPS "  - read: 0\n    expect: {fault: {kind: segv}}\n",
	  "t.yaml:7:28: expect.fault.kind: unknown fault kind 'segv' (one of: none, not-present, "
	  "reserved, permission, access-flag, address-size, bus, va-range)\n", false },
	{ "kind none with more keys", X64 OBJ STEPS "  - read: 0\n    expect: {fault: {kind: none, status: 4}}\n",
	  "t.yaml:7:28: expect.fault: kind none says no fault; it takes no other keys\n", false },
	/* x86_64 leaves: PT 4K, PD 2M, PDPT 1G (SDM 4.5) */
	{ "translation size not a page size", X64 OBJ STEPS
	  "  - translate: 0\n    expect: {translation: {size: 3K}}\n",
	  "t.yaml:7:34: expect.translation.size: 3K is no page size of x86_64 (4K, 2M, 1G)\n", false },
	{ "translation size 2G", X64 OBJ STEPS
	  "  - translate: 0\n    expect: {translation: {size: 2G}}\n",
	  "t.yaml:7:34: expect.translation.size: 2G is no page size of x86_64 (4K, 2M, 1G)\n", false },
	{ "bad perms", X64 OBJ STEPS "  - translate: 0\n    expect: {translation: {perms: rwx}}\n",
	  "t.yaml:7:35: expect.translation.perms: 'rwx' is not of the form 'u:rwx s:rwx' (either "
	  "part may be left out; '-' for a missing right)\n", false },
	{ "created type unknown", X64 OBJ STEPS
	  "  - map_helper: {cap: f, vaddr: 0}\n    expect: {created: [pud]}\n",
	  "t.yaml:7:24: expect.created: unknown x86_64 object type 'pud'\n", false },
	{ "range with one number", X64 OBJ STEPS
	  "  - retype: {type: frame, dest: g}\n    expect: {error: seL4_RangeError, range: [1]}\n",
	  "t.yaml:7:45: expect.range: give [min, max]\n", false },
	/* ---- several at once --------------------------------------------------- */
	{ "several prepare errors", X64 OBJ STEPS
	  "  - unmap: fr\n  - retype: {type: pml5, dest: x}\n  - print: vmprint\n",
	  "t.yaml:6:12: unmap.cap: unknown cap 'fr' (did you mean 'f'?) (no untyped, object, "
	  "boot cap or earlier step fills that slot)\n"
	  "t.yaml:7:20: retype.type: unknown x86_64 object type 'pml5' (did you mean 'pml4'?)\n"
	  "t.yaml:8:5: print: vmprint is xv6's format for sv39 tables, not x86_64\n", false },
};
#define N_CASES (sizeof(cases) / sizeof(cases[0]))

static void test_prepare_case(void **state)
{
	const struct prep_case *c = *state;
	struct pgsim_scn_diags d;
	struct pgsim_scn *s = NULL;
	struct pgsim_engine *e = NULL;
	char *got = NULL;
	size_t len = 0;
	FILE *f;
	int rc;

	pgsim_scn_diags_init(&d, "t.yaml");
	rc = pgsim_scn_load_buf("t.yaml", c->yaml, strlen(c->yaml), pgsim_engine_schema(), &s,
				&d);
	if (rc == 0)
		rc = pgsim_engine_prepare(s, &d, &e);
	assert_int_equal(rc, -22); /* -EINVAL */
	assert_null(e);
	f = open_memstream(&got, &len);
	assert_non_null(f);
	pgsim_scn_diags_print(f, &d);
	fclose(f);
	if (c->prefix ? strncmp(got, c->want, strlen(c->want)) != 0 : strcmp(got, c->want) != 0)
		fail_msg("%s:\n expected: %s%s got:      %s", c->name, c->want,
			 c->prefix ? "...\n" : "", got);
	free(got);
	pgsim_scn_free(s);
}

static void test_prepare_ok(void **state)
{
	/* Names filled by steps, by the map helper ("<prefix>.<type>.<n>"),
	 * by `empty` objects and the boot caps are all known; attributes by
	 * name, list or number; a scenario without any vspace may still use
	 * explicit ones. */
	static const char yaml[] =
		"arch: aarch64\n"
		"vspace: none\n"
		"objects:\n"
		"  vs: vspace\n"
		"  f: frame\n"
		"  g: frame\n"
		"  hole: empty\n"
		"steps:\n"
		"  - assign: {vspace: vs, pool: asid_pool}\n"
		"  - map_helper: {cap: f, vaddr: 0x1000, vspace: vs, attr: cacheable|execute_never}\n"
		"  - unmap: f.page_table.2\n"
		"  - map_helper: {cap: g, vaddr: 0x2000, vspace: vs, prefix: tables, attr: [cacheable]}\n"
		"  - copy: {src: f, dest: f2}\n"
		"  - map: {cap: f2, vaddr: 0x3000, vspace: vs, attr: 3}\n"
		"  - delete: tables.page_table.0\n"
		"  - get_address: hole\n"
		"    expect: {error: seL4_InvalidCapability, cap: 0}\n"
		"  - print: caps\n";
	struct pgsim_scn_diags d;
	struct pgsim_scn *s = NULL;
	struct pgsim_engine *e = NULL;
	struct pgsim_run *r = NULL;

	(void)state;
	pgsim_scn_diags_init(&d, "t.yaml");
	assert_int_equal(pgsim_scn_load_buf("t.yaml", yaml, sizeof(yaml) - 1,
					    pgsim_engine_schema(), &s, &d), 0);
	assert_int_equal(pgsim_engine_prepare(s, &d, &e), 0);
	assert_int_equal(d.n, 0);
	assert_int_equal(pgsim_engine_run(e, NULL, &r), 0);
	assert_int_equal(r->failed, 0);
	assert_int_equal(r->passed, s->n_steps);
	/* an engine runs once */
	{
		struct pgsim_run *r2 = NULL;

		assert_int_equal(pgsim_engine_run(e, NULL, &r2), -114 /* EALREADY */);
		assert_null(r2);
	}
	pgsim_run_free(r);
	pgsim_engine_free(e);
	pgsim_scn_free(s);
}

int main(void)
{
	struct CMUnitTest tests[N_CASES + 1];
	size_t n = 0;

	for (size_t i = 0; i < N_CASES; i++) {
		tests[n] = (struct CMUnitTest)cmocka_unit_test_prestate(test_prepare_case,
									(void *)&cases[i]);
		tests[n].name = cases[i].name;
		n++;
	}
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_prepare_ok);
	return _cmocka_run_group_tests("scenario prepare", tests, n, NULL, NULL);
}
