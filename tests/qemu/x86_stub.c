/* A ring-0 x86 program that makes QEMU's TCG walker answer for every VA.
 *
 * QEMU 7.2's gva2gpa on x86 uses a debug walker that checks only P and PS
 * (x86_cpu_get_phys_page_attrs_debug); faults, reserved bits and error
 * codes come only from the walker TCG uses for real accesses
 * (mmu_translate in target/i386/tcg/sysemu/excp_helper.c).  This program
 * makes those accesses: for every VA in its list a one-byte read, then a
 * one-byte write of the byte read (memory keeps its value), each as a
 * supervisor access; a #PF or #GP handler records the vector and error
 * code and resumes with the next access.  The driver puts a breakpoint on
 * the final hlt and reads the results through the gdb stub.
 *
 * Physical layout (RAM at 0 on the pc machine; the generator's tables
 * start at 0x100000), mapped at VA `va` by a free root entry:
 *   0x0000  GDT: null, 0x08 code (64-bit, or 32-bit flat), 0x10 data
 *           (also read at physical 0 by the gdb stub when it loads CS/SS
 *           before paging is on, cpu_x86_get_descr_debug)
 *   0x0100  GDTR image (limit, base = va), 0x0110 IDTR image
 *   0x1000  IDT: #GP (13) and #PF (14) to their handlers, the rest to
 *           `unexpected`
 *   0x2000  code (below)
 *   0x3000  count, resume address, current result pointer; the stack
 *           grows down from 0x4000
 *   0x4000  VAs, 8 bytes each (ia32: the low 4 are used)
 *   0x8000  results: per VA, read status then write status, 8 bytes
 *           each: 0 = no fault, else 1 << 63 | vector << 32 | error code,
 *           all ones = an unexpected exception (the run stops)
 *   0x10000 the mapping's own tables (PDPT, PD, PT; ia32 the PT only),
 *           mapping va .. va + 0xffff to 0 .. 0xffff, present + writable.
 *
 * The code bytes were assembled from the listings below (GNU as, Intel
 * syntax) and checked with objdump -d; offsets are from 0x2000.
 */
#include <string.h>

#include "x86_stub.h"

#define GDT 0x0000ull
#define GDTR 0x0100ull
#define IDTR 0x0110ull
#define IDT 0x1000ull
#define CODE 0x2000ull
#define COUNT 0x3000ull
#define VAS 0x4000ull
#define RESULTS 0x8000ull
#define MAP_L2 0x10000ull /* x86_64 PDPT */
#define MAP_L1 0x11000ull /* x86_64 PD */
#define MAP_L0 0x12000ull /* PT */
#define MAPPED 0x10000ull

/* 64-bit code (rip-relative, so it runs at any VA):
 *   00 lgdt [rip+gdtr]             0f 01 15 rel32
 *   07 lidt [rip+idtr]             0f 01 1d rel32
 *   0e lea rsp, [rip+stack_top]    48 8d 25 rel32
 *   15 lea rsi, [rip+vas]          48 8d 35 rel32
 *   1c lea rdi, [rip+results]      48 8d 3d rel32
 *   23 mov rcx, [rip+count]        48 8b 0d rel32
 * next:
 *   2a test rcx, rcx ; jz done
 *   2f mov rbx, [rsi]              the VA
 *   32 mov r12, rdi ; mov qword [r12], 0
 *   3d lea rax, [rip+after_read] ; mov [rip+resume], rax
 *   4b xor eax, eax ; mov al, byte [rbx]          the read
 * after_read:
 *   4f lea r12, [rdi+8] ; mov qword [r12], 0
 *   5b lea rdx, [rip+after_write] ; mov [rip+resume], rdx
 *   69 mov byte [rbx], al                          the write
 * after_write:
 *   6b add rsi, 8 ; add rdi, 16 ; dec rcx ; jmp next
 * done:
 *   78 hlt ; jmp done
 * fault14:
 *   7b pop rax ; mov rdx, 0x8000000e00000000 ; jmp record
 * fault13:
 *   88 pop rax ; mov rdx, 0x8000000d00000000
 * record:
 *   93 or rax, rdx ; mov [r12], rax
 *   9a lea rsp, [rip+stack_top] ; jmp [rip+resume]
 * unexpected:
 *   a7 mov qword [r12], -1 ; jmp done
 */
