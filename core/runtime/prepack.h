/* Weights packed when a plan is built (prepack.c). */
#ifndef FERRY_RUNTIME_PREPACK_H
#define FERRY_RUNTIME_PREPACK_H

#include "runtime/runtime.h"

/* Makes the packed form (kernels/packed.h) of every constant or variable
 * that a product in p multiplies by, so that the first run does not. */
void fy_plan_prepack(const fy_plan *p, const fy_runtime *rt);

#endif
