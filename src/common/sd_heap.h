/* sd_heap: the heap set up for a run that allocates and frees by the
 * million and keeps ~100 MB in use (extract). */
#ifndef SD_HEAP_H
#define SD_HEAP_H

/* Grows the heap once, asks for transparent huge pages over it, and keeps
 * big blocks in it; nothing where the C library is not glibc. */
void sd_heap_setup(void);

#endif
