/* ferry run: run a signature or feed/fetch tensors, like `saved_model_cli run`. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ferry/ferry.h>

#include "commands.h"
#include "npy.h"
#include "values.h"

#define MAX_ARGS 64

typedef struct run_options {
    const char *path, *tag_set, *signature, *outdir;
    char *inputs, *exprs;            /* "NAME=FILE;NAME2=FILE2", "NAME=[..]" */
    const char *feeds[MAX_ARGS], *fetches[MAX_ARGS];
    int feed_count, fetch_count, json, overwrite;
} run_options;

static void usage(FILE *f)
{
    fprintf(f, "usage: ferry run MODEL [--tag_set T] [--signature_def KEY]\n"
               "                 [--inputs 'NAME=FILE.npy;NAME2=FILE2.npy'] [--input_exprs 'NAME=[[1.0,2.0]]']\n"
               "                 [--feed TENSOR=FILE.npy]... [--fetch TENSOR]... [--outdir DIR [--overwrite]] [--json]\n"
               "\n"
               "With --signature_def (default serving_default) inputs are the signature's names;\n"
               "with --fetch, tensors are fed and fetched by graph name (e.g. x:0), TF1 Session style.\n"
               "--outdir writes each output as DIR/NAME.npy, making DIR if needed; an existing file\n"
               "is an error unless --overwrite.\n");
}

/* Parses a nested list of numbers ("[[1, 2.5], [3, 4]]" or "7") into values and a shape. */
typedef struct literal {
    double *values;
    size_t count, cap;
    int64_t dims[FERRY_MAX_RANK];
    int rank, ok;
} literal;

static void lit_push(literal *l, double v)
{
    if (l->count == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 16;
        double *grown = realloc(l->values, l->cap * sizeof(double));
        if (!grown) {
            l->ok = 0;
            return;
        }
        l->values = grown;
    }
    l->values[l->count++] = v;
}

static const char *lit_parse(literal *l, const char *p, int depth)
{
    while (isspace((unsigned char)*p))
        p++;
    if (*p != '[') {
        char *end;
        double v = strtod(p, &end);
        if (end == p) {
            if (!strncmp(p, "True", 4) || !strncmp(p, "False", 5)) {
                v = *p == 'T';
                end = (char *)p + (*p == 'T' ? 4 : 5);
            } else {
                l->ok = 0;
                return p;
            }
        }
        if (depth > l->rank)
            l->rank = depth;
        lit_push(l, v);
        return end;
    }
    if (depth >= FERRY_MAX_RANK) {
        l->ok = 0;
        return p;
    }
    int64_t n = 0;
    p++;
    for (;;) {
        while (isspace((unsigned char)*p) || *p == ',')
            p++;
        if (*p == ']' || !*p)
            break;
        p = lit_parse(l, p, depth + 1);
        if (!l->ok)
            return p;
        n++;
    }
    if (*p != ']')
        l->ok = 0;
    if (depth + 1 > l->rank)
        l->rank = depth + 1;
    l->dims[depth] = n;
    return *p ? p + 1 : p;
}

static ferry_tensor *tensor_from_literal(const char *text, ferry_dtype dtype, char *msg, size_t cap)
{
    literal l = { NULL, 0, 0, { 0 }, 0, 1 };
    const char *end = lit_parse(&l, text, 0);
    while (isspace((unsigned char)*end))
        end++;
    int64_t expect = 1;
    for (int d = 0; d < l.rank; d++)
        expect *= l.dims[d];
    if (!l.ok || *end || (size_t)expect != l.count) {
        snprintf(msg, cap, "cannot read '%s' as a rectangular list of numbers", text);
        free(l.values);
        return NULL;
    }
    if (dtype == FERRY_DT_INVALID || dtype == FERRY_DT_STRING)
        dtype = FERRY_DT_FLOAT;
    ferry_tensor *t = NULL;
    if (ferry_tensor_new(&t, dtype, l.dims, l.rank, NULL) != FERRY_OK) {
        snprintf(msg, cap, "cannot make a %s tensor from '%s'", ferry_dtype_name(dtype), text);
        free(l.values);
        return NULL;
    }
    void *d = ferry_tensor_data(t);
    for (size_t i = 0; i < l.count; i++) {
        double v = l.values[i];
        switch (dtype) {
        case FERRY_DT_DOUBLE: ((double *)d)[i] = v; break;
        case FERRY_DT_INT32: ((int32_t *)d)[i] = (int32_t)v; break;
        case FERRY_DT_INT64: ((int64_t *)d)[i] = (int64_t)v; break;
        case FERRY_DT_INT8: ((int8_t *)d)[i] = (int8_t)v; break;
        case FERRY_DT_INT16: ((int16_t *)d)[i] = (int16_t)v; break;
        case FERRY_DT_UINT8: ((uint8_t *)d)[i] = (uint8_t)v; break;
        case FERRY_DT_UINT16: ((uint16_t *)d)[i] = (uint16_t)v; break;
        case FERRY_DT_UINT32: ((uint32_t *)d)[i] = (uint32_t)v; break;
        case FERRY_DT_UINT64: ((uint64_t *)d)[i] = (uint64_t)v; break;
        case FERRY_DT_BOOL: ((uint8_t *)d)[i] = v != 0; break;
        default: ((float *)d)[i] = (float)v; break;
        }
    }
    free(l.values);
    return t;
}

