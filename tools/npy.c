#include "npy.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NPY_MAGIC "\x93NUMPY"
#define MAX_HEADER 65536

static const struct {
    char kind;
    int size;
    ferry_dtype dtype;
} npy_types[] = {
    { 'f', 2, FERRY_DT_HALF }, { 'f', 4, FERRY_DT_FLOAT }, { 'f', 8, FERRY_DT_DOUBLE },
    { 'i', 1, FERRY_DT_INT8 }, { 'i', 2, FERRY_DT_INT16 }, { 'i', 4, FERRY_DT_INT32 },
    { 'i', 8, FERRY_DT_INT64 }, { 'u', 1, FERRY_DT_UINT8 }, { 'u', 2, FERRY_DT_UINT16 },
    { 'u', 4, FERRY_DT_UINT32 }, { 'u', 8, FERRY_DT_UINT64 }, { 'b', 1, FERRY_DT_BOOL },
    { 'c', 8, FERRY_DT_COMPLEX64 }, { 'c', 16, FERRY_DT_COMPLEX128 },
};

#define NPY_TYPE_COUNT (sizeof(npy_types) / sizeof(npy_types[0]))

static int fail(char *msg, size_t n, const char *path, const char *why)
{
    snprintf(msg, n, "%s: %s", path, why);
    return 1;
}

/* Finds the value text after 'key': in the header dict. */
static const char *dict_value(const char *header, const char *key)
{
    char quoted[32];
    snprintf(quoted, sizeof(quoted), "'%s'", key);
    const char *p = strstr(header, quoted);
    if (!p)
        return NULL;
    p = strchr(p + strlen(quoted), ':');
    if (!p)
        return NULL;
    p++;
    while (*p == ' ')
        p++;
    return p;
}

static int host_little(void)
{
    const unsigned short one = 1;
    return *(const unsigned char *)&one == 1;
}

static void swap_bytes(unsigned char *p, size_t nbytes, size_t width)
{
    for (size_t i = 0; i + width <= nbytes; i += width)
        for (size_t a = 0, z = width - 1; a < z; a++, z--) {
            unsigned char t = p[i + a];
            p[i + a] = p[i + z];
            p[i + z] = t;
        }
}

int npy_read(ferry_tensor **out, const char *path, char *msg, size_t msg_size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return fail(msg, msg_size, path, "cannot open");
    unsigned char pre[12];
    char *header = NULL;
    ferry_tensor *t = NULL;
    int rc = 1;
    if (fread(pre, 1, 8, f) != 8 || memcmp(pre, NPY_MAGIC, 6) != 0) {
        fail(msg, msg_size, path, "not a .npy file");
        goto done;
    }
    size_t hlen;
    if (pre[6] == 1) {
        if (fread(pre + 8, 1, 2, f) != 2)
            goto truncated;
        hlen = (size_t)pre[8] | (size_t)pre[9] << 8;
    } else if (pre[6] == 2 || pre[6] == 3) {
        if (fread(pre + 8, 1, 4, f) != 4)
            goto truncated;
        hlen = (size_t)pre[8] | (size_t)pre[9] << 8 | (size_t)pre[10] << 16 | (size_t)pre[11] << 24;
    } else {
        fail(msg, msg_size, path, "unknown .npy format version");
        goto done;
    }
    if (hlen > MAX_HEADER) {
        fail(msg, msg_size, path, ".npy header is too large");
        goto done;
    }
    header = malloc(hlen + 1);
    if (!header || fread(header, 1, hlen, f) != hlen)
        goto truncated;
    header[hlen] = '\0';
    /* A NUL inside the header would end every string search early. */
    if (strlen(header) != hlen) {
        fail(msg, msg_size, path, "malformed .npy header");
        goto done;
    }

    const char *descr = dict_value(header, "descr");
    const char *fortran = dict_value(header, "fortran_order");
    const char *shape = dict_value(header, "shape");
    if (!descr || !fortran || !shape || descr[0] != '\'' || !descr[1] || !descr[2] || shape[0] != '(') {
        fail(msg, msg_size, path, "malformed .npy header");
        goto done;
    }
    if (strncmp(fortran, "False", 5) != 0) {
        fail(msg, msg_size, path, "Fortran-order arrays are not supported");
        goto done;
    }
    char order = descr[1], kind = descr[2];
    int size = atoi(descr + 3);
    ferry_dtype dtype = FERRY_DT_INVALID;
    for (size_t i = 0; i < NPY_TYPE_COUNT; i++)
        if (npy_types[i].kind == kind && npy_types[i].size == size)
            dtype = npy_types[i].dtype;
    if (dtype == FERRY_DT_INVALID || (order != '<' && order != '>' && order != '|' && order != '=')) {
        snprintf(msg, msg_size, "%s: array dtype %.8s is not supported (object and string arrays are refused)",
                 path, descr);
        goto done;
    }
    int64_t dims[FERRY_MAX_RANK];
    int rank = 0;
    /* A Python tuple, as numpy writes it: "()", "(3,)", "(2, 3)"; dims
     * separated by commas and the tuple closed. */
    const char *p = shape + 1;
    for (;;) {
        while (*p == ' ')
            p++;
        if (*p == ')')
            break;
        char *end;
        long long d = (*p >= '0' && *p <= '9') ? strtoll(p, &end, 10) : -1;
        if (d < 0 || rank == FERRY_MAX_RANK) {
            fail(msg, msg_size, path, "malformed shape in .npy header");
            goto done;
        }
        dims[rank++] = d;
        p = end;
        while (*p == ' ')
            p++;
        if (*p == ',')
            p++;
        else if (*p != ')') {
            fail(msg, msg_size, path, "malformed shape in .npy header");
            goto done;
        }
    }
    /* Check the shape against the bytes actually present before allocating,
       so a forged header cannot ask for terabytes. */
    uint64_t want = (uint64_t)size;
    for (int i = 0; i < rank; i++)
        if (dims[i] != 0 && want > UINT64_MAX / (uint64_t)dims[i])
            want = UINT64_MAX;
        else
            want *= (uint64_t)dims[i];
    long here = ftell(f);
    if (here < 0 || fseek(f, 0, SEEK_END) != 0)
        goto truncated;
    long end_pos = ftell(f);
    if (end_pos < here || (uint64_t)(end_pos - here) < want || fseek(f, here, SEEK_SET) != 0)
        goto truncated;
    if (ferry_tensor_new(&t, dtype, dims, rank, NULL) != FERRY_OK) {
        fail(msg, msg_size, path, "array is too large");
        goto done;
    }
    size_t n = ferry_tensor_byte_size(t);
    unsigned char *data = ferry_tensor_data(t);
    if (fread(data, 1, n, f) != n)
        goto truncated;
    int file_little = order == '<' || ((order == '|' || order == '=') && host_little());
    if (size > 1 && file_little != host_little())
        swap_bytes(data, n, kind == 'c' ? (size_t)size / 2 : (size_t)size);
    *out = t;
    t = NULL;
    rc = 0;
    goto done;
truncated:
    fail(msg, msg_size, path, "file is truncated");
done:
    ferry_tensor_free(t);
    free(header);
    fclose(f);
    return rc;
}