static const uint8_t code64[] = {
	0x0f, 0x01, 0x15, 0xf9, 0xe0, 0xff, 0xff, 0x0f, 0x01, 0x1d, 0x02, 0xe1,
	0xff, 0xff, 0x48, 0x8d, 0x25, 0xeb, 0x1f, 0x00, 0x00, 0x48, 0x8d, 0x35,
	0xe4, 0x1f, 0x00, 0x00, 0x48, 0x8d, 0x3d, 0xdd, 0x5f, 0x00, 0x00, 0x48,
	0x8b, 0x0d, 0xd6, 0x0f, 0x00, 0x00, 0x48, 0x85, 0xc9, 0x74, 0x49, 0x48,
	0x8b, 0x1e, 0x49, 0x89, 0xfc, 0x49, 0xc7, 0x04, 0x24, 0x00, 0x00, 0x00,
	0x00, 0x48, 0x8d, 0x05, 0x0b, 0x00, 0x00, 0x00, 0x48, 0x89, 0x05, 0xbd,
	0x0f, 0x00, 0x00, 0x31, 0xc0, 0x8a, 0x03, 0x4c, 0x8d, 0x67, 0x08, 0x49,
	0xc7, 0x04, 0x24, 0x00, 0x00, 0x00, 0x00, 0x48, 0x8d, 0x15, 0x09, 0x00,
	0x00, 0x00, 0x48, 0x89, 0x15, 0x9f, 0x0f, 0x00, 0x00, 0x88, 0x03, 0x48,
	0x83, 0xc6, 0x08, 0x48, 0x83, 0xc7, 0x10, 0x48, 0xff, 0xc9, 0xeb, 0xb2,
	0xf4, 0xeb, 0xfd, 0x58, 0x48, 0xba, 0x00, 0x00, 0x00, 0x00, 0x0e, 0x00,
	0x00, 0x80, 0xeb, 0x0b, 0x58, 0x48, 0xba, 0x00, 0x00, 0x00, 0x00, 0x0d,
	0x00, 0x00, 0x80, 0x48, 0x09, 0xd0, 0x49, 0x89, 0x04, 0x24, 0x48, 0x8d,
	0x25, 0x5f, 0x1f, 0x00, 0x00, 0xff, 0x25, 0x61, 0x0f, 0x00, 0x00, 0x49,
	0xc7, 0x04, 0x24, 0xff, 0xff, 0xff, 0xff, 0xeb, 0xc7,
};

/* 32-bit code (ebp = region VA, found with call/pop):
 *   00 call 1f ; 1: pop ebp ; sub ebp, 0x2005
 *   0c lgdt [ebp+0x100] ; lidt [ebp+0x110]
 *   1a lea esp, [ebp+0x4000] ; lea esi, [ebp+0x4000]
 *   26 lea edi, [ebp+0x8000] ; mov ecx, [ebp+0x3000]
 * next:
 *   32 test ecx, ecx ; jz done
 *   36 mov ebx, [esi]              the VA
 *   38 mov [ebp+0x3010], edi ; mov dword [edi], 0 ; mov dword [edi+4], 0
 *   4b lea eax, [ebp+after_read] ; mov [ebp+0x3008], eax
 *   57 xor eax, eax ; mov al, byte [ebx]          the read
 * after_read:
 *   5b lea edx, [edi+8] ; mov [ebp+0x3010], edx
 *   64 mov dword [edx], 0 ; mov dword [edx+4], 0
 *   71 lea edx, [ebp+after_write] ; mov [ebp+0x3008], edx
 *   7d mov byte [ebx], al                          the write
 * after_write:
 *   7f add esi, 8 ; add edi, 16 ; dec ecx ; jmp next
 * done:
 *   88 hlt ; jmp done
 * fault14:
 *   8b pop eax ; mov edx, 0x8000000e ; jmp record
 * fault13:
 *   93 pop eax ; mov edx, 0x8000000d
 * record:
 *   99 push ebx ; mov ebx, [ebp+0x3010] ; mov [ebx], eax ; mov [ebx+4], edx
 *   a5 pop ebx ; lea esp, [ebp+0x4000] ; jmp [ebp+0x3008]
 * unexpected:
 *   b2 mov edx, [ebp+0x3010] ; mov dword [edx], -1 ; mov dword [edx+4], -1
 *   c5 jmp done
 */
