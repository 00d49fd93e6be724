/* ferry show: what a model holds, in the manner of `saved_model_cli show`. */
#include <stdio.h>
#include <string.h>

#include <ferry/ferry.h>

#include "commands.h"
#include "values.h"

typedef struct show_options {
    const char *path, *tag_set, *signature;
    int all, list_ops, scan, json;
} show_options;

static void usage(FILE *f)
{
    fprintf(f, "usage: ferry show MODEL [--tag_set serve[,gpu]] [--signature_def KEY] [--all] [--list_ops] [--scan] [--json]\n"
               "\n"
               "MODEL is a SavedModel directory, a .meta MetaGraph file or a frozen GraphDef.\n"
               "  (no flag)        the tag sets\n"
               "  --tag_set T      the signature keys of that MetaGraph\n"
               "  --signature_def  the inputs, outputs and method of one signature\n"
               "  --all            everything\n"
               "  --list_ops       the op types the graph and its functions use\n"
               "  --scan           ops that read or write files or print, and whether the\n"
               "                   signatures need them; exit status 3 when a load refuses them\n"
               "  --json           a stable machine-readable form\n");
}

static const char *format_name(ferry_model_format f)
{
    switch (f) {
    case FERRY_FORMAT_SAVED_MODEL: return "saved_model";
    case FERRY_FORMAT_META_GRAPH: return "meta_graph";
    case FERRY_FORMAT_FROZEN_GRAPH: return "frozen_graph";
    }
    return "unknown";
}

/* TensorFlow's enum spelling, DT_FLOAT etc. */
static void print_dt(FILE *f, ferry_dtype d)
{
    static const char *const names[] = {
        "DT_INVALID", "DT_FLOAT", "DT_DOUBLE", "DT_INT32", "DT_UINT8", "DT_INT16", "DT_INT8",
        "DT_STRING", "DT_COMPLEX64", "DT_INT64", "DT_BOOL", "DT_QINT8", "DT_QUINT8", "DT_QINT32",
        "DT_BFLOAT16", "DT_QINT16", "DT_QUINT16", "DT_UINT16", "DT_COMPLEX128", "DT_HALF",
        "DT_RESOURCE", "DT_VARIANT", "DT_UINT32", "DT_UINT64",
    };
    if ((unsigned)d < sizeof(names) / sizeof(names[0]))
        fputs(names[d], f);
    else
        fprintf(f, "DT_%s", ferry_dtype_name(d));
}

static ferry_model *load(const char *path, const char *tags, ferry_error **err)
{
    ferry_model_options opts = FERRY_MODEL_OPTIONS_INIT;
    opts.flags = FERRY_LOAD_METADATA_ONLY;
    opts.tags = tags;
    ferry_model *m = NULL;
    return ferry_model_load(&m, path, &opts, err) == FERRY_OK ? m : NULL;
}

static void json_str(const char *s)
{
    json_string(stdout, s ? s : "", strlen(s ? s : ""));
}

static void json_tensor_info(const ferry_tensor_info *t)
{
    printf("{\"dtype\": \"%s\", \"shape\": ", ferry_dtype_name(t->dtype));
    if (t->rank < 0)
        fputs("null", stdout);
    else
        print_shape(stdout, t->dims, t->rank);
    if (t->encoding == FERRY_ENCODING_COO_SPARSE) {
        fputs(", \"coo_sparse\": {\"dense_shape\": ", stdout);
        json_str(t->dense_shape_tensor);
        fputs(", \"indices\": ", stdout);
        json_str(t->indices_tensor);
        fputs(", \"values\": ", stdout);
        json_str(t->tensor);
        fputc('}', stdout);
    } else if (t->encoding == FERRY_ENCODING_COMPOSITE) {
        fputs(", \"composite\": true", stdout);
    } else {
        fputs(", \"tensor\": ", stdout);
        json_str(t->tensor);
    }
    fputc('}', stdout);
}

static void json_infos(const ferry_signature *s, int outputs)
{
    size_t n = outputs ? ferry_signature_output_count(s) : ferry_signature_input_count(s);
    fputc('{', stdout);
    for (size_t i = 0; i < n; i++) {
        const ferry_tensor_info *t = outputs ? ferry_signature_output(s, i) : ferry_signature_input(s, i);
        fputs(i ? ", " : "", stdout);
        json_str(t->name);
        fputs(": ", stdout);
        json_tensor_info(t);
    }
    fputc('}', stdout);
}

