#include "base/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ferry_error {
    ferry_status code;
    char *message;
};

/* Messages are one line: newlines and other control bytes become spaces. */
static ferry_error *error_new(ferry_status code, const char *text)
{
    size_t len = strlen(text);
    ferry_error *e = malloc(sizeof(*e));
    char *message = malloc(len + 1);
    if (!e || !message) {
        free(e);
        free(message);
        return NULL;
    }
    e->code = code;
    e->message = message;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        e->message[i] = (c < 0x20 || c == 0x7f) ? ' ' : (char)c;
    }
    e->message[len] = '\0';
    return e;
}

static char *vformat(const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0)
        return NULL;
    char *s = malloc((size_t)n + 1);
    if (s)
        vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

/* Handed out when no memory is left even for an error message; never freed. */
static char out_of_memory_text[] = "out of memory";
static ferry_error out_of_memory = { FERRY_ERR_OUT_OF_MEMORY, out_of_memory_text };

static ferry_error *oom_error(void)
{
    return &out_of_memory;
}

ferry_status fy_fail(ferry_error **err, ferry_status code, const char *fmt, ...)
{
    if (!err || *err)
        return code;
    va_list ap;
    va_start(ap, fmt);
    char *text = vformat(fmt, ap);
    va_end(ap);
    *err = text ? error_new(code, text) : NULL;
    if (!*err)
        *err = oom_error();
    free(text);
    return code;
}

ferry_status fy_error_prefix(ferry_error **err, const char *fmt, ...)
{
    if (!err || !*err)
        return FERRY_OK;
    ferry_error *old = *err;
    if (old == oom_error())
        return old->code;
    va_list ap;
    va_start(ap, fmt);
    char *context = vformat(fmt, ap);
    va_end(ap);
    if (!context)
        return old->code;
    size_t clen = strlen(context), mlen = strlen(old->message);
    char *joined = malloc(clen + 2 + mlen + 1);
    if (joined) {
        memcpy(joined, context, clen);
        memcpy(joined + clen, ": ", 2);
        memcpy(joined + clen + 2, old->message, mlen + 1);
        ferry_error *e = error_new(old->code, joined);
        if (e) {
            ferry_error_free(old);
            *err = e;
        }
        free(joined);
    }
    free(context);
    return (*err)->code;
}

ferry_status fy_error_pass(ferry_error **out, ferry_error *local, ferry_status code)
{
    if (out && !*out)
        *out = local;
    else
        ferry_error_free(local);
    return code;
}

ferry_status ferry_error_code(const ferry_error *err)
{
    return err ? err->code : FERRY_OK;
}

const char *ferry_error_message(const ferry_error *err)
{
    return err ? err->message : "";
}

void ferry_error_free(ferry_error *err)
{
    if (err && err != oom_error()) {
        free(err->message);
        free(err);
    }
}

const char *ferry_status_name(ferry_status status)
{
    switch (status) {
    case FERRY_OK: return "ok";
    case FERRY_ERR_INVALID_ARGUMENT: return "invalid argument";
    case FERRY_ERR_NOT_FOUND: return "not found";
    case FERRY_ERR_IO: return "i/o error";
    case FERRY_ERR_CORRUPT: return "corrupt";
    case FERRY_ERR_UNSUPPORTED: return "unsupported";
    case FERRY_ERR_OUT_OF_MEMORY: return "out of memory";
    case FERRY_ERR_REFUSED: return "refused";
    case FERRY_ERR_RUNTIME: return "runtime error";
    case FERRY_ERR_INTERNAL: return "internal error";
    case FERRY_ERR_DEADLINE_EXCEEDED: return "deadline exceeded";
    case FERRY_ERR_CANCELLED: return "cancelled";
    }
    return "unknown status";
}
