/* The op-conformance suite: every case under tests/ops (single-op graphs
 * TensorFlow ran, tests/ops/generate.py) replayed through the public API and
 * compared with TensorFlow's outputs, or checked to fail where TensorFlow
 * failed. tests/ops/known_failures.txt lists cases Ferry does not pass yet,
 * each with its reason; a listed case that passes fails the suite too, so
 * the list only shrinks.
 *
 *   test_ops_conformance               every family
 *   test_ops_conformance math/Abs      cases whose "family/name" starts so */
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fixture.h"

#define OPS_DIR FERRY_SOURCE_DIR "/tests/ops"

typedef struct known {
    char **names;
    int *seen;
    size_t count;
} known;

typedef struct tally {
    int passed, failed, known_failed, fixed;
} tally;

/* known_failures.txt: "family/case  reason" per line, '#' comments. */
static void read_known(known *k)
{
    char *text = fixture_read_file(OPS_DIR "/known_failures.txt", NULL);
    memset(k, 0, sizeof *k);
    for (char *line = text ? strtok(text, "\n") : NULL; line; line = strtok(NULL, "\n")) {
        line += strspn(line, " \t");
        if (!*line || *line == '#')
            continue;
        line[strcspn(line, " \t")] = 0;
        k->names = realloc(k->names, (k->count + 1) * sizeof *k->names);
        k->names[k->count++] = strdup(line);
    }
    k->seen = calloc(k->count + 1, sizeof *k->seen);
    free(text);
}

static int known_index(const known *k, const char *name)
{
    for (size_t i = 0; i < k->count; i++)
        if (!strcmp(k->names[i], name))
            return (int)i;
    return -1;
}

