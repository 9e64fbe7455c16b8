/* libFuzzer target: the scenario loader and engine on arbitrary bytes.
 * Input that loads is prepared and run (bounded: the engine runs each step
 * once), so hostile YAML must end in diagnostics or a run, never a crash,
 * a hang or a leak. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "pgsim/engine.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct pgsim_scn_diags d;
	struct pgsim_scn *s = NULL;
	pgsim_scn_diags_init(&d, "fuzz.yaml");
	if (pgsim_scn_load_buf("fuzz.yaml", (const char *)data, size, pgsim_engine_schema(), &s, &d) != 0)
		return 0;
	struct pgsim_engine *e = NULL;
	if (pgsim_engine_prepare(s, &d, &e) == 0) {
		struct pgsim_engine_opts o = { .keep_going = true, .trace = true };
		struct pgsim_run *r = NULL;
		if (pgsim_engine_run(e, &o, &r) == 0) {
			FILE *null = fopen("/dev/null", "w");
			if (null) {
				unsigned counter = 0;
				pgsim_run_print_text(null, r, true);
				pgsim_run_print_json(null, r, true);
				pgsim_run_print_tap(null, r, true, &counter);
				fclose(null);
			}
			pgsim_run_free(r);
		}
		pgsim_engine_free(e);
	}
	pgsim_scn_free(s);
	return 0;
}
