/* pgsim: seL4 kernel model -- results: seL4_Error names, the reply
 * message registers of an error (setMRs_syscall_error /
 * setMRs_lookup_failure), VM rights and maskVMRights.
 */
#include <errno.h>
#include <string.h>

#include "kernel_impl.h"

/* ---- results ----------------------------------------------------------- */

static const char *const err_names[] = {
	"seL4_NoError", "seL4_InvalidArgument", "seL4_InvalidCapability",
	"seL4_IllegalOperation", "seL4_RangeError", "seL4_AlignmentError",
	"seL4_FailedLookup", "seL4_TruncatedMessage", "seL4_DeleteFirst",
	"seL4_RevokeFirst", "seL4_NotEnoughMemory",
};

const char *pgsim_sel4_err_name(enum pgsim_sel4_err e)
{
	if ((unsigned)e >= sizeof err_names / sizeof err_names[0])
		return NULL;
	return err_names[e];
}

/* Compare ignoring case and underscores: "failed_lookup" == "FailedLookup". */
bool k_name_eq(const char *a, const char *b)
{
	for (;;) {
		while (*a == '_')
			a++;
		while (*b == '_')
			b++;
		if (!*a || !*b)
			return !*a && !*b;
		char ca = *a, cb = *b;
		if (ca >= 'A' && ca <= 'Z')
			ca = (char)(ca - 'A' + 'a');
		if (cb >= 'A' && cb <= 'Z')
			cb = (char)(cb - 'A' + 'a');
		if (ca != cb)
			return false;
		a++;
		b++;
	}
}

int pgsim_sel4_err_parse(const char *name, enum pgsim_sel4_err *e)
{
	if (!name)
		return -EINVAL;
	for (unsigned i = 0; i < sizeof err_names / sizeof err_names[0]; i++) {
		if (k_name_eq(name, err_names[i]) || k_name_eq(name, err_names[i] + 5)) {
			*e = (enum pgsim_sel4_err)i;
			return 0;
		}
	}
	return -ENOENT;
}

const char *pgsim_sel4_lookup_name(enum pgsim_sel4_lookup l)
{
	static const char *const n[] = {
		"seL4_NoFailure", "seL4_InvalidRoot", "seL4_MissingCapability",
		"seL4_DepthMismatch", "seL4_GuardMismatch",
	};
	if ((unsigned)l >= sizeof n / sizeof n[0])
		return NULL;
	return n[l];
}

void pgsim_kres_str(const struct pgsim_kres *r, char *buf, size_t len)
{
	const char *n = pgsim_sel4_err_name(r->err);
	if (!n)
		n = "seL4_?";
	switch (r->err) {
	case PGSIM_SEL4_INVALID_ARGUMENT:
		snprintf(buf, len, "%s (argument %u)", n, r->arg);
		break;
	case PGSIM_SEL4_INVALID_CAPABILITY:
		snprintf(buf, len, "%s (cap %u)", n, r->cap);
		break;
	case PGSIM_SEL4_RANGE_ERROR:
		snprintf(buf, len, "%s (min %llu, max %llu)", n,
			 (unsigned long long)r->range_min, (unsigned long long)r->range_max);
		break;
	case PGSIM_SEL4_FAILED_LOOKUP:
		if (r->lookup == PGSIM_SEL4_LOOKUP_MISSING_CAPABILITY)
			snprintf(buf, len, "%s (%s, bitsLeft %u%s)", n,
				 pgsim_sel4_lookup_name(r->lookup), r->bits_left,
				 r->lookup_source ? ", source" : "");
		else
			snprintf(buf, len, "%s (%s%s)", n, pgsim_sel4_lookup_name(r->lookup),
				 r->lookup_source ? ", source" : "");
		break;
	case PGSIM_SEL4_NOT_ENOUGH_MEMORY:
		snprintf(buf, len, "%s (memoryLeft %llu)", n, (unsigned long long)r->memory_left);
		break;
	default:
		snprintf(buf, len, "%s", n);
		break;
	}
}

void k_res_ok(struct pgsim_kres *r)
{
	memset(r, 0, sizeof *r);
}

