/* A bound on how deeply a binary protobuf nests its messages, checked
 * before protobuf-c unpacks it: protobuf-c recurses once per level, so a
 * small hostile file (AttrValue.func, StructuredValue) could otherwise
 * exhaust the stack. */
#ifndef FERRY_FORMAT_PROTO_DEPTH_H
#define FERRY_FORMAT_PROTO_DEPTH_H

#include <stddef.h>
#include <stdint.h>

#include <ferry/ferry.h>
#include <protobuf-c/protobuf-c.h>

/* The limit, as TensorFlow's and our text parser's (textproto.c). */
#define FY_PROTO_MAX_DEPTH 100

/* Walks the wire format of a `desc` message in data[0, len), following the
 * length-delimited fields the schema says are messages. FERRY_ERR_CORRUPT
 * naming `what` when they nest deeper than FY_PROTO_MAX_DEPTH. Bytes that
 * are not valid wire format end the walk quietly: unpacking reports them. */
ferry_status fy_proto_check_depth(const ProtobufCMessageDescriptor *desc, const uint8_t *data, size_t len,
                                  const char *what, ferry_error **err);

#endif