int npy_write(ferry_tensor *t, const char *path, char *msg, size_t msg_size)
{
    ferry_dtype dtype = ferry_tensor_dtype(t);
    char descr[8] = "";
    for (size_t i = 0; i < NPY_TYPE_COUNT; i++)
        if (npy_types[i].dtype == dtype)
            snprintf(descr, sizeof(descr), "%c%c%d", npy_types[i].size == 1 ? '|' : (host_little() ? '<' : '>'),
                     npy_types[i].kind, npy_types[i].size);
    if (dtype == FERRY_DT_BFLOAT16)
        snprintf(descr, sizeof(descr), "%cu2", host_little() ? '<' : '>');
    if (!descr[0]) {
        snprintf(msg, msg_size, "%s: cannot write a %s tensor as .npy", path, ferry_dtype_name(dtype));
        return 1;
    }
    char dict[512];
    int len = snprintf(dict, sizeof(dict), "{'descr': '%s', 'fortran_order': False, 'shape': (", descr);
    int rank = ferry_tensor_rank(t);
    const int64_t *dims = ferry_tensor_dims(t);
    for (int i = 0; i < rank && len < (int)sizeof(dict) - 64; i++)
        len += snprintf(dict + len, sizeof(dict) - (size_t)len, "%lld,%s", (long long)dims[i],
                        (rank > 1 && i + 1 < rank) ? " " : "");
    if (rank > 1)
        len--; /* numpy writes (2, 3) but (3,) */
    len += snprintf(dict + len, sizeof(dict) - (size_t)len, "), }");
    /* Pad with spaces so the data starts 64-byte aligned, header ending in newline. */
    size_t total = 10 + (size_t)len + 1;
    size_t pad = (64 - total % 64) % 64;
    FILE *f = fopen(path, "wb");
    if (!f) {
        snprintf(msg, msg_size, "%s: cannot create file: %s", path, strerror(errno));
        return 1;
    }
    unsigned short hl = (unsigned short)((size_t)len + pad + 1);
    unsigned char pre[10] = { 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (unsigned char)(hl & 0xff),
                              (unsigned char)(hl >> 8) };
    int bad = fwrite(pre, 1, 10, f) != 10 || fwrite(dict, 1, (size_t)len, f) != (size_t)len;
    for (size_t i = 0; i < pad && !bad; i++)
        bad = fputc(' ', f) == EOF;
    bad = bad || fputc('\n', f) == EOF;
    size_t n = ferry_tensor_byte_size(t);
    bad = bad || fwrite(ferry_tensor_data(t), 1, n, f) != n;
    bad |= fclose(f) != 0;
    if (bad) {
        snprintf(msg, msg_size, "%s: write failed", path);
        return 1;
    }
    return 0;
}
