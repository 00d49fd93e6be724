#include "format/proto_depth.h"

#include "base/error.h"

/* Reads a varint at *p (before end); 0 when it is cut off or too long. */
static int read_varint(const uint8_t **p, const uint8_t *end, uint64_t *out)
{
    uint64_t v = 0;
    for (int shift = 0; shift < 64 && *p < end; shift += 7) {
        uint8_t b = *(*p)++;
        v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) {
            *out = v;
            return 1;
        }
    }
    return 0;
}

/* The deepest nesting below the message in [p, end), counting it as
 * `depth`; stops as soon as the limit is passed. */
static int deepest(const ProtobufCMessageDescriptor *desc, const uint8_t *p, const uint8_t *end, int depth)
{
    int worst = depth;
    while (p < end && worst <= FY_PROTO_MAX_DEPTH) {
        uint64_t key, n;
        if (!read_varint(&p, end, &key))
            break;
        switch (key & 7) {
        case 0: /* varint */
            if (!read_varint(&p, end, &n))
                return worst;
            break;
        case 1: /* 64-bit */
            if (end - p < 8)
                return worst;
            p += 8;
            break;
        case 5: /* 32-bit */
            if (end - p < 4)
                return worst;
            p += 4;
            break;
        case 2: { /* length-delimited: a submessage when the schema says so */
            if (!read_varint(&p, end, &n) || n > (uint64_t)(end - p))
                return worst;
            uint64_t number = key >> 3;
            const ProtobufCFieldDescriptor *f =
                number <= UINT32_MAX ? protobuf_c_message_descriptor_get_field(desc, (unsigned)number) : NULL;
            if (f && f->type == PROTOBUF_C_TYPE_MESSAGE) {
                int d = deepest(f->descriptor, p, p + n, depth + 1);
                if (d > worst)
                    worst = d;
            }
            p += n;
            break;
        }
        default: /* groups, or not wire format: protobuf-c refuses these */
            return worst;
        }
    }
    return worst;
}

ferry_status fy_proto_check_depth(const ProtobufCMessageDescriptor *desc, const uint8_t *data, size_t len,
                                  const char *what, ferry_error **err)
{
    if (len && deepest(desc, data, data + len, 1) > FY_PROTO_MAX_DEPTH)
        return fy_fail(err, FERRY_ERR_CORRUPT, "%s: %s nests messages deeper than %d levels", what, desc->name,
                       FY_PROTO_MAX_DEPTH);
    return FERRY_OK;
}
