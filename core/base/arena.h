/* Memory planned once per prepared plan and feed shapes.
 *
 * A run of a plan makes the same tensors in the same order every time its
 * feeds have the same shapes. The first run with new shapes records each
 * tensor it makes (size, when made, when freed); from that record the arena
 * lays every tensor that dies within the run out in one block, sharing bytes
 * between tensors whose lives do not overlap. Later runs with those shapes
 * take their tensors from the block at the planned offsets, so a steady run
 * asks the system for no tensor memory at all.
 *
 * A run that departs from its record (data-dependent sizes, a different
 * branch, an error) stops following the layout at the first departure and
 * places further tensors first-fit among the block's free bytes, falling back
 * to the buffer pool when none fit. Because the layout is followed only while
 * every make and free so far matched the record, the tensors alive at any
 * time are the recorded ones and never share bytes. A tensor still alive when
 * a run ends (an output, a variable's new value) is moved out of the block. */
#ifndef FERRY_BASE_ARENA_H
#define FERRY_BASE_ARENA_H

#include <stdint.h>

#include <ferry/ferry.h>

typedef struct fy_arena fy_arena;
typedef struct fy_arena_run fy_arena_run;

/* A plan's arena, empty; NULL when out of memory (the plan then runs without). */
fy_arena *fy_arena_new(void);

/* Frees the arena; no run may be using it. */
void fy_arena_free(fy_arena *a);

/* Starts a run whose feed shapes hash to `shapes`; NULL when the arena cannot
 * serve it (out of memory, or a plan that makes too many tensors). Runs may
 * go on at once from many threads; each has its own block. */
fy_arena_run *fy_arena_begin(fy_arena *a, uint64_t shapes);

/* Bytes for tensor t (t->nbytes > 0, a fixed-size dtype), zeroed when
 * `zero`, tracked so that ferry_tensor_free hands them back through
 * fy_arena_give. NULL when out of memory. */
void *fy_arena_take(fy_arena_run *r, ferry_tensor *t, int zero);

/* Releases the bytes of a tensor made by fy_arena_take. */
void fy_arena_give(ferry_tensor *t);

/* Working bytes for one kernel call (not zeroed), tracked like a tensor's;
 * NULL when out of memory. Given back with fy_arena_give_scratch. */
void *fy_arena_take_scratch(fy_arena_run *r, size_t size);
void fy_arena_give_scratch(fy_arena_run *r, void *p);

/* Ends a run: tensors still alive leave the block for ordinary memory, and
 * what the run recorded becomes the layout for its shapes. Fails only when
 * out of memory moving a live tensor out; the block then stays with the
 * arena until it is freed, so the tensor remains valid. */
ferry_status fy_arena_end(fy_arena_run *r, ferry_error **err);

#endif