static void json_signatures(const ferry_model *m, const char *only)
{
    fputc('{', stdout);
    int first = 1;
    for (size_t i = 0; i < ferry_model_signature_count(m); i++) {
        const ferry_signature *s = ferry_model_signature(m, i);
        if (only && strcmp(only, ferry_signature_key(s)) != 0)
            continue;
        fputs(first ? "\n    " : ",\n    ", stdout);
        first = 0;
        json_str(ferry_signature_key(s));
        fputs(": {\"method\": ", stdout);
        json_str(ferry_signature_method(s));
        fputs(", \"inputs\": ", stdout);
        json_infos(s, 0);
        fputs(", \"outputs\": ", stdout);
        json_infos(s, 1);
        fputc('}', stdout);
    }
    fputs(first ? "}" : "\n  }", stdout);
}

static void json_tag_set(const char *tags)
{
    fputc('[', stdout);
    const char *p = tags;
    int first = 1;
    while (p && *p) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        fputs(first ? "" : ", ", stdout);
        first = 0;
        json_string(stdout, p, n);
        p = comma ? comma + 1 : p + n;
    }
    fputc(']', stdout);
}

static int show_json(const ferry_model *m, const show_options *o)
{
    printf("{\n  \"format\": \"%s\",\n  \"tensorflow_version\": ", format_name(ferry_model_get_format(m)));
    json_str(ferry_model_tensorflow_version(m));
    fputs(",\n  \"tag_sets\": [", stdout);
    for (size_t i = 0; i < ferry_model_tag_set_count(m); i++) {
        fputs(i ? ", " : "", stdout);
        json_tag_set(ferry_model_tag_set(m, i));
    }
    fputs("],\n  \"loaded_tag_set\": ", stdout);
    if (ferry_model_loaded_tag_set(m))
        json_tag_set(ferry_model_loaded_tag_set(m));
    else
        fputs("null", stdout);
    fputs(",\n  \"signatures\": ", stdout);
    json_signatures(m, o->signature);
    if (o->list_ops || o->all) {
        fputs(",\n  \"ops\": [", stdout);
        for (size_t i = 0; i < ferry_model_op_count(m); i++) {
            fputs(i ? ", " : "", stdout);
            json_str(ferry_model_op(m, i));
        }
        fputc(']', stdout);
    }
    if (o->all) {
        fputs(",\n  \"collections\": [", stdout);
        for (size_t i = 0; i < ferry_model_collection_count(m); i++) {
            fputs(i ? ", " : "", stdout);
            json_str(ferry_model_collection(m, i)->name);
        }
        fputs("],\n  \"assets\": [", stdout);
        for (size_t i = 0; i < ferry_model_asset_count(m); i++) {
            const ferry_asset_info *a = ferry_model_asset(m, i);
            fputs(i ? ", {\"filename\": " : "{\"filename\": ", stdout);
            json_str(a->filename);
            fputs(", \"tensor\": ", stdout);
            json_str(a->tensor);
            fputc('}', stdout);
        }
        fputs("],\n  \"saver_def\": ", stdout);
        const ferry_saver_info *s = ferry_model_saver(m);
        if (s) {
            fputs("{\"filename_tensor_name\": ", stdout);
            json_str(s->filename_tensor);
            fputs(", \"restore_op_name\": ", stdout);
            json_str(s->restore_op);
            fputs(", \"save_tensor_name\": ", stdout);
            json_str(s->save_tensor);
            printf(", \"sharded\": %s, \"version\": %d}", s->sharded ? "true" : "false", s->format_version);
        } else {
            fputs("null", stdout);
        }
        printf(",\n  \"node_count\": %zu", ferry_model_node_count(m));
    }
    fputs("\n}\n", stdout);
    return 0;
}

static void text_infos(const ferry_signature *s, int outputs)
{
    size_t n = outputs ? ferry_signature_output_count(s) : ferry_signature_input_count(s);
    printf("  The given SavedModel SignatureDef contains the following %s(s):\n", outputs ? "output" : "input");
    for (size_t i = 0; i < n; i++) {
        const ferry_tensor_info *t = outputs ? ferry_signature_output(s, i) : ferry_signature_input(s, i);
        printf("    %s['%s'] tensor_info:\n        dtype: ", outputs ? "outputs" : "inputs", t->name);
        print_dt(stdout, t->dtype);
        fputs("\n        shape: ", stdout);
        if (t->rank < 0) {
            fputs("unknown_rank", stdout);
        } else {
            fputc('(', stdout);
            for (int d = 0; d < t->rank; d++)
                printf(d ? ", %lld" : "%lld", (long long)t->dims[d]);
            fputs(t->rank == 1 ? ",)" : ")", stdout);
        }
        if (t->encoding == FERRY_ENCODING_COO_SPARSE)
            printf("\n        values: %s\n        indices: %s\n        dense_shape: %s\n", t->tensor,
                   t->indices_tensor, t->dense_shape_tensor);
        else
            printf("\n        name: %s\n", t->encoding == FERRY_ENCODING_COMPOSITE ? "(composite)" : t->tensor);
    }
}