static int base64_value(int c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* Decodes base64 into a new buffer; *size gets its length. */
static unsigned char *base64_decode(const char *s, size_t *size)
{
    size_t n = strlen(s);
    unsigned char *out = malloc(n / 4 * 3 + 1);
    size_t len = 0;
    unsigned bits = 0;
    int have = 0;
    for (size_t i = 0; out && i < n; i++) {
        int v = base64_value((unsigned char)s[i]);
        if (v < 0)
            continue; /* padding */
        bits = (bits << 6) | (unsigned)v;
        if ((have += 6) >= 8) {
            have -= 8;
            out[len++] = (unsigned char)(bits >> have);
        }
    }
    *size = len;
    return out;
}

/* A tensor from its manifest form {dtype, shape, data | strings}. */
static int json_tensor(ferry_tensor **out, const cJSON *j, char *msg, size_t cap)
{
    const cJSON *shape = cJSON_GetObjectItem(j, "shape");
    const cJSON *data = cJSON_GetObjectItem(j, "data"), *strings = cJSON_GetObjectItem(j, "strings");
    ferry_dtype dtype = fixture_dtype(cJSON_GetStringValue(cJSON_GetObjectItem(j, "dtype")));
    int64_t dims[FERRY_MAX_RANK];
    int rank = cJSON_GetArraySize(shape);
    ferry_error *err = NULL;
    if (rank > FERRY_MAX_RANK) {
        snprintf(msg, cap, "rank %d", rank);
        return 0;
    }
    for (int d = 0; d < rank; d++)
        dims[d] = (int64_t)cJSON_GetArrayItem(shape, d)->valuedouble;
    if (ferry_tensor_new(out, dtype, dims, rank, &err) != FERRY_OK) {
        snprintf(msg, cap, "tensor: %s", ferry_error_message(err));
        ferry_error_free(err);
        return 0;
    }
    if (strings) {
        for (int i = 0; i < cJSON_GetArraySize(strings); i++) {
            size_t n;
            unsigned char *bytes = base64_decode(cJSON_GetStringValue(cJSON_GetArrayItem(strings, i)), &n);
            ferry_tensor_set_string(*out, i, (const char *)bytes, n, NULL);
            free(bytes);
        }
        return 1;
    }
    size_t n;
    unsigned char *bytes = base64_decode(cJSON_GetStringValue(data), &n);
    int ok = bytes && n == ferry_tensor_byte_size(*out);
    if (ok && n)
        memcpy(ferry_tensor_data(*out), bytes, n);
    else if (!ok)
        snprintf(msg, cap, "data of %zu bytes for a tensor of %zu", n, ferry_tensor_byte_size(*out));
    free(bytes);
    return ok;
}

/* Runs one case; 1 when Ferry agrees with TensorFlow, else 0 with msg. */
static int run_case(const char *dir, const cJSON *c, char *msg, size_t cap)
{
    char path[1400];
    if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, cJSON_GetStringValue(cJSON_GetObjectItem(c, "graph"))) >=
        sizeof path) {
        snprintf(msg, cap, "path too long");
        return 0;
    }
    const cJSON *feeds = cJSON_GetObjectItem(c, "feeds"), *fetches = cJSON_GetObjectItem(c, "fetches");
    const cJSON *expect = cJSON_GetObjectItem(c, "expect"), *error = cJSON_GetObjectItem(c, "error");
    const cJSON *rtol = cJSON_GetObjectItem(c, "rtol"), *atol = cJSON_GetObjectItem(c, "atol");
    int nfeed = cJSON_GetArraySize(feeds), nfetch = cJSON_GetArraySize(fetches), ok = 1;
    ferry_model *model = NULL;
    ferry_error *err = NULL;
    ferry_model_options opts = FERRY_MODEL_OPTIONS_INIT;
    opts.flags = FERRY_LOAD_DISCARD_PRINT;
    if (ferry_model_load(&model, path, &opts, &err) != FERRY_OK) {
        snprintf(msg, cap, "load: %s", ferry_error_message(err));
        ferry_error_free(err);
        return 0;
    }
    const char **feed_names = calloc((size_t)nfeed + 1, sizeof(char *));
    const char **fetch_names = calloc((size_t)nfetch + 1, sizeof(char *));
    ferry_tensor **in = calloc((size_t)nfeed + 1, sizeof(ferry_tensor *));
    ferry_tensor **out = calloc((size_t)nfetch + 1, sizeof(ferry_tensor *));
    for (int i = 0; ok && i < nfeed; i++) {
        const cJSON *f = cJSON_GetArrayItem(feeds, i);
        feed_names[i] = cJSON_GetStringValue(cJSON_GetObjectItem(f, "name"));
        ok = json_tensor(&in[i], f, msg, cap);
    }
    for (int i = 0; i < nfetch; i++)
        fetch_names[i] = cJSON_GetStringValue(cJSON_GetArrayItem(fetches, i));
    ferry_status st = ok ? ferry_model_run(out, model, feed_names, (const ferry_tensor *const *)in, (size_t)nfeed,
                                           fetch_names, (size_t)nfetch, NULL, 0, &err)
                         : FERRY_ERR_INTERNAL;
    if (ok && error) {
        /* TF failed: Ferry must fail on the data too, not call it unsupported */
        ok = st != FERRY_OK && st != FERRY_ERR_UNSUPPORTED && st != FERRY_ERR_INTERNAL;
        if (!ok)
            snprintf(msg, cap, "TF raised %s (%s); Ferry %s%s%s", cJSON_GetStringValue(error),
                     cJSON_GetStringValue(cJSON_GetObjectItem(c, "message")), ferry_status_name(st),
                     err ? ": " : "", err ? ferry_error_message(err) : "");
    } else if (ok && st != FERRY_OK) {
        snprintf(msg, cap, "run: %s", ferry_error_message(err));
        ok = 0;
    }
    for (int i = 0; ok && !error && i < nfetch; i++) {
        ferry_tensor *want = NULL;
        char why[512] = "";
        ok = json_tensor(&want, cJSON_GetArrayItem(expect, i), msg, cap) &&
             fixture_tensors_match(out[i], want, rtol ? rtol->valuedouble : 1e-5, atol ? atol->valuedouble : 1e-6,
                                   why, sizeof why);
        if (!ok && why[0])
            snprintf(msg, cap, "output %d (%s): %s", i, fetch_names[i], why);
        ferry_tensor_free(want);
    }
    ferry_error_free(err);
    for (int i = 0; i < nfeed; i++)
        ferry_tensor_free(in[i]);
    for (int i = 0; i < nfetch; i++)
        ferry_tensor_free(out[i]);
    free(in);
    free(out);
    free(feed_names);
    free(fetch_names);
    ferry_model_free(model);
    return ok;
}