void k_err(struct pgsim_kres *r, enum pgsim_sel4_err e, const char *msg)
{
	memset(r, 0, sizeof *r);
	r->err = e;
	if (msg)
		snprintf(r->msg, sizeof r->msg, "%s", msg);
}

/* MRs as setMRs_syscall_error writes them (K-gen tcb.c, spec 1.1). */
void k_err_arg(struct pgsim_kres *r, unsigned arg, const char *msg)
{
	k_err(r, PGSIM_SEL4_INVALID_ARGUMENT, msg);
	r->arg = arg;
	r->n_mr = 1;
	r->mr[0] = arg;
}

void k_err_cap(struct pgsim_kres *r, unsigned cap, const char *msg)
{
	k_err(r, PGSIM_SEL4_INVALID_CAPABILITY, msg);
	r->cap = cap;
	r->n_mr = 1;
	r->mr[0] = cap;
}

void k_err_range(struct pgsim_kres *r, uint64_t min, uint64_t max, const char *msg)
{
	k_err(r, PGSIM_SEL4_RANGE_ERROR, msg);
	r->range_min = min;
	r->range_max = max;
	r->n_mr = 2;
	r->mr[0] = min;
	r->mr[1] = max;
}

/* FailedLookup: MR0 failedLookupWasSource, MR1 lookup type (+1 of the
 * kernel's internal tag = the libsel4 value), MR2.. per type
 * (setMRs_lookup_failure in K-gen faults.c). */
void k_err_missing(struct pgsim_kres *r, unsigned bits_left, bool source, const char *msg)
{
	k_err(r, PGSIM_SEL4_FAILED_LOOKUP, msg);
	r->lookup = PGSIM_SEL4_LOOKUP_MISSING_CAPABILITY;
	r->lookup_source = source;
	r->bits_left = bits_left;
	r->n_mr = 3;
	r->mr[0] = source;
	r->mr[1] = PGSIM_SEL4_LOOKUP_MISSING_CAPABILITY;
	r->mr[2] = bits_left;
}

void k_err_invalid_root(struct pgsim_kres *r, const char *msg)
{
	k_err(r, PGSIM_SEL4_FAILED_LOOKUP, msg);
	r->lookup = PGSIM_SEL4_LOOKUP_INVALID_ROOT;
	r->n_mr = 2;
	r->mr[0] = 0;
	r->mr[1] = PGSIM_SEL4_LOOKUP_INVALID_ROOT;
}

void k_err_memory(struct pgsim_kres *r, uint64_t left, const char *msg)
{
	k_err(r, PGSIM_SEL4_NOT_ENOUGH_MEMORY, msg);
	r->memory_left = left;
	r->n_mr = 1;
	r->mr[0] = left;
}

/* ---- rights ------------------------------------------------------------ */

const char *pgsim_vm_rights_name(enum pgsim_vm_rights r)
{
	switch (r) {
	case PGSIM_VM_KERNEL_ONLY: return "VMKernelOnly";
	case PGSIM_VM_READ_ONLY: return "VMReadOnly";
	case PGSIM_VM_READ_WRITE: return "VMReadWrite";
	}
	return NULL;
}

/* As seL4's maskVMRights (the same code on x86, ARM and RISC-V). */
enum pgsim_vm_rights pgsim_vm_rights_mask(enum pgsim_vm_rights have, unsigned cap_rights)
{
	bool rd = cap_rights & PGSIM_SEL4_CAN_READ, wr = cap_rights & PGSIM_SEL4_CAN_WRITE;
	if (have == PGSIM_VM_READ_ONLY && rd)
		return PGSIM_VM_READ_ONLY;
	if (have == PGSIM_VM_READ_WRITE && rd)
		return wr ? PGSIM_VM_READ_WRITE : PGSIM_VM_READ_ONLY;
	return PGSIM_VM_KERNEL_ONLY;
}

/* maskVMRights' userError for a write-only request on a ReadWrite cap. */
void k_note_write_only(struct pgsim_kres *r, enum pgsim_vm_rights have, unsigned req)
{
	if (have == PGSIM_VM_READ_WRITE && !(req & PGSIM_SEL4_CAN_READ) &&
	    (req & PGSIM_SEL4_CAN_WRITE))
		snprintf(r->msg, sizeof r->msg, "Attempted to make unsupported write only mapping");
}
