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
