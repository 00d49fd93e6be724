#include "fixture.h"

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "npy.h"

char *fixture_read_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf) {
        buf[n] = '\0';
        if (size)
            *size = (size_t)n;
    }
    return buf;
}

cJSON *fixture_manifest(const char *case_dir)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/manifest.json", case_dir);
    char *text = fixture_read_file(path, NULL);
    if (!text)
        return NULL;
    cJSON *j = cJSON_Parse(text);
    if (!j)
        fprintf(stderr, "%s: does not parse as JSON\n", path);
    free(text);
    return j;
}

ferry_dtype fixture_dtype(const char *name)
{
    static const struct {
        const char *name;
        ferry_dtype dtype;
    } names[] = {
        { "float32", FERRY_DT_FLOAT }, { "float64", FERRY_DT_DOUBLE }, { "float16", FERRY_DT_HALF },
        { "half", FERRY_DT_HALF }, { "bfloat16", FERRY_DT_BFLOAT16 }, { "int8", FERRY_DT_INT8 },
        { "int16", FERRY_DT_INT16 }, { "int32", FERRY_DT_INT32 }, { "int64", FERRY_DT_INT64 },
        { "uint8", FERRY_DT_UINT8 }, { "uint16", FERRY_DT_UINT16 }, { "uint32", FERRY_DT_UINT32 },
        { "uint64", FERRY_DT_UINT64 }, { "bool", FERRY_DT_BOOL }, { "string", FERRY_DT_STRING },
        { "complex64", FERRY_DT_COMPLEX64 }, { "complex128", FERRY_DT_COMPLEX128 },
        { "qint8", FERRY_DT_QINT8 }, { "quint8", FERRY_DT_QUINT8 }, { "qint16", FERRY_DT_QINT16 },
        { "quint16", FERRY_DT_QUINT16 }, { "qint32", FERRY_DT_QINT32 },
        { "resource", FERRY_DT_RESOURCE }, { "variant", FERRY_DT_VARIANT },
        { "float8_e5m2", FERRY_DT_FLOAT8_E5M2 }, { "float8_e4m3fn", FERRY_DT_FLOAT8_E4M3FN },
        { "float8_e4m3fnuz", FERRY_DT_FLOAT8_E4M3FNUZ }, { "float8_e4m3b11fnuz", FERRY_DT_FLOAT8_E4M3B11FNUZ },
        { "float8_e5m2fnuz", FERRY_DT_FLOAT8_E5M2FNUZ }, { "int4", FERRY_DT_INT4 }, { "uint4", FERRY_DT_UINT4 },
        { "int2", FERRY_DT_INT2 }, { "uint2", FERRY_DT_UINT2 }, { "float4_e2m1fn", FERRY_DT_FLOAT4_E2M1FN },
    };
    /* TF1 reference types ("float32_ref") carry their element type. */
    size_t len = name ? strlen(name) : 0;
    if (len > 4 && !strcmp(name + len - 4, "_ref"))
        len -= 4;
    for (size_t i = 0; name && i < sizeof(names) / sizeof(names[0]); i++)
        if (strlen(names[i].name) == len && !strncmp(names[i].name, name, len))
            return names[i].dtype;
    return FERRY_DT_INVALID;
}

static int b64_value(int c)
{
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+' || c == '-') return 62;
    if (c == '/' || c == '_') return 63;
    return -1;
}

static size_t b64_decode(unsigned char *out, const char *in)
{
    size_t n = 0;
    unsigned acc = 0;
    int bits = 0;
    for (; *in; in++) {
        int v = b64_value((unsigned char)*in);
        if (v < 0)
            continue;
        acc = (acc << 6) | (unsigned)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[n++] = (unsigned char)(acc >> bits);
        }
    }
    return n;
}

