/* Recurrent cells run as one kernel (see cells.c). */
#ifndef FERRY_RUNTIME_CELLS_H
#define FERRY_RUNTIME_CELLS_H

#include "runtime/runtime.h"

/* Finds Keras LSTM cells in a function's graph (imported, not yet planned)
 * and rewrites each into one _FerryLSTMCell node. `results` is the number
 * of the function's results ("__call:i"), which count as readers. */
ferry_status fy_cells_fuse(fy_runtime *rt, int results, ferry_error **err);

#endif
