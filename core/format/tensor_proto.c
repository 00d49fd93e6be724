#include "format/tensor_proto.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/coding.h"
#include "base/dtype.h"
#include "base/error.h"
#include "base/tensor.h"

ferry_status fy_shape_proto_check(const Tensorflow__TensorShapeProto *p, const char *what, ferry_error **err)
{
    if (!p || p->unknown_rank)
        return FERRY_OK;
    int64_t product = 1;
    for (size_t i = 0; i < p->n_dim; i++) {
        int64_t d = p->dim[i]->size;
        if (d < -1)
            return fy_fail(err, FERRY_ERR_CORRUPT, "%s: dim %zu has size %lld", what, i, (long long)d);
        /* Zeros left out: a zero does not excuse huge dims beside it. */
        if (d > 0 && product > INT64_MAX / d)
            return fy_fail(err, FERRY_ERR_CORRUPT, "%s: a shape of %zu dims whose sizes multiply to more than "
                           "2^63 - 1 (dim %zu is %lld)", what, p->n_dim, i, (long long)d);
        if (d > 0)
            product *= d;
    }
    return FERRY_OK;
}

ferry_status fy_shape_from_proto(int *rank, int64_t *dims, const Tensorflow__TensorShapeProto *p,
                                 const char *what, ferry_error **err)
{
    ferry_status st = fy_shape_proto_check(p, what, err);
    if (st)
        return st;
    if (!p) {
        *rank = 0;
        return FERRY_OK;
    }
    if (p->unknown_rank) {
        *rank = -1;
        return FERRY_OK;
    }
    if (p->n_dim > FERRY_MAX_RANK)
        return fy_fail(err, FERRY_ERR_UNSUPPORTED, "%s: rank %zu is above Ferry's limit of %d", what,
                       p->n_dim, FERRY_MAX_RANK);
    for (size_t i = 0; i < p->n_dim; i++)
        dims[i] = p->dim[i]->size;
    *rank = (int)p->n_dim;
    return FERRY_OK;
}

/* Number of values the typed field for `dtype` holds (complex: pairs). */
static size_t typed_count(const Tensorflow__TensorProto *p, ferry_dtype dtype)
{
    switch (dtype) {
    case FERRY_DT_FLOAT: return p->n_float_val;
    case FERRY_DT_DOUBLE: return p->n_double_val;
    case FERRY_DT_INT32: case FERRY_DT_INT16: case FERRY_DT_INT8: case FERRY_DT_UINT8:
    case FERRY_DT_UINT16: case FERRY_DT_QINT8: case FERRY_DT_QUINT8: case FERRY_DT_QINT16:
    case FERRY_DT_QUINT16: case FERRY_DT_QINT32: return p->n_int_val;
    case FERRY_DT_INT64: return p->n_int64_val;
    case FERRY_DT_UINT32: return p->n_uint32_val;
    case FERRY_DT_UINT64: return p->n_uint64_val;
    case FERRY_DT_BOOL: return p->n_bool_val;
    case FERRY_DT_STRING: return p->n_string_val;
    case FERRY_DT_HALF: case FERRY_DT_BFLOAT16: return p->n_half_val;
    case FERRY_DT_COMPLEX64: return p->n_scomplex_val / 2;
    case FERRY_DT_COMPLEX128: return p->n_dcomplex_val / 2;
    default: return 0;
    }
}

/* Stores typed value i of the proto as element bytes at dst. */
static void put_typed(unsigned char *dst, const Tensorflow__TensorProto *p, ferry_dtype dtype, size_t i)
{
    switch (dtype) {
    case FERRY_DT_FLOAT: memcpy(dst, &p->float_val[i], 4); break;
    case FERRY_DT_DOUBLE: memcpy(dst, &p->double_val[i], 8); break;
    case FERRY_DT_INT32: case FERRY_DT_QINT32: memcpy(dst, &p->int_val[i], 4); break;
    case FERRY_DT_INT16: case FERRY_DT_UINT16: case FERRY_DT_QINT16: case FERRY_DT_QUINT16: {
        uint16_t v = (uint16_t)p->int_val[i];
        memcpy(dst, &v, 2);
        break;
    }
    case FERRY_DT_INT8: case FERRY_DT_UINT8: case FERRY_DT_QINT8: case FERRY_DT_QUINT8:
        *dst = (unsigned char)p->int_val[i];
        break;
    case FERRY_DT_INT64: memcpy(dst, &p->int64_val[i], 8); break;
    case FERRY_DT_UINT32: memcpy(dst, &p->uint32_val[i], 4); break;
    case FERRY_DT_UINT64: memcpy(dst, &p->uint64_val[i], 8); break;
    case FERRY_DT_BOOL: *dst = p->bool_val[i] ? 1 : 0; break;
    case FERRY_DT_HALF: case FERRY_DT_BFLOAT16: {
        uint16_t v = (uint16_t)p->half_val[i];
        memcpy(dst, &v, 2);
        break;
    }
    case FERRY_DT_COMPLEX64: memcpy(dst, &p->scomplex_val[2 * i], 8); break;
    case FERRY_DT_COMPLEX128: memcpy(dst, &p->dcomplex_val[2 * i], 16); break;
    default: break;
    }
}

