/* sd_heap: the heap set up for allocation-heavy runs (see sd_heap.h). */
#include "sd_heap.h"

#include "sd_common.h"

#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

/* Extraction allocates and frees memory by the million (the reassembler's
 * per-stream history and segments, the sink's file blocks) and keeps
 * ~100 MB in use; on a virtual machine a page fault costs microseconds, so
 * first touching every 4 KiB page was a fifth of the run time. The heap is
 * grown once by HEAP_PAD, asked to use transparent huge pages (one fault per
 * 2 MiB where the kernel allows it; nothing happens where it does not), and
 * never trimmed; big blocks come from the heap too instead of mmap. */
#define HEAP_PAD ((size_t)256 << 20)
void sd_heap_setup(void)
{
#ifdef __GLIBC__
    mallopt(M_MMAP_THRESHOLD, 4 << 20);
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
    mallopt(M_TOP_PAD, (int)HEAP_PAD);
    uintptr_t lo = (uintptr_t)sbrk(0);
    free(sd_malloc(1 << 20)); /* the heap grows by 1 MiB + HEAP_PAD */
    uintptr_t hi = (uintptr_t)sbrk(0);
    const uintptr_t huge = (uintptr_t)2 << 20;
    lo = (lo + huge - 1) & ~(huge - 1);
    hi &= ~(huge - 1);
    if (lo != (uintptr_t)-1 && hi > lo)
        (void)madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
#endif
}
