#include "base/budget.h"

int fy_budget_take(fy_budget *b, size_t bytes)
{
    if (bytes > (size_t)b->limit)
        return 0;
    int64_t want = (int64_t)bytes;
    int64_t used = atomic_load_explicit(&b->used, memory_order_relaxed);
    do {
        if (used > b->limit - want)
            return 0;
    } while (!atomic_compare_exchange_weak_explicit(&b->used, &used, used + want, memory_order_relaxed,
                                                    memory_order_relaxed));
    return 1;
}

void fy_budget_give(fy_budget *b, size_t bytes)
{
    atomic_fetch_sub_explicit(&b->used, (int64_t)bytes, memory_order_relaxed);
}
