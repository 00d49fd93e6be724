/* Decoding TensorProto values (graph constants, V1 checkpoint slices). */
#ifndef FERRY_FORMAT_TENSOR_PROTO_H
#define FERRY_FORMAT_TENSOR_PROTO_H

#include <ferry/ferry.h>

#include "tensor.pb-c.h"

/* A constant written with fewer values than elements is filled by repeating
 * its last value; beyond this many bytes such a fill is refused, so a tiny
 * file cannot demand a huge allocation. */
#define FY_MAX_FILLED_BYTES ((size_t)1 << 30)

/* Decodes a TensorProto using its own dtype and shape. `what` names it in errors. */
ferry_status fy_tensor_from_proto(ferry_tensor **out, const Tensorflow__TensorProto *p,
                                  const char *what, ferry_error **err);

/* Decodes the values of `p` as a tensor of the given dtype and shape (V1
 * checkpoint slices carry values only). */
ferry_status fy_tensor_from_proto_as(ferry_tensor **out, const Tensorflow__TensorProto *p,
                                     ferry_dtype dtype, const int64_t *dims, int rank,
                                     const char *what, ferry_error **err);

/* FERRY_ERR_CORRUPT naming `what` unless every dim is -1 (unknown) or more
 * and the known sizes multiply to at most 2^63 - 1, zeros left out: as
 * TensorFlow, [2^62, 2^62, 0] is refused although it has no elements. */
ferry_status fy_shape_proto_check(const Tensorflow__TensorShapeProto *p, const char *what, ferry_error **err);

/* Reads a TensorShapeProto (checked as fy_shape_proto_check); rank -1 for
 * unknown rank, -1 dims for unknown sizes. */
ferry_status fy_shape_from_proto(int *rank, int64_t *dims, const Tensorflow__TensorShapeProto *p,
                                 const char *what, ferry_error **err);

#endif
