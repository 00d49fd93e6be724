/* A model's memory limit: bytes its runs' tensors hold at once, counted
 * across threads. Tensors charged to a budget give their bytes back when
 * freed (base/tensor.c), or when handed to the caller. */
#ifndef FERRY_BASE_BUDGET_H
#define FERRY_BASE_BUDGET_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

typedef struct fy_budget {
    _Atomic int64_t used;
    int64_t limit;             /* > 0 */
} fy_budget;

/* Takes `bytes` from the budget; 0 (nothing taken) when that would pass the limit. */
int fy_budget_take(fy_budget *b, size_t bytes);

void fy_budget_give(fy_budget *b, size_t bytes);

#endif