static int json_strings(ferry_tensor **out, const char *path, char *msg, size_t msg_size)
{
    char *text = fixture_read_file(path, NULL);
    cJSON *j = text ? cJSON_Parse(text) : NULL;
    free(text);
    cJSON *shape = cJSON_GetObjectItem(j, "shape"), *values = cJSON_GetObjectItem(j, "b64");
    if (!cJSON_IsArray(shape) || !cJSON_IsArray(values)) {
        snprintf(msg, msg_size, "%s: not a string-tensor JSON file", path);
        cJSON_Delete(j);
        return 1;
    }
    int64_t dims[FERRY_MAX_RANK];
    int rank = 0;
    cJSON *d;
    cJSON_ArrayForEach(d, shape) dims[rank++] = (int64_t)d->valuedouble;
    ferry_tensor *t = NULL;
    if (ferry_tensor_new(&t, FERRY_DT_STRING, dims, rank, NULL) != FERRY_OK) {
        snprintf(msg, msg_size, "%s: bad shape", path);
        cJSON_Delete(j);
        return 1;
    }
    int64_t i = 0;
    cJSON *v;
    cJSON_ArrayForEach(v, values)
    {
        const char *s = cJSON_GetStringValue(v);
        unsigned char *buf = malloc(strlen(s ? s : "") + 1);
        size_t n = b64_decode(buf, s ? s : "");
        if (i < ferry_tensor_element_count(t))
            ferry_tensor_set_string(t, i, buf, n, NULL);
        free(buf);
        i++;
    }
    cJSON_Delete(j);
    if (i != ferry_tensor_element_count(t)) {
        snprintf(msg, msg_size, "%s: %lld values for %lld elements", path, (long long)i,
                 (long long)ferry_tensor_element_count(t));
        ferry_tensor_free(t);
        return 1;
    }
    *out = t;
    return 0;
}

int fixture_tensor(ferry_tensor **out, const char *case_dir, const char *file, ferry_dtype dtype,
                   char *msg, size_t msg_size)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", case_dir, file);
    size_t n = strlen(path);
    if (n > 5 && !strcmp(path + n - 5, ".json"))
        return json_strings(out, path, msg, msg_size);
    ferry_tensor *t = NULL;
    if (npy_read(&t, path, msg, msg_size))
        return 1;
    if (dtype != FERRY_DT_INVALID && dtype != ferry_tensor_dtype(t)) {
        if (ferry_dtype_size(dtype) != ferry_dtype_size(ferry_tensor_dtype(t))) {
            snprintf(msg, msg_size, "%s: holds %s, manifest says %s", path,
                     ferry_dtype_name(ferry_tensor_dtype(t)), ferry_dtype_name(dtype));
            ferry_tensor_free(t);
            return 1;
        }
        ferry_tensor *as = NULL;
        ferry_tensor_new(&as, dtype, ferry_tensor_dims(t), ferry_tensor_rank(t), NULL);
        memcpy(ferry_tensor_data(as), ferry_tensor_data(t), ferry_tensor_byte_size(t));
        ferry_tensor_free(t);
        t = as;
    }
    *out = t;
    return 0;
}

static double real_at(ferry_tensor *t, int64_t i)
{
    const void *d = ferry_tensor_data(t);
    switch (ferry_tensor_dtype(t)) {
    case FERRY_DT_FLOAT: return ((const float *)d)[i];
    case FERRY_DT_DOUBLE: return ((const double *)d)[i];
    case FERRY_DT_COMPLEX64: return ((const float *)d)[i];
    case FERRY_DT_COMPLEX128: return ((const double *)d)[i];
    case FERRY_DT_HALF: {
        uint16_t h = ((const uint16_t *)d)[i];
        int e = (h >> 10) & 0x1f, m = h & 0x3ff;
        double v = e == 0 ? ldexp(m, -24) : e == 31 ? (m ? NAN : INFINITY) : ldexp(m | 0x400, e - 25);
        return (h & 0x8000) ? -v : v;
    }
    case FERRY_DT_BFLOAT16: {
        uint32_t bits = (uint32_t)((const uint16_t *)d)[i] << 16;
        float f;
        memcpy(&f, &bits, 4);
        return f;
    }
    default: return 0;
    }
}

