/* Print ops through the load options' sink: the caller's function gets each
 * op's stream and text, FERRY_LOAD_DISCARD_PRINT silences them, and only a
 * PrintV2 to a "file://" stream is a file op (refused unless allowed, then
 * appended to the file). StringFormat's placeholders must match its inputs. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <ferry/ferry.h>

#include "check.h"

typedef struct sink {
    char stream[64], text[256];
    int calls;
} sink;

static void record(void *context, const char *stream, const char *text, size_t size)
{
    sink *s = context;
    snprintf(s->stream, sizeof(s->stream), "%s", stream);
    snprintf(s->text, sizeof(s->text), "%.*s", (int)size, text);
    s->calls++;
}

/* 'msg' (a string constant) printed by PrintV2 node 'p' to `stream`, and a
 * StringFormat 'f' of x with `tmpl`. */
static ferry_status load(ferry_model **m, const char *stream, const char *tmpl, unsigned flags, sink *s,
                         ferry_error **err)
{
    char text[2048], path[] = "/tmp/ferry_print_XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return FERRY_ERR_IO;
    snprintf(text, sizeof(text),
             "node { name: \"msg\" op: \"Const\" attr { key: \"dtype\" value { type: DT_STRING } }\n"
             "  attr { key: \"value\" value { tensor { dtype: DT_STRING tensor_shape {} string_val: \"hi\" } } } }\n"
             "node { name: \"p\" op: \"PrintV2\" input: \"msg\" attr { key: \"output_stream\" value { s: \"%s\" } }\n"
             "  attr { key: \"end\" value { s: \"!\" } } }\n"
             "node { name: \"x\" op: \"Const\" attr { key: \"dtype\" value { type: DT_INT32 } }\n"
             "  attr { key: \"value\" value { tensor { dtype: DT_INT32 tensor_shape { dim { size: 2 } } "
             "int_val: 4 int_val: 5 } } } }\n"
             "node { name: \"f\" op: \"StringFormat\" input: \"x\" attr { key: \"template\" value { s: \"%s\" } }\n"
             "  attr { key: \"placeholder\" value { s: \"{}\" } } attr { key: \"T\" value { list { type: DT_INT32 } } } }\n",
             stream, tmpl);
    FILE *f = fdopen(fd, "w");
    fputs(text, f);
    fclose(f);
    char named[64];
    snprintf(named, sizeof(named), "%s.pbtxt", path);
    rename(path, named);
    ferry_model_options opts = FERRY_MODEL_OPTIONS_INIT;
    opts.flags = flags;
    opts.print = s ? record : NULL;
    opts.print_context = s;
    ferry_status st = ferry_model_load(m, named, &opts, err);
    unlink(named);
    return st;
}

static ferry_status print_once(ferry_model *m, ferry_error **err)
{
    const char *target = "p";
    return ferry_model_run(NULL, m, NULL, NULL, 0, NULL, 0, &target, 1, err);
}

static void the_sink_gets_stream_and_text(void)
{
    sink s = { "", "", 0 };
    ferry_model *m = NULL;
    CHECK_OK(load(&m, "log(warning)", "{}", 0, &s, err_));
    CHECK_OK(print_once(m, err_));
    CHECK_OK(print_once(m, err_));
    CHECK_EQ_INT(s.calls, 2);
    CHECK_STR(s.stream, "log(warning)");
    CHECK_STR(s.text, "hi!");
    ferry_model_free(m);
    CHECK(!ferry_op_touches_outside("PrintV2") && !ferry_op_touches_outside("Print"));
}

static void discard_prints_nothing(void)
{
    sink s = { "", "", 0 };
    ferry_model *m = NULL;
    CHECK_OK(load(&m, "stderr", "{}", FERRY_LOAD_DISCARD_PRINT, &s, err_));
    CHECK_OK(print_once(m, err_));
    CHECK_EQ_INT(s.calls, 0);
    ferry_model_free(m);
}

static void a_file_stream_is_a_file_op(void)
{
    char path[] = "/tmp/ferry_printed_XXXXXX", stream[64];
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    close(fd);
    snprintf(stream, sizeof(stream), "file://%s", path);
    ferry_model *m = NULL;
    sink s = { "", "", 0 };
    CHECK_OK(load(&m, stream, "{}", 0, &s, err_));
    CHECK_FAILS(FERRY_ERR_REFUSED, "'p' (PrintV2)", print_once(m, err_));
    ferry_model_free(m);
    m = NULL;
    CHECK_OK(load(&m, stream, "{}", FERRY_LOAD_ALLOW_FILE_OPS, &s, err_));
    CHECK_OK(print_once(m, err_));
    CHECK_OK(print_once(m, err_));
    CHECK_EQ_INT(s.calls, 0);
    char got[64] = "";
    FILE *f = fopen(path, "r");
    CHECK(f && fgets(got, sizeof(got), f));
    if (f)
        fclose(f);
    CHECK_STR(got, "hi!hi!");
    unlink(path);
    ferry_model_free(m);
}

static ferry_status format(ferry_model *m, char *out, size_t cap, ferry_error **err)
{
    const char *fetch = "f:0";
    ferry_tensor *t = NULL;
    ferry_status st = ferry_model_run(&t, m, NULL, NULL, 0, &fetch, 1, NULL, 0, err);
    if (!st)
        snprintf(out, cap, "%.*s", (int)ferry_tensor_strings(t)[0].size, ferry_tensor_strings(t)[0].data);
    ferry_tensor_free(t);
    return st;
}

static void string_format_placeholders(void)
{
    ferry_model *m = NULL;
    char got[64] = "";
    CHECK_OK(load(&m, "stderr", "x={}.", 0, NULL, err_));
    CHECK_OK(format(m, got, sizeof(got), err_));
    CHECK_STR(got, "x=[4 5].");
    ferry_model_free(m);
    m = NULL;
    CHECK_OK(load(&m, "stderr", "{} and {}", 0, NULL, err_));
    CHECK_FAILS(FERRY_ERR_INVALID_ARGUMENT, "more placeholders", format(m, got, sizeof(got), err_));
    ferry_model_free(m);
    m = NULL;
    CHECK_OK(load(&m, "stderr", "none", 0, NULL, err_));
    CHECK_FAILS(FERRY_ERR_INVALID_ARGUMENT, "0 placeholders for 1 inputs", format(m, got, sizeof(got), err_));
    ferry_model_free(m);
}

RUN_TESTS("print", TEST(the_sink_gets_stream_and_text), TEST(discard_prints_nothing), TEST(a_file_stream_is_a_file_op),
          TEST(string_format_placeholders))