static void text_signature(const ferry_signature *s)
{
    text_infos(s, 0);
    text_infos(s, 1);
    printf("  Method name is: %s\n", ferry_signature_method(s));
}

static int show_text(const ferry_model *m, const show_options *o)
{
    if (ferry_model_get_format(m) == FERRY_FORMAT_FROZEN_GRAPH && !o->list_ops) {
        printf("Frozen GraphDef with %zu nodes. Its placeholders (feedable inputs):\n", ferry_model_node_count(m));
        for (size_t i = 0; i < ferry_model_node_count(m); i++) {
            const ferry_node_info *n = ferry_model_node(m, i);
            if (!strcmp(n->op, "Placeholder") || !strcmp(n->op, "PlaceholderWithDefault"))
                printf("  %s:0\n", n->name);
        }
        return 0;
    }
    if (o->list_ops) {
        for (size_t i = 0; i < ferry_model_op_count(m); i++)
            printf("%s\n", ferry_model_op(m, i));
        return 0;
    }
    if (o->signature) {
        const ferry_signature *s = NULL;
        ferry_error *err = NULL;
        if (ferry_model_find_signature(&s, m, o->signature, &err) != FERRY_OK) {
            fprintf(stderr, "ferry show: %s\n", ferry_error_message(err));
            ferry_error_free(err);
            return 1;
        }
        text_signature(s);
        return 0;
    }
    if (o->tag_set) {
        puts("The given SavedModel MetaGraphDef contains SignatureDefs with the following keys:");
        for (size_t i = 0; i < ferry_model_signature_count(m); i++)
            printf("SignatureDef key: \"%s\"\n", ferry_signature_key(ferry_model_signature(m, i)));
        return 0;
    }
    puts("The given SavedModel contains the following tag-sets:");
    for (size_t i = 0; i < ferry_model_tag_set_count(m); i++)
        printf("'%s'\n", ferry_model_tag_set(m, i));
    return 0;
}

/* --all: every MetaGraph, every signature in full. */
static int show_all_text(const ferry_model *first, const show_options *o)
{
    for (size_t t = 0; t < ferry_model_tag_set_count(first); t++) {
        ferry_error *err = NULL;
        ferry_model *m = load(o->path, ferry_model_tag_set(first, t), &err);
        if (!m) {
            fprintf(stderr, "ferry show: %s\n", ferry_error_message(err));
            ferry_error_free(err);
            return 1;
        }
        printf("\nMetaGraphDef with tag-set: '%s' contains the following SignatureDefs:\n",
               ferry_model_tag_set(first, t));
        for (size_t i = 0; i < ferry_model_signature_count(m); i++) {
            const ferry_signature *s = ferry_model_signature(m, i);
            printf("\nsignature_def['%s']:\n", ferry_signature_key(s));
            text_signature(s);
        }
        ferry_model_free(m);
    }
    if (ferry_model_tag_set_count(first) == 0)
        return show_text(first, o);
    return 0;
}

int cmd_show(int argc, char **argv)
{
    show_options o = { 0 };
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--tag_set") && i + 1 < argc)
            o.tag_set = argv[++i];
        else if (!strncmp(a, "--tag_set=", 10))
            o.tag_set = a + 10;
        else if (!strcmp(a, "--signature_def") && i + 1 < argc)
            o.signature = argv[++i];
        else if (!strncmp(a, "--signature_def=", 16))
            o.signature = a + 16;
        else if (!strcmp(a, "--all"))
            o.all = 1;
        else if (!strcmp(a, "--list_ops"))
            o.list_ops = 1;
        else if (!strcmp(a, "--scan"))
            o.scan = 1;
        else if (!strcmp(a, "--json"))
            o.json = 1;
        else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            return 0;
        } else if (a[0] != '-' && !o.path)
            o.path = a;
        else {
            fprintf(stderr, "ferry show: unexpected argument '%s'\n", a);
            usage(stderr);
            return 2;
        }
    }
    if (!o.path) {
        usage(stderr);
        return 2;
    }
    if (o.scan)
        return show_scan(o.path, o.tag_set, o.json);
    ferry_error *err = NULL;
    ferry_model *m = load(o.path, o.tag_set, &err);
    if (!m) {
        fprintf(stderr, "ferry show: %s\n", ferry_error_message(err));
        ferry_error_free(err);
        return 1;
    }
    int rc = o.json ? show_json(m, &o) : (o.all && !o.list_ops) ? show_all_text(m, &o) : show_text(m, &o);
    ferry_model_free(m);
    return rc;
}
