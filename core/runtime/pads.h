/* Zero pads folded into the convolutions they feed (pads.c). */
#ifndef FERRY_RUNTIME_PADS_H
#define FERRY_RUNTIME_PADS_H

#include "runtime/runtime.h"

/* Finds the Pad steps of p whose only reader is a convolution that can take
 * the padding itself, and notes them in p->pads and p->pad_at. Call after
 * the plan's order is final and before its lifetimes. */
ferry_status fy_plan_absorb_pads(fy_plan *p, const fy_runtime *rt, ferry_error **err);

#endif
