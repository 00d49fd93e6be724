/* Large tensor buffers kept for reuse. A run allocates and frees the same
 * big intermediates every call; fresh memory from the system costs a page
 * fault and a zeroed page per 4 KiB, which on convolution networks took more
 * time than the arithmetic. Freed buffers of 64 KiB and up are kept in size
 * classes (at most 1/8 apart) and handed out again, to any thread; a request
 * may take a kept buffer up to twice its size. The pool keeps at most twice
 * the most bytes ever in use at once: less left runs whose many distinct
 * sizes outnumbered the kept buffers faulting pages in every call
 * (docs/performance.md has the measurement). */
#ifndef FERRY_BASE_BUFPOOL_H
#define FERRY_BASE_BUFPOOL_H

#include <stddef.h>

/* `size` bytes (at least 1), zero-filled when `zero`; NULL when out of memory.
 * Aligned as malloc's. Small sizes come straight from malloc. */
void *fy_buf_alloc(size_t size, int zero);

/* Like fy_buf_alloc, but the buffer goes back to the system when freed,
 * never into the pool: for memory a caller will not ask for again. */
void *fy_buf_alloc_direct(size_t size, int zero);

/* Frees a buffer from fy_buf_alloc or fy_buf_alloc_direct (NULL is ignored). */
void fy_buf_free(void *p);

/* Gives every kept buffer back to the system. */
void fy_buf_trim(void);

#endif
