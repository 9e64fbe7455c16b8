/* mkdumps: writes the small example memory images in tests/data/.
 *
 *   mkdumps OUTDIR
 *
 * Each image is a raw physical-memory dump (QEMU pmemsave format: the
 * bytes of physical memory from a base address on, nothing else) holding
 * page tables whose entries are hand-chosen constants, written here
 * little-endian with plain stdio.  It deliberately does not use libpgsim
 * (no encode()): the examples must not depend on the code they test.
 * tests/data/README.md lists every image, its base and root, and what
 * each entry means; the Check suite regenerates the images and requires
 * them to be byte-identical to the committed ones.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE 4096u

struct image {
	const char *name;
	uint64_t base;
	unsigned pages;
	unsigned char *bytes;
};

static void image_new(struct image *im, const char *name, uint64_t base, unsigned pages)
{
	im->name = name;
	im->base = base;
	im->pages = pages;
	im->bytes = calloc(pages, PAGE);
	if (!im->bytes) {
		fprintf(stderr, "mkdumps: out of memory\n");
		exit(1);
	}
}

/* Store an entry of `size` bytes (4 or 8) at physical address pa. */
static void put(struct image *im, uint64_t pa, unsigned size, uint64_t value)
{
	if (pa < im->base || pa - im->base + size > (uint64_t)im->pages * PAGE) {
		fprintf(stderr, "mkdumps: %s: 0x%llx is outside the image\n", im->name,
			(unsigned long long)pa);
		exit(1);
	}
	for (unsigned i = 0; i < size; i++)
		im->bytes[pa - im->base + i] = (unsigned char)(value >> (8 * i));
}

static void put_text(struct image *im, uint64_t pa, const char *s)
{
	for (; *s; s++, pa++)
		put(im, pa, 1, (unsigned char)*s);
}