typedef struct named {
    const char *name[MAX_ARGS];
    ferry_tensor *t[MAX_ARGS];
    int count;
} named;

static ferry_dtype input_dtype(const ferry_signature *sig, const char *name)
{
    for (size_t i = 0; sig && i < ferry_signature_input_count(sig); i++)
        if (!strcmp(ferry_signature_input(sig, i)->name, name))
            return ferry_signature_input(sig, i)->dtype;
    return FERRY_DT_INVALID;
}

/* Splits "A=x;B=y" and loads each value as a file or a literal. */
static int collect(named *out, char *spec, int literal_values, const ferry_signature *sig)
{
    for (char *item = strtok(spec, ";"); item; item = strtok(NULL, ";")) {
        char *eq = strchr(item, '=');
        if (!eq || out->count == MAX_ARGS) {
            fprintf(stderr, "ferry run: expected NAME=VALUE, got '%s'\n", item);
            return 1;
        }
        *eq = '\0';
        char msg[512];
        ferry_tensor *t = NULL;
        if (literal_values)
            t = tensor_from_literal(eq + 1, input_dtype(sig, item), msg, sizeof(msg));
        else if (npy_read(&t, eq + 1, msg, sizeof(msg)))
            t = NULL;
        if (!t) {
            fprintf(stderr, "ferry run: input '%s': %s\n", item, msg);
            return 1;
        }
        out->name[out->count] = item;
        out->t[out->count++] = t;
    }
    return 0;
}

/* mkdir -p: makes `dir` and its missing parents. */
static int make_dirs(const char *dir)
{
    char path[4096];
    if (snprintf(path, sizeof(path), "%s", dir) >= (int)sizeof(path))
        return -1;
    for (char *c = path + 1; *c; c++) {
        if (*c != '/')
            continue;
        *c = 0;
        if (mkdir(path, 0777) != 0 && errno != EEXIST)
            return -1;
        *c = '/';
    }
    return mkdir(path, 0777) != 0 && errno != EEXIST ? -1 : 0;
}

/* DIR/NAME.npy, with the separators a tensor name may hold made '_'. */
static void output_path(char *path, size_t size, const char *dir, const char *name)
{
    char file[1024];
    snprintf(file, sizeof(file), "%s", name);
    for (char *c = file; *c; c++)
        if (*c == '/' || *c == ':')
            *c = '_';
    snprintf(path, size, "%s/%s.npy", dir, file);
}

/* Makes the output directory and checks, before anything is written, that
 * no output would replace an existing file unless --overwrite. */
static int prepare_outdir(const run_options *o, const char *const *names, int count)
{
    if (make_dirs(o->outdir)) {
        fprintf(stderr, "ferry run: cannot make directory %s: %s\n", o->outdir, strerror(errno));
        return 1;
    }
    for (int i = 0; i < count && !o->overwrite; i++) {
        char path[4096];
        output_path(path, sizeof(path), o->outdir, names[i]);
        if (access(path, F_OK) == 0) {
            fprintf(stderr, "ferry run: %s already exists; pass --overwrite to replace it\n", path);
            return 1;
        }
    }
    return 0;
}

static int emit(const run_options *o, const char *const *names, ferry_tensor **outs, int count)
{
    if (o->json)
        fputs("{\"outputs\": {", stdout);
    if (o->outdir && prepare_outdir(o, names, count))
        return 1;
    for (int i = 0; i < count; i++) {
        if (o->outdir) {
            char path[4096], msg[512];
            output_path(path, sizeof(path), o->outdir, names[i]);
            if (npy_write(outs[i], path, msg, sizeof(msg))) {
                fprintf(stderr, "ferry run: %s\n", msg);
                return 1;
            }
            if (!o->json)
                printf("%s -> %s\n", names[i], path);
        }
        if (o->json) {
            printf(i ? ", " : "");
            json_string(stdout, names[i], strlen(names[i]));
            printf(": {\"dtype\": \"%s\", \"shape\": ", ferry_dtype_name(ferry_tensor_dtype(outs[i])));
            print_shape(stdout, ferry_tensor_dims(outs[i]), ferry_tensor_rank(outs[i]));
            fputs(", \"values\": ", stdout);
            print_values_json(stdout, outs[i]);
            fputc('}', stdout);
        } else if (!o->outdir) {
            printf("Result for output key %s:\n", names[i]);
            print_values_text(stdout, outs[i]);
            fputc('\n', stdout);
        }
    }
    if (o->json)
        fputs("}}\n", stdout);
    return 0;
}

