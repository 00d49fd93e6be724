/* Shared helpers of the JNI glue: handle conversion, strings both ways,
 * exceptions (every ferry_error ends here and is freed), cached classes. */
#ifndef FERRY_JNI_UTIL_H
#define FERRY_JNI_UTIL_H

#include <jni.h>
#include <stddef.h>
#include <stdint.h>

#include <ferry/ferry.h>

#define FJ_PTR(type, handle) ((type *)(intptr_t)(handle))
#define FJ_HANDLE(ptr) ((jlong)(intptr_t)(ptr))

/* Classes and methods looked up once by FerryNative.init(). */
typedef struct fj_cache {
    jclass native_class;      /* dev.ferry.FerryNative */
    jmethodID exception;      /* static Throwable exception(int, byte[]) */
    jmethodID utf8;           /* static String utf8(byte[]) */
    jclass string_class;
    jclass bytes_class;       /* byte[] */
    jclass tensor_info_class;
    jmethodID tensor_info_new;
    jclass variable_info_class;
    jmethodID variable_info_new;
    jclass node_info_class;
    jmethodID node_info_new;
    jclass collection_info_class;
    jmethodID collection_info_new;
    jclass saver_info_class;
    jmethodID saver_info_new;
    jclass asset_info_class;
    jmethodID asset_info_new;
    jmethodID print;          /* static void print(Object sink, byte[] stream, byte[] text) */
    JavaVM *vm;               /* for print sinks called on threads the JVM does not know */
} fj_cache;

extern fj_cache fj;

/* Looks everything up; 0 on success, -1 with a Java exception pending. */
int fj_cache_init(JNIEnv *env, jclass native_class);

/* A ferry_print_fn for a sink made by FerryNative.printSinkNew: its context
 * is a global reference to the Java sink. */
void fj_print(void *context, const char *stream, const char *text, size_t size);

/* `result` of a JNI call that may throw, or NULL (its local ref deleted)
 * when an exception is pending. */
jobject fj_checked(JNIEnv *env, jobject result);

/* Throws the FerryException for `err` and frees it. */
void fj_throw_error(JNIEnv *env, ferry_error *err);

/* Throws a new `class_name` (e.g. "java/lang/IllegalArgumentException"). */
void fj_throw(JNIEnv *env, const char *class_name, const char *message);

/* The makers below return NULL at once when an exception is already pending,
 * so several can run in a row with one ExceptionCheck after them. */

/* A Java String from UTF-8 bytes (NULL gives NULL, without an exception). */
jstring fj_string(JNIEnv *env, const char *s);
jstring fj_string_n(JNIEnv *env, const char *s, size_t size);

/* A new byte[] holding a copy of `size` bytes. */
jbyteArray fj_bytes(JNIEnv *env, const void *data, size_t size);

/* A String[] of `count` C strings. */
jobjectArray fj_string_array(JNIEnv *env, const char *const *strings, size_t count);

/* A long[] of `count` int64 values. */
jlongArray fj_long_array(JNIEnv *env, const int64_t *values, size_t count);

/* A malloc'd NUL-terminated copy of a byte[] (NULL array gives NULL and
 * *ok = 1; failure gives NULL, *ok = 0 and a pending exception). */
char *fj_cstr(JNIEnv *env, jbyteArray bytes, int *ok);

/* A byte[][] as C strings, in one allocation. */
typedef struct fj_names {
    const char **names;
    size_t count;
} fj_names;

/* 0 on success; -1 with an exception pending. A NULL array is an empty list. */
int fj_names_get(JNIEnv *env, jobjectArray array, fj_names *out);
void fj_names_free(fj_names *names);

/* Copies a long[] of dims into `dims` (FERRY_MAX_RANK slots); 0 on success,
 * -1 with an IllegalArgumentException pending. */
int fj_dims(JNIEnv *env, jlongArray array, int64_t *dims, int *rank);

#endif