static int image_write(struct image *im, const char *dir)
{
	char path[4096];
	FILE *f;
	size_t len = (size_t)im->pages * PAGE;

	snprintf(path, sizeof(path), "%s/%s", dir, im->name);
	f = fopen(path, "wb");
	if (!f) {
		fprintf(stderr, "mkdumps: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (fwrite(im->bytes, 1, len, f) != len || fclose(f) != 0) {
		fprintf(stderr, "mkdumps: writing %s failed\n", path);
		return -1;
	}
	free(im->bytes);
	im->bytes = NULL;
	return 0;
}

/* x86_64, 4-level paging.  Image at 0x100000, root (CR3) 0x100000.
 * Flag bits: P=0x1 RW=0x2 US=0x4 A=0x20 D=0x40 PS=0x80 G=0x100, XD=bit 63. */
static void mk_x86_64(struct image *im)
{
	image_new(im, "x86_64.img", 0x100000, 5);
	/* PML4 at 0x100000 */
	put(im, 0x100000 + 0 * 8, 8, 0x0000000000101027ull);   /* [0] -> PDPT 0x101000, P RW US A */
	put(im, 0x100000 + 511 * 8, 8, 0x0000000000104023ull); /* [511] -> PDPT 0x104000, P RW A (kernel) */
	/* PDPT at 0x101000 (VA 0 - 512G) */
	put(im, 0x101000 + 0 * 8, 8, 0x0000000000102027ull);   /* [0] -> PD 0x102000 */
	put(im, 0x101000 + 1 * 8, 8, 0x00000000800000e7ull);   /* [1] 1G page at PA 0x80000000, P RW US A D PS */
	put(im, 0x101000 + 3 * 8, 8, 0x000000007f000027ull);   /* [3] -> "PD" at 0x7f000000: not in RAM */
	/* PD at 0x102000 (VA 0 - 1G) */
	put(im, 0x102000 + 0 * 8, 8, 0x0000000000103027ull);   /* [0] -> PT 0x103000 */
	put(im, 0x102000 + 1 * 8, 8, 0x0000000000a000e7ull);   /* [1] 2M page at PA 0xa00000, P RW US A D PS */
	put(im, 0x102000 + 2 * 8, 8, 0x0000000000c020e7ull);   /* [2] 2M page with bit 13 set: reserved */
	put(im, 0x102000 + 3 * 8, 8, 0x0000000000e000a5ull);   /* [3] 2M page at PA 0xe00000, P US A PS: read-only */
	/* PT at 0x103000 (VA 0 - 2M); [0] stays 0: VA 0 is not mapped */
	put(im, 0x103000 + 1 * 8, 8, 0x0000000000005067ull);   /* [1] 4K at PA 0x5000, P RW US A D */
	put(im, 0x103000 + 2 * 8, 8, 0x0000000000006067ull);   /* [2] 4K at PA 0x6000 (contiguous with [1]) */
	put(im, 0x103000 + 3 * 8, 8, 0x0000000000009025ull);   /* [3] 4K at PA 0x9000, P US A: read-only */
	put(im, 0x103000 + 4 * 8, 8, 0x800000000000a063ull);   /* [4] 4K at PA 0xa000, P RW A D XD: kernel data */
	/* PDPT at 0x104000 (VA 0xffffff8000000000 - ) */
	put(im, 0x104000 + 510 * 8, 8, 0x00000000000001e3ull); /* [510] 1G at PA 0, P RW A D PS G */
	put(im, 0x104000 + 511 * 8, 8, 0x0000000000104023ull); /* [511] -> 0x104000 itself: a cycle */
}

/* ia32, 32-bit paging (CR4.PSE on, PSE-36 with 40-bit PA).  Image at
 * 0x100000, root (CR3) 0x100000.  4-byte entries. */
static void mk_ia32(struct image *im)
{
	image_new(im, "ia32.img", 0x100000, 2);
	/* PD at 0x100000 */
	put(im, 0x100000 + 0 * 4, 4, 0x00101027u);   /* [0] -> PT 0x101000, P RW US A */
	put(im, 0x100000 + 1 * 4, 4, 0x008000e7u);   /* [1] 4M page at PA 0x800000, P RW US A D PS */
	put(im, 0x100000 + 2 * 4, 4, 0x00a000e7u);   /* [2] 4M page with bit 21 set: reserved */
	put(im, 0x100000 + 768 * 4, 4, 0x000001e3u); /* [768] 4M at PA 0 for VA 0xc0000000, P RW A D PS G */
	/* PT at 0x101000 (VA 0 - 4M); [0] stays 0 */
	put(im, 0x101000 + 1 * 4, 4, 0x00003067u);   /* [1] 4K at PA 0x3000, P RW US A D */
	put(im, 0x101000 + 2 * 4, 4, 0x00004025u);   /* [2] 4K at PA 0x4000, P US A: read-only */
}

/* AArch64, 4 KiB granule, 48-bit VA (T0SZ=16: walk starts at L0), TTBR0.
 * Image at 0x40000000 (QEMU virt RAM), root (TTBR0_EL1) 0x40000000.
 * Bits: [1:0] 11 table/page, 01 block; AttrIndx [4:2]; AP[2:1] [7:6];
 * SH [9:8]; AF 10; PXN 53; UXN 54. */
static void mk_aarch64(struct image *im)
{
	image_new(im, "aarch64.img", 0x40000000, 4);
	/* L0 at 0x40000000 */
	put(im, 0x40000000 + 0 * 8, 8, 0x0000000040001003ull); /* [0] -> L1 0x40001000 */
	/* L1 at 0x40001000 */
	put(im, 0x40001000 + 0 * 8, 8, 0x0000000040002003ull); /* [0] -> L2 0x40002000 */
	/* [1] 1G block at PA 0xc0000000: AttrIndx 1, AP 00 (EL1 RW only), SH 3, AF, UXN */
	put(im, 0x40001000 + 1 * 8, 8, 0x00400000c0000705ull);
	/* L2 at 0x40002000 */
	put(im, 0x40002000 + 0 * 8, 8, 0x0000000040003003ull); /* [0] -> L3 0x40003000 */
	/* [1] 2M block at PA 0x40200000: AttrIndx 0, AP 01 (EL0+EL1 RW), SH 3, AF, PXN, UXN */
	put(im, 0x40002000 + 1 * 8, 8, 0x0060000040200741ull);
	/* L3 at 0x40003000; [0] stays 0 */
	/* [1] page at PA 0x40010000: AP 11 (read-only at EL0 and EL1), SH 3, AF, PXN */
	put(im, 0x40003000 + 1 * 8, 8, 0x00200000400107c3ull);
	/* [2] page at PA 0x40011000: AP 01, SH 3, AF=0 (access flag fault), PXN, UXN */
	put(im, 0x40003000 + 2 * 8, 8, 0x0060000040011343ull);
	/* [3] bits[1:0] = 01 at L3: reserved encoding (translation fault) */
	put(im, 0x40003000 + 3 * 8, 8, 0x0000000040012001ull);
}

/* RISC-V Sv39 as xv6 leaves it for its first process, the 6.S081 2020
 * pgtbl lab example decoded in hw-formats.md 5.2 (lecture seed): root
 * 0x87f67000.  PTE = (PA >> 12) << 10 | flags, flags V=1 R=2 W=4 X=8 U=0x10.
 * Image 0x87f60000-0x87f67fff; the trampoline page (PA 0x80007000) is a
 * second image; the trapframe (PA 0x87f76000) is in neither. */
static void mk_sv39(struct image *im, struct image *tramp)
{
	image_new(im, "sv39.img", 0x87f60000, 8);
	put(im, 0x87f67000 + 0 * 8, 8, 0x21fd8c01ull);   /* root[0] -> 0x87f63000 */
	put(im, 0x87f63000 + 0 * 8, 8, 0x21fd8801ull);   /*  [0] -> 0x87f62000 */
	put(im, 0x87f62000 + 0 * 8, 8, 0x21fd901full);   /*   [0] VA 0x0    -> 0x87f64000 V R W X U */
	put(im, 0x87f62000 + 1 * 8, 8, 0x21fd840full);   /*   [1] VA 0x1000 -> 0x87f61000 V R W X (guard) */
	put(im, 0x87f62000 + 2 * 8, 8, 0x21fd801full);   /*   [2] VA 0x2000 -> 0x87f60000 V R W X U (stack) */
	put(im, 0x87f67000 + 255 * 8, 8, 0x21fd9801ull); /* root[255] -> 0x87f66000 */
	put(im, 0x87f66000 + 511 * 8, 8, 0x21fd9401ull); /*  [511] -> 0x87f65000 */
	put(im, 0x87f65000 + 510 * 8, 8, 0x21fdd807ull); /*   [510] TRAPFRAME -> 0x87f76000 V R W */
	put(im, 0x87f65000 + 511 * 8, 8, 0x20001c0bull); /*   [511] TRAMPOLINE -> 0x80007000 V R X */

	image_new(tramp, "sv39-trampoline.img", 0x80007000, 1);
	put_text(tramp, 0x80007000, "pgsim example image: the xv6 trampoline page\n");
}

/* The official 2020 grader example (hw-formats.md 5.1): root 0x87f6e000,
 * same shape as above with the PAs of that run.  Image 0x87f69000-0x87f6efff;
 * it shares the trampoline image. */
static void mk_sv39_lab(struct image *im)
{
	image_new(im, "sv39-lab2020.img", 0x87f69000, 6);
	put(im, 0x87f6e000 + 0 * 8, 8, 0x21fda801ull);   /* root[0] -> 0x87f6a000 */
	put(im, 0x87f6a000 + 0 * 8, 8, 0x21fda401ull);   /*  [0] -> 0x87f69000 */
	put(im, 0x87f69000 + 0 * 8, 8, 0x21fdac1full);   /*   [0] -> 0x87f6b000 V R W X U */
	put(im, 0x87f69000 + 1 * 8, 8, 0x21fda00full);   /*   [1] -> 0x87f68000 V R W X */
	put(im, 0x87f69000 + 2 * 8, 8, 0x21fd9c1full);   /*   [2] -> 0x87f67000 V R W X U */
	put(im, 0x87f6e000 + 255 * 8, 8, 0x21fdb401ull); /* root[255] -> 0x87f6d000 */
	put(im, 0x87f6d000 + 511 * 8, 8, 0x21fdb001ull); /*  [511] -> 0x87f6c000 */
	put(im, 0x87f6c000 + 510 * 8, 8, 0x21fdd807ull); /*   [510] -> 0x87f76000 V R W */
	put(im, 0x87f6c000 + 511 * 8, 8, 0x20001c0bull); /*   [511] -> 0x80007000 V R X */
}

int main(int argc, char **argv)
{
	struct image ims[6];
	unsigned n = 0;
	int rc = 0;

	if (argc != 2 || argv[1][0] == '-') {
		fprintf(stderr, "usage: mkdumps OUTDIR\n"
			"Writes the example page-table images described in tests/data/README.md.\n");
		return 2;
	}
	mk_x86_64(&ims[n++]);
	mk_ia32(&ims[n++]);
	mk_aarch64(&ims[n++]);
	mk_sv39(&ims[n], &ims[n + 1]);
	n += 2;
	mk_sv39_lab(&ims[n++]);
	for (unsigned i = 0; i < n; i++)
		if (image_write(&ims[i], argv[1]) != 0)
			rc = 1;
	return rc;
}