static int run_loaded(ferry_model *m, run_options *o)
{
    named in = { { 0 }, { 0 }, 0 };
    ferry_error *err = NULL;
    const ferry_signature *sig = NULL;
    int rc = 1;
    ferry_tensor *outs[MAX_ARGS] = { 0 };
    const char *out_names[MAX_ARGS];
    int out_count = 0;
    if (!o->fetch_count) {
        const char *key = o->signature ? o->signature : "serving_default";
        if (ferry_model_find_signature(&sig, m, key, &err) != FERRY_OK)
            goto fail;
        if (ferry_signature_output_count(sig) > MAX_ARGS) {
            fprintf(stderr, "ferry run: too many outputs\n");
            goto done;
        }
    }
    if ((o->inputs && collect(&in, o->inputs, 0, sig)) || (o->exprs && collect(&in, o->exprs, 1, sig)))
        goto done;
    /* Feed specs are argv strings, split in place. */
    for (int i = 0; i < o->feed_count; i++)
        if (collect(&in, (char *)o->feeds[i], 0, NULL))
            goto done;
    if (sig) {
        out_count = (int)ferry_signature_output_count(sig);
        for (int i = 0; i < out_count; i++)
            out_names[i] = ferry_signature_output(sig, i)->name;
        if (ferry_signature_run(outs, sig, in.name, (const ferry_tensor *const *)in.t, (size_t)in.count, &err))
            goto fail;
    } else {
        out_count = o->fetch_count;
        for (int i = 0; i < out_count; i++)
            out_names[i] = o->fetches[i];
        if (ferry_model_run(outs, m, in.name, (const ferry_tensor *const *)in.t, (size_t)in.count, o->fetches,
                            (size_t)o->fetch_count, NULL, 0, &err))
            goto fail;
    }
    rc = emit(o, out_names, outs, out_count);
    goto done;
fail:
    fprintf(stderr, "ferry run: %s\n", ferry_error_message(err));
    ferry_error_free(err);
done:
    for (int i = 0; i < in.count; i++)
        ferry_tensor_free(in.t[i]);
    for (int i = 0; i < out_count; i++)
        ferry_tensor_free(outs[i]);
    return rc;
}

int cmd_run(int argc, char **argv)
{
    run_options o = { 0 };
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *next = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--tag_set") && next)
            o.tag_set = argv[++i];
        else if (!strcmp(a, "--signature_def") && next)
            o.signature = argv[++i];
        else if (!strcmp(a, "--inputs") && next)
            o.inputs = argv[++i];
        else if (!strcmp(a, "--input_exprs") && next)
            o.exprs = argv[++i];
        else if (!strcmp(a, "--feed") && next && o.feed_count < MAX_ARGS)
            o.feeds[o.feed_count++] = argv[++i];
        else if (!strcmp(a, "--fetch") && next && o.fetch_count < MAX_ARGS)
            o.fetches[o.fetch_count++] = argv[++i];
        else if (!strcmp(a, "--outdir") && next)
            o.outdir = argv[++i];
        else if (!strcmp(a, "--overwrite"))
            o.overwrite = 1;
        else if (!strcmp(a, "--json"))
            o.json = 1;
        else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            return 0;
        } else if (a[0] != '-' && !o.path)
            o.path = a;
        else {
            fprintf(stderr, "ferry run: unexpected argument '%s'\n", a);
            usage(stderr);
            return 2;
        }
    }
    if (!o.path) {
        usage(stderr);
        return 2;
    }
    ferry_model_options opts = FERRY_MODEL_OPTIONS_INIT;
    opts.tags = o.tag_set;
    ferry_model *m = NULL;
    ferry_error *err = NULL;
    if (ferry_model_load(&m, o.path, &opts, &err) != FERRY_OK) {
        fprintf(stderr, "ferry run: %s\n", ferry_error_message(err));
        ferry_error_free(err);
        return 1;
    }
    int rc = run_loaded(m, &o);
    ferry_model_free(m);
    return rc;
}