static const uint8_t code32[] = {
	0xe8, 0x00, 0x00, 0x00, 0x00, 0x5d, 0x81, 0xed, 0x05, 0x20, 0x00, 0x00,
	0x0f, 0x01, 0x95, 0x00, 0x01, 0x00, 0x00, 0x0f, 0x01, 0x9d, 0x10, 0x01,
	0x00, 0x00, 0x8d, 0xa5, 0x00, 0x40, 0x00, 0x00, 0x8d, 0xb5, 0x00, 0x40,
	0x00, 0x00, 0x8d, 0xbd, 0x00, 0x80, 0x00, 0x00, 0x8b, 0x8d, 0x00, 0x30,
	0x00, 0x00, 0x85, 0xc9, 0x74, 0x52, 0x8b, 0x1e, 0x89, 0xbd, 0x10, 0x30,
	0x00, 0x00, 0xc7, 0x07, 0x00, 0x00, 0x00, 0x00, 0xc7, 0x47, 0x04, 0x00,
	0x00, 0x00, 0x00, 0x8d, 0x85, 0x5b, 0x20, 0x00, 0x00, 0x89, 0x85, 0x08,
	0x30, 0x00, 0x00, 0x31, 0xc0, 0x8a, 0x03, 0x8d, 0x57, 0x08, 0x89, 0x95,
	0x10, 0x30, 0x00, 0x00, 0xc7, 0x02, 0x00, 0x00, 0x00, 0x00, 0xc7, 0x42,
	0x04, 0x00, 0x00, 0x00, 0x00, 0x8d, 0x95, 0x7f, 0x20, 0x00, 0x00, 0x89,
	0x95, 0x08, 0x30, 0x00, 0x00, 0x88, 0x03, 0x83, 0xc6, 0x08, 0x83, 0xc7,
	0x10, 0x49, 0xeb, 0xaa, 0xf4, 0xeb, 0xfd, 0x58, 0xba, 0x0e, 0x00, 0x00,
	0x80, 0xeb, 0x06, 0x58, 0xba, 0x0d, 0x00, 0x00, 0x80, 0x53, 0x8b, 0x9d,
	0x10, 0x30, 0x00, 0x00, 0x89, 0x03, 0x89, 0x53, 0x04, 0x5b, 0x8d, 0xa5,
	0x00, 0x40, 0x00, 0x00, 0xff, 0xa5, 0x08, 0x30, 0x00, 0x00, 0x8b, 0x95,
	0x10, 0x30, 0x00, 0x00, 0xc7, 0x02, 0xff, 0xff, 0xff, 0xff, 0xc7, 0x42,
	0x04, 0xff, 0xff, 0xff, 0xff, 0xeb, 0xc1,
};

/* Handler offsets from CODE: done, #PF, #GP, anything else. */
static const uint64_t off64[4] = { 0x78, 0x7b, 0x88, 0xa7 };
static const uint64_t off32[4] = { 0x88, 0x8b, 0x93, 0xb2 };

