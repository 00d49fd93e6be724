/* ferry show --scan: which ops of a model read or write files or print, and
 * whether its signatures need them (then Ferry refuses the load by default),
 * in the manner of `saved_model_cli scan`. */
#include <stdio.h>
#include <string.h>

#include <ferry/ferry.h>

#include "commands.h"
#include "values.h"

/* Outcome of scanning one MetaGraph (or the frozen graph). */
typedef enum scan_verdict { SCAN_CLEAN = 0, SCAN_REFUSED = 3, SCAN_FAILED = 1 } scan_verdict;

static ferry_model *load(const char *path, const char *tags, unsigned flags, ferry_error **err)
{
    ferry_model_options opts = FERRY_MODEL_OPTIONS_INIT;
    opts.flags = flags;
    opts.tags = tags;
    ferry_model *m = NULL;
    return ferry_model_load(&m, path, &opts, err) == FERRY_OK ? m : NULL;
}

/* Top-level nodes of `op`; ops used only inside functions have none. */
static void print_nodes(const ferry_model *m, const char *op, int json)
{
    int count = 0;
    for (size_t i = 0; i < ferry_model_node_count(m); i++) {
        const ferry_node_info *n = ferry_model_node(m, i);
        if (strcmp(n->op, op))
            continue;
        if (json) {
            fputs(count ? ", " : "", stdout);
            json_string(stdout, n->name, strlen(n->name));
        } else {
            printf("%s%s", count ? ", " : " ", n->name);
        }
        count++;
    }
    if (!json && !count)
        fputs(" (inside functions)", stdout);
}

/* Prints the outside ops of `m`; returns how many there are. */
static int print_outside_ops(const ferry_model *m, int json)
{
    int count = 0;
    for (size_t i = 0; i < ferry_model_op_count(m); i++) {
        const char *op = ferry_model_op(m, i);
        if (!ferry_op_touches_outside(op))
            continue;
        if (json) {
            fputs(count ? ", {\"op\": " : "{\"op\": ", stdout);
            json_string(stdout, op, strlen(op));
            fputs(", \"nodes\": [", stdout);
            print_nodes(m, op, 1);
            fputs("]}", stdout);
        } else {
            printf("  %s:", op);
            print_nodes(m, op, 0);
            fputc('\n', stdout);
        }
        count++;
    }
    if (!json && !count)
        puts("  none");
    return count;
}

/* Scans the graph `meta` (loaded metadata-only) and tries a default load. */
static scan_verdict scan_one(const ferry_model *meta, const char *path, const char *tags, int json, int first)
{
    if (json) {
        fputs(first ? "\n    {\"tag_set\": " : ",\n    {\"tag_set\": ", stdout);
        if (tags)
            json_string(stdout, tags, strlen(tags));
        else
            fputs("null", stdout);
        fputs(", \"outside_ops\": [", stdout);
    } else {
        if (tags)
            printf("MetaGraph with tag set '%s': ops that read or write files or print:\n", tags);
        else
            puts("Graph: ops that read or write files or print:");
    }
    int outside = print_outside_ops(meta, json);

    ferry_error *err = NULL;
    ferry_model *m = load(path, tags, 0, &err);
    ferry_status st = m ? FERRY_OK : ferry_error_code(err);
    scan_verdict verdict = st == FERRY_OK ? SCAN_CLEAN : st == FERRY_ERR_REFUSED ? SCAN_REFUSED : SCAN_FAILED;
    /* Without signatures nothing is planned at load: a run that needs one is refused then. */
    int unplanned = m && ferry_model_signature_count(m) == 0 && outside > 0;
    if (unplanned)
        verdict = SCAN_REFUSED;
    if (json) {
        printf("], \"loads\": %s, \"refused\": %s, \"error\": ", m ? "true" : "false",
               verdict == SCAN_REFUSED ? "true" : "false");
        if (err)
            json_string(stdout, ferry_error_message(err), strlen(ferry_error_message(err)));
        else
            fputs("null", stdout);
        fputc('}', stdout);
    } else if (unplanned) {
        puts("  No signatures: a run that needs them is refused unless FERRY_LOAD_ALLOW_FILE_OPS.");
    } else if (verdict == SCAN_CLEAN) {
        puts("  Nothing it runs needs them: it loads without FERRY_LOAD_ALLOW_FILE_OPS.");
    } else if (verdict == SCAN_REFUSED) {
        printf("  Refused by default: %s\n", ferry_error_message(err));
    } else {
        printf("  It does not load: %s\n", ferry_error_message(err));
    }
    ferry_model_free(m);
    ferry_error_free(err);
    return verdict;
}

int show_scan(const char *path, const char *tag_set, int json)
{
    ferry_error *err = NULL;
    ferry_model *meta = load(path, tag_set, FERRY_LOAD_METADATA_ONLY, &err);
    if (!meta) {
        fprintf(stderr, "ferry show: %s\n", ferry_error_message(err));
        ferry_error_free(err);
        return 1;
    }
    if (json)
        fputs("{\n  \"scan\": [", stdout);
    scan_verdict worst = SCAN_CLEAN;
    size_t tag_sets = ferry_model_tag_set_count(meta);
    if (tag_set || tag_sets == 0) {
        worst = scan_one(meta, path, ferry_model_loaded_tag_set(meta), json, 1);
    } else {
        for (size_t t = 0; t < tag_sets; t++) {
            const char *tags = ferry_model_tag_set(meta, t);
            ferry_model *one = load(path, tags, FERRY_LOAD_METADATA_ONLY, &err);
            if (!one) {
                fprintf(stderr, "ferry show: %s\n", ferry_error_message(err));
                ferry_error_free(err);
                ferry_model_free(meta);
                return 1;
            }
            scan_verdict v = scan_one(one, path, tags, json, t == 0);
            if (v == SCAN_FAILED || (v == SCAN_REFUSED && worst == SCAN_CLEAN))
                worst = v;
            ferry_model_free(one);
        }
    }
    if (json)
        fputs("\n  ]\n}\n", stdout);
    ferry_model_free(meta);
    return worst;
}
