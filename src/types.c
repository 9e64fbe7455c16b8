#include <ctype.h>
#include <errno.h>

#include "pgsim/types.h"

const char *pgsim_fault_kind_name(enum pgsim_fault_kind k)
{
	switch (k) {
	case PGSIM_FAULT_NONE: return "none";
	case PGSIM_FAULT_NOT_PRESENT: return "not-present";
	case PGSIM_FAULT_RESERVED: return "reserved";
	case PGSIM_FAULT_PERMISSION: return "permission";
	case PGSIM_FAULT_ACCESS_FLAG: return "access-flag";
	case PGSIM_FAULT_ADDRESS_SIZE: return "address-size";
	case PGSIM_FAULT_BUS: return "bus";
	case PGSIM_FAULT_VA_RANGE: return "va-range";
	}
	return "?";
}

const char *pgsim_entry_kind_name(enum pgsim_entry_kind k)
{
	switch (k) {
	case PGSIM_ENTRY_INVALID: return "invalid";
	case PGSIM_ENTRY_TABLE: return "table";
	case PGSIM_ENTRY_LEAF: return "leaf";
	case PGSIM_ENTRY_RESERVED: return "reserved";
	case PGSIM_ENTRY_ADDR_SIZE: return "addr-size";
	}
	return "?";
}

const char *pgsim_access_name(enum pgsim_access a)
{
	switch (a) {
	case PGSIM_ACCESS_READ: return "read";
	case PGSIM_ACCESS_WRITE: return "write";
	case PGSIM_ACCESS_EXEC: return "exec";
	}
	return "?";
}

int pgsim_parse_u64(const char *s, bool size_suffix, uint64_t *v)
{
	uint64_t x = 0, base = 10;
	bool any = false, last_us = false, over = false;
	unsigned shift = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	for (; *s; s++) {
		unsigned d;

		if (*s == '_') {
			if (!any || last_us)
				return -EINVAL;
			last_us = true;
			continue;
		}
		if (*s >= '0' && *s <= '9')
			d = (unsigned)(*s - '0');
		else if (base == 16 && isxdigit((unsigned char)*s))
			d = (unsigned)(tolower((unsigned char)*s) - 'a' + 10);
		else
			break;
		if (x > (UINT64_MAX - d) / base)
			over = true;
		x = x * base + d;
		any = true;
		last_us = false;
	}
	if (!any || last_us)
		return -EINVAL;
	if (!size_suffix && *s != '\0')
		return -EINVAL;
	switch (*s) {
	case '\0': break;
	case 'K': case 'k': shift = 10; s++; break;
	case 'M': case 'm': shift = 20; s++; break;
	case 'G': case 'g': shift = 30; s++; break;
	case 'T': case 't': shift = 40; s++; break;
	default: return -EINVAL;
	}
	if (*s != '\0')
		return -EINVAL;
	if (over || (shift && x > (UINT64_MAX >> shift)))
		return -ERANGE;
	*v = x << shift;
	return 0;
}