/* Interrupt gate, DPL 0, selector 0x08 (SDM vol. 3 6.14.1 / 6.11). */
static void gate(struct pgsim_mem *m, bool lm, unsigned vec, uint64_t target)
{
	uint64_t lo = (target & 0xffff) | 0x08ull << 16 | 0x8eull << 40 |
		      ((target >> 16) & 0xffff) << 48;

	if (lm) {
		pgsim_mem_write_le(m, IDT + 16 * vec, 8, lo);
		pgsim_mem_write_le(m, IDT + 16 * vec + 8, 8, target >> 32);
	} else {
		pgsim_mem_write_le(m, IDT + 8 * vec, 8, lo);
	}
}

static int free_slot(struct pgsim_mem *m, uint64_t root, bool lm, unsigned *slot)
{
	unsigned eb = lm ? 8 : 4, n = lm ? 512 : 1024;

	for (unsigned i = n; i-- > 0;) {
		uint64_t e;

		if (pgsim_mem_read_le(m, root + (uint64_t)i * eb, eb, &e) == 0 && e == 0) {
			*slot = i;
			return 0;
		}
	}
	return -1;
}

int x86_stub_install(struct pgsim_mem *m, uint64_t root, bool lm, const uint64_t *vas,
		     unsigned n, struct x86_stub *s)
{
	const uint64_t *off = lm ? off64 : off32;
	uint64_t code;

	if (n > X86_STUB_MAX_VAS || free_slot(m, root, lm, &s->slot) != 0)
		return -1;
	if (lm) {
		s->va = (uint64_t)s->slot << 39;
		if (s->va >> 47)
			s->va |= 0xffff000000000000ull; /* canonical */
	} else {
		s->va = (uint64_t)s->slot << 22;
	}
	code = s->va + CODE;
	s->entry = code;
	s->done = code + off[0];
	s->results = s->va + RESULTS;
	s->stack = s->va + VAS; /* grows down into the data page */

	/* GDT: flat 4 GiB code (L=1 in long mode, else D=1) and data,
	 * accessed bits preset so nothing writes them (SDM vol. 3 3.4.5) */
	pgsim_mem_write_le(m, GDT + 0x08, 8, lm ? 0x00af9b000000ffffull : 0x00cf9b000000ffffull);
	pgsim_mem_write_le(m, GDT + 0x10, 8, 0x00cf93000000ffffull);
	pgsim_mem_write_le(m, GDTR, 2, 0x17);
	pgsim_mem_write_le(m, GDTR + 2, lm ? 8 : 4, s->va + GDT);
	pgsim_mem_write_le(m, IDTR, 2, lm ? 0xfff : 0x7ff);
	pgsim_mem_write_le(m, IDTR + 2, lm ? 8 : 4, s->va + IDT);
	for (unsigned v = 0; v < 256; v++)
		gate(m, lm, v, code + (v == 14 ? off[1] : v == 13 ? off[2] : off[3]));
	if (lm)
		pgsim_mem_write(m, CODE, code64, sizeof code64);
	else
		pgsim_mem_write(m, CODE, code32, sizeof code32);
	pgsim_mem_write_le(m, COUNT, 8, n);
	for (unsigned i = 0; i < n; i++)
		pgsim_mem_write_le(m, VAS + 8 * i, 8, vas[i]);

	/* the mapping: present, writable, supervisor */
	if (lm) {
		pgsim_mem_write_le(m, root + 8ull * s->slot, 8, MAP_L2 | 3);
		pgsim_mem_write_le(m, MAP_L2, 8, MAP_L1 | 3);
		pgsim_mem_write_le(m, MAP_L1, 8, MAP_L0 | 3);
		for (uint64_t pa = 0; pa < MAPPED; pa += 0x1000)
			pgsim_mem_write_le(m, MAP_L0 + (pa >> 12) * 8, 8, pa | 3);
	} else {
		pgsim_mem_write_le(m, root + 4ull * s->slot, 4, MAP_L0 | 3);
		for (uint64_t pa = 0; pa < MAPPED; pa += 0x1000)
			pgsim_mem_write_le(m, MAP_L0 + (pa >> 12) * 4, 4, pa | 3);
	}
	return 0;
}