/* run_case in a child process, so that a case that crashes Ferry is
 * reported as a failure and the others still run. */
static int run_isolated(const char *dir, const cJSON *c, char *msg, size_t cap)
{
    int fd[2];
    if (pipe(fd) != 0)
        return run_case(dir, c, msg, cap);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        close(fd[0]);
        int ok = run_case(dir, c, msg, cap);
        if (write(fd[1], msg, strlen(msg)) < 0)
            ok = 0;
        _exit(ok ? 0 : 1);
    }
    close(fd[1]);
    size_t len = 0;
    for (ssize_t n; pid > 0 && len + 1 < cap && (n = read(fd[0], msg + len, cap - 1 - len)) > 0;)
        len += (size_t)n;
    msg[len] = 0;
    close(fd[0]);
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) != pid)
        return run_case(dir, c, msg, cap);
    if (WIFSIGNALED(status))
        snprintf(msg, cap, "crashed with signal %d (%s)", WTERMSIG(status), strsignal(WTERMSIG(status)));
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static void run_family(const char *family, const char *filter, known *k, tally *t)
{
    char dir[1024], path[1100];
    snprintf(dir, sizeof dir, "%s/%s", OPS_DIR, family);
    snprintf(path, sizeof path, "%s/cases.json", dir);
    char *text = fixture_read_file(path, NULL);
    cJSON *m = text ? cJSON_Parse(text) : NULL;
    free(text);
    if (!m)
        return;
    const cJSON *c;
    cJSON_ArrayForEach(c, cJSON_GetObjectItem(m, "cases"))
    {
        char name[300], msg[1024] = "";
        snprintf(name, sizeof name, "%s/%s", family, cJSON_GetStringValue(cJSON_GetObjectItem(c, "name")));
        if (filter && strncmp(name, filter, strlen(filter)))
            continue;
        int ok = run_isolated(dir, c, msg, sizeof msg), listed = known_index(k, name);
        if (listed >= 0)
            k->seen[listed] = 1;
        if (ok && listed < 0) {
            t->passed++;
        } else if (ok) {
            printf("FIXED %s: passes now; remove it from known_failures.txt\n", name);
            t->fixed++;
        } else if (listed >= 0) {
            t->known_failed++;
        } else {
            printf("FAIL %s: %s\n", name, msg);
            t->failed++;
        }
    }
    cJSON_Delete(m);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
    const char *filter = argc > 1 ? argv[1] : NULL;
    known k;
    tally t = { 0 };
    read_known(&k);
    DIR *d = opendir(OPS_DIR);
    char *families[64];
    size_t nfam = 0;
    for (struct dirent *e; d && (e = readdir(d)) != NULL;)
        if (e->d_name[0] != '.' && nfam < 64) {
            char path[1100];
            snprintf(path, sizeof path, "%s/%s/cases.json", OPS_DIR, e->d_name);
            FILE *f = fopen(path, "rb");
            if (f) {
                fclose(f);
                families[nfam++] = strdup(e->d_name);
            }
        }
    if (d)
        closedir(d);
    qsort(families, nfam, sizeof *families, by_name);
    for (size_t i = 0; i < nfam; i++) {
        run_family(families[i], filter, &k, &t);
        free(families[i]);
    }
    int stale = 0;
    for (size_t i = 0; i < k.count; i++) {
        if (!filter && !k.seen[i]) {
            printf("STALE %s: listed in known_failures.txt but no such case\n", k.names[i]);
            stale++;
        }
        free(k.names[i]);
    }
    free(k.names);
    free(k.seen);
    printf("ops conformance: %d cases in %zu families: %d pass, %d fail, %d known failures, %d fixed\n",
           t.passed + t.failed + t.known_failed + t.fixed, nfam, t.passed, t.failed, t.known_failed, t.fixed);
    return (nfam == 0 || t.failed || t.fixed || stale) ? 1 : 0;
}
