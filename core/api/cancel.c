/* Cancel handles (ferry_cancel): one atomic flag, set once. */
#include <stdatomic.h>
#include <stdlib.h>

#include "api/options.h"
#include "base/error.h"

struct ferry_cancel {
    atomic_int triggered;
};

ferry_status ferry_cancel_new(ferry_cancel **out, ferry_error **err)
{
    FY_API_ENTRY(err);
    if (!out)
        return fy_fail(err, FERRY_ERR_INVALID_ARGUMENT, "ferry_cancel_new: out is NULL");
    ferry_cancel *c = malloc(sizeof(*c));
    if (!c)
        return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    atomic_init(&c->triggered, 0);
    *out = c;
    return FERRY_OK;
}

/* A lock-free atomic store: safe in a signal handler. */
void ferry_cancel_trigger(ferry_cancel *c)
{
    if (c)
        atomic_store(&c->triggered, 1);
}

int ferry_cancel_is_triggered(const ferry_cancel *c)
{
    return c ? atomic_load((atomic_int *)&c->triggered) : 0;
}

void ferry_cancel_free(ferry_cancel *c)
{
    free(c);
}

const atomic_int *fy_cancel_flag(const ferry_cancel *c)
{
    return c ? &c->triggered : NULL;
}