static ferry_status decode_content_strings(ferry_tensor *t, const ProtobufCBinaryData *c,
                                           const char *what, ferry_error **err)
{
    const unsigned char *p = c->data, *end = c->data + c->len;
    const unsigned char *bytes = p;
    uint64_t total = 0, len;
    /* First pass: the lengths, to find where the bytes start. */
    for (int64_t i = 0; i < t->count; i++) {
        if (!fy_get_varint(&bytes, end, 5, &len))
            return fy_fail(err, FERRY_ERR_CORRUPT, "%s: bad string length in tensor_content", what);
        total += len;
    }
    if (total != (uint64_t)(end - bytes))
        return fy_fail(err, FERRY_ERR_CORRUPT, "%s: string lengths do not match tensor_content", what);
    for (int64_t i = 0; i < t->count; i++) {
        fy_get_varint(&p, end, 5, &len);
        ferry_status st = fy_tensor_set_string(t, i, bytes, (size_t)len, err);
        if (st)
            return st;
        bytes += len;
    }
    return FERRY_OK;
}

ferry_status fy_tensor_from_proto_as(ferry_tensor **out, const Tensorflow__TensorProto *p,
                                     ferry_dtype dtype, const int64_t *dims, int rank,
                                     const char *what, ferry_error **err)
{
    if (dtype != FERRY_DT_STRING && !fy_dtype_is_fixed(dtype))
        return fy_fail(err, FERRY_ERR_UNSUPPORTED, "%s: tensors of dtype %s (%d) are not supported",
                       what, ferry_dtype_name(dtype), (int)dtype);
    size_t elem = dtype == FERRY_DT_STRING ? sizeof(ferry_string) : ferry_dtype_size(dtype);
    int64_t count = fy_shape_count(dims, rank, elem);
    if (count < 0)
        return fy_fail(err, FERRY_ERR_CORRUPT, "%s: invalid shape or element count overflow", what);
    size_t have = p->tensor_content.len > 0 ? 0 : typed_count(p, dtype);
    if (p->tensor_content.len == 0 && (size_t)count > have && (size_t)count * elem > FY_MAX_FILLED_BYTES)
        return fy_fail(err, FERRY_ERR_UNSUPPORTED,
                       "%s: constant of %lld elements written with %zu values is too large to expand",
                       what, (long long)count, have);
    if (p->tensor_content.len > 0 && dtype != FERRY_DT_STRING &&
        p->tensor_content.len != (size_t)count * elem)
        return fy_fail(err, FERRY_ERR_CORRUPT, "%s: tensor_content has %zu bytes, shape needs %zu",
                       what, p->tensor_content.len, (size_t)count * elem);
    ferry_tensor *t = NULL;
    ferry_status st = fy_tensor_new(&t, dtype, dims, rank, err);
    if (st)
        return st;
    if (count == 0) {
        /* nothing to fill */
    } else if (p->tensor_content.len > 0) {
        if (dtype == FERRY_DT_STRING)
            st = decode_content_strings(t, &p->tensor_content, what, err);
        else
            memcpy(t->data, p->tensor_content.data, t->nbytes);
    } else if (have > 0) {
        for (int64_t i = 0; !st && i < count; i++) {
            size_t src = (size_t)i < have ? (size_t)i : have - 1;
            if (dtype == FERRY_DT_STRING)
                st = fy_tensor_set_string(t, i, p->string_val[src].data, p->string_val[src].len, err);
            else
                put_typed((unsigned char *)t->data + (size_t)i * elem, p, dtype, src);
        }
    }
    if (st) {
        ferry_tensor_free(t);
        return st;
    }
    *out = t;
    return FERRY_OK;
}

ferry_status fy_tensor_from_proto(ferry_tensor **out, const Tensorflow__TensorProto *p,
                                  const char *what, ferry_error **err)
{
    int rank = 0;
    int64_t dims[FERRY_MAX_RANK];
    ferry_status st = fy_shape_from_proto(&rank, dims, p->tensor_shape, what, err);
    if (st)
        return st;
    if (rank < 0)
        return fy_fail(err, FERRY_ERR_CORRUPT, "%s: tensor has unknown rank", what);
    for (int i = 0; i < rank; i++)
        if (dims[i] < 0)
            return fy_fail(err, FERRY_ERR_CORRUPT, "%s: tensor has an unknown dim", what);
    return fy_tensor_from_proto_as(out, p, (ferry_dtype)fy_dtype_base((int)p->dtype), dims, rank,
                                   what, err);
}