int fixture_tensors_match(ferry_tensor *got, ferry_tensor *want, double rtol, double atol,
                          char *msg, size_t msg_size)
{
    ferry_dtype dt = ferry_tensor_dtype(want);
    if (ferry_tensor_dtype(got) != dt) {
        snprintf(msg, msg_size, "dtype %s, expected %s", ferry_dtype_name(ferry_tensor_dtype(got)),
                 ferry_dtype_name(dt));
        return 0;
    }
    int rank = ferry_tensor_rank(want);
    if (ferry_tensor_rank(got) != rank ||
        memcmp(ferry_tensor_dims(got), ferry_tensor_dims(want), (size_t)rank * sizeof(int64_t)) != 0) {
        snprintf(msg, msg_size, "shape differs (rank %d vs %d)", ferry_tensor_rank(got), rank);
        return 0;
    }
    int64_t n = ferry_tensor_element_count(want);
    if (dt == FERRY_DT_STRING) {
        const ferry_string *a = ferry_tensor_strings(got), *b = ferry_tensor_strings(want);
        for (int64_t i = 0; i < n; i++)
            if (a[i].size != b[i].size || memcmp(a[i].data, b[i].data, a[i].size) != 0) {
                snprintf(msg, msg_size, "string element %lld differs", (long long)i);
                return 0;
            }
        return 1;
    }
    int is_float = dt == FERRY_DT_FLOAT || dt == FERRY_DT_DOUBLE || dt == FERRY_DT_HALF ||
                   dt == FERRY_DT_BFLOAT16 || dt == FERRY_DT_COMPLEX64 || dt == FERRY_DT_COMPLEX128;
    if (!is_float || (rtol == 0 && atol == 0)) {
        if (memcmp(ferry_tensor_data(got), ferry_tensor_data(want), ferry_tensor_byte_size(want)) != 0) {
            snprintf(msg, msg_size, "bytes differ");
            return 0;
        }
        return 1;
    }
    int64_t count = (dt == FERRY_DT_COMPLEX64 || dt == FERRY_DT_COMPLEX128) ? 2 * n : n;
    for (int64_t i = 0; i < count; i++) {
        double a = real_at(got, i), b = real_at(want, i);
        if (isnan(a) && isnan(b))
            continue;
        if (!(fabs(a - b) <= atol + rtol * fabs(b)) && a != b) {
            snprintf(msg, msg_size, "element %lld is %.9g, expected %.9g", (long long)i, a, b);
            return 0;
        }
    }
    return 1;
}

void fixture_for_each_case(const char *root, void (*fn)(const char *case_dir, void *ctx), void *ctx)
{
    DIR *d = opendir(root);
    if (!d)
        return;
    char **names = NULL;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        names = realloc(names, (n + 1) * sizeof(char *));
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
            char *t = names[j];
            names[j] = names[j - 1];
            names[j - 1] = t;
        }
    for (size_t i = 0; i < n; i++) {
        char dir[4096], manifest[4200];
        snprintf(dir, sizeof(dir), "%s/%s", root, names[i]);
        snprintf(manifest, sizeof(manifest), "%s/manifest.json", dir);
        FILE *f = fopen(manifest, "r");
        if (f) {
            fclose(f);
            fn(dir, ctx);
        }
        free(names[i]);
    }
    free(names);
}

void fixture_for_each_corpus_case(void (*fn)(const char *case_dir, void *ctx), void *ctx)
{
    struct stat st;
    if (stat(FERRY_CORPUS, &st) != 0 || !S_ISDIR(st.st_mode)) {
        printf("skip: the shared corpus %s is absent, so the cases under tests/corpus do not run\n", FERRY_CORPUS);
        return;
    }
    fixture_for_each_case(FERRY_SOURCE_DIR "/tests/corpus", fn, ctx);
}
