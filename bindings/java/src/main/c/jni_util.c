#include "jni_util.h"

#include <stdlib.h>
#include <string.h>

fj_cache fj;

static jclass global_class(JNIEnv *env, const char *name)
{
    jclass local = (*env)->FindClass(env, name);
    if (!local)
        return NULL;
    jclass global = (*env)->NewGlobalRef(env, local);
    (*env)->DeleteLocalRef(env, local);
    return global;
}

int fj_cache_init(JNIEnv *env, jclass native_class)
{
    if (fj.native_class)
        return 0;
    fj_cache c;
    memset(&c, 0, sizeof(c));
    c.native_class = (*env)->NewGlobalRef(env, native_class);
    if (!c.native_class)
        return -1;
    c.exception = (*env)->GetStaticMethodID(env, native_class, "exception", "(I[B)Ljava/lang/Throwable;");
    if (!c.exception)
        return -1;
    c.utf8 = (*env)->GetStaticMethodID(env, native_class, "utf8", "([B)Ljava/lang/String;");
    if (!c.utf8)
        return -1;
    if (!(c.string_class = global_class(env, "java/lang/String")))
        return -1;
    if (!(c.bytes_class = global_class(env, "[B")))
        return -1;
    if (!(c.tensor_info_class = global_class(env, "dev/ferry/TensorInfo")))
        return -1;
    c.tensor_info_new = (*env)->GetStaticMethodID(env, c.tensor_info_class, "fromNative",
        "(Ljava/lang/String;Ljava/lang/String;I[JILjava/lang/String;Ljava/lang/String;)Ldev/ferry/TensorInfo;");
    if (!c.tensor_info_new)
        return -1;
    if (!(c.variable_info_class = global_class(env, "dev/ferry/VariableInfo")))
        return -1;
    c.variable_info_new = (*env)->GetStaticMethodID(env, c.variable_info_class, "fromNative",
        "(Ljava/lang/String;I[JLjava/lang/String;Ljava/lang/String;Ljava/lang/String;Ljava/lang/String;"
        "Ljava/lang/String;Z)Ldev/ferry/VariableInfo;");
    if (!c.variable_info_new)
        return -1;
    if (!(c.node_info_class = global_class(env, "dev/ferry/NodeInfo")))
        return -1;
    c.node_info_new = (*env)->GetStaticMethodID(env, c.node_info_class, "fromNative",
        "(Ljava/lang/String;Ljava/lang/String;Ljava/lang/String;[Ljava/lang/String;)Ldev/ferry/NodeInfo;");
    if (!c.node_info_new)
        return -1;
    if (!(c.collection_info_class = global_class(env, "dev/ferry/CollectionInfo")))
        return -1;
    c.collection_info_new = (*env)->GetStaticMethodID(env, c.collection_info_class, "fromNative",
        "(Ljava/lang/String;I[[B[Ljava/lang/String;[J[F)Ldev/ferry/CollectionInfo;");
    if (!c.collection_info_new)
        return -1;
    if (!(c.saver_info_class = global_class(env, "dev/ferry/SaverInfo")))
        return -1;
    c.saver_info_new = (*env)->GetMethodID(env, c.saver_info_class, "<init>",
        "(Ljava/lang/String;Ljava/lang/String;Ljava/lang/String;IZFI)V");
    if (!c.saver_info_new)
        return -1;
    if (!(c.asset_info_class = global_class(env, "dev/ferry/AssetInfo")))
        return -1;
    c.asset_info_new = (*env)->GetMethodID(env, c.asset_info_class, "<init>",
        "(Ljava/lang/String;Ljava/lang/String;Ljava/lang/String;)V");
    if (!c.asset_info_new)
        return -1;
    c.print = (*env)->GetStaticMethodID(env, native_class, "print", "(Ljava/lang/Object;[B[B)V");
    if (!c.print || (*env)->GetJavaVM(env, &c.vm) != JNI_OK)
        return -1;
    fj = c;
    return 0;
}

jobject fj_checked(JNIEnv *env, jobject result)
{
    if ((*env)->ExceptionCheck(env)) {
        if (result)
            (*env)->DeleteLocalRef(env, result);
        return NULL;
    }
    return result;
}

void fj_throw(JNIEnv *env, const char *class_name, const char *message)
{
    if ((*env)->ExceptionCheck(env))
        return;
    jclass cls = (*env)->FindClass(env, class_name);
    if (cls)
        (*env)->ThrowNew(env, cls, message);
}

void fj_throw_error(JNIEnv *env, ferry_error *err)
{
    if (!err) {
        fj_throw(env, "java/lang/IllegalStateException", "Ferry failed without an error object");
        return;
    }
    jint code = (jint)ferry_error_code(err);
    const char *msg = ferry_error_message(err);
    jbyteArray bytes = fj_bytes(env, msg ? msg : "", msg ? strlen(msg) : 0);
    ferry_error_free(err);
    if (!bytes)
        return;
    jobject ex = (*env)->CallStaticObjectMethod(env, fj.native_class, fj.exception, code, bytes);
    (*env)->DeleteLocalRef(env, bytes);
    if (ex && !(*env)->ExceptionCheck(env))
        (*env)->Throw(env, (jthrowable)ex);
}

jbyteArray fj_bytes(JNIEnv *env, const void *data, size_t size)
{
    if ((*env)->ExceptionCheck(env))
        return NULL;
    if (size > INT32_MAX) {
        fj_throw(env, "java/lang/OutOfMemoryError", "string of more than 2 GiB");
        return NULL;
    }
    jbyteArray b = (*env)->NewByteArray(env, (jsize)size);
    if (b && size)
        (*env)->SetByteArrayRegion(env, b, 0, (jsize)size, (const jbyte *)data);
    return b;
}

/* `terminated`: s[size] is a NUL that may be read. */
static jstring make_string(JNIEnv *env, const char *s, size_t size, int terminated)
{
    /* NULL when an exception is pending too, so that calls can be chained. */
    if (!s || (*env)->ExceptionCheck(env))
        return NULL;
    /* Plain ASCII without NULs is the same in modified UTF-8; anything else
     * is decoded as standard UTF-8 on the Java side. */
    int ascii = terminated;
    for (size_t i = 0; i < size && ascii; i++)
        ascii = (unsigned char)s[i] - 1u < 0x7fu;
    if (ascii)
        return (*env)->NewStringUTF(env, s);
    jbyteArray b = fj_bytes(env, s, size);
    if (!b)
        return NULL;
    jstring str = (jstring)fj_checked(env, (*env)->CallStaticObjectMethod(env, fj.native_class, fj.utf8, b));
    (*env)->DeleteLocalRef(env, b);
    return str;
}

jstring fj_string_n(JNIEnv *env, const char *s, size_t size)
{
    return make_string(env, s, size, 0);
}

jstring fj_string(JNIEnv *env, const char *s)
{
    return s ? make_string(env, s, strlen(s), 1) : NULL;
}

jobjectArray fj_string_array(JNIEnv *env, const char *const *strings, size_t count)
{
    if ((*env)->ExceptionCheck(env))
        return NULL;
    jobjectArray arr = (*env)->NewObjectArray(env, (jsize)count, fj.string_class, NULL);
    for (size_t i = 0; arr && i < count; i++) {
        jstring s = fj_string(env, strings[i]);
        if ((*env)->ExceptionCheck(env))
            return NULL;
        (*env)->SetObjectArrayElement(env, arr, (jsize)i, s);
        (*env)->DeleteLocalRef(env, s);
    }
    return arr;
}

jlongArray fj_long_array(JNIEnv *env, const int64_t *values, size_t count)
{
    if ((*env)->ExceptionCheck(env))
        return NULL;
    jlongArray arr = (*env)->NewLongArray(env, (jsize)count);
    if (!arr || !count)
        return arr;
    jlong *tmp = malloc(count * sizeof(jlong));
    if (!tmp) {
        fj_throw(env, "java/lang/OutOfMemoryError", "long[] copy");
        return NULL;
    }
    for (size_t i = 0; i < count; i++)
        tmp[i] = (jlong)values[i];
    (*env)->SetLongArrayRegion(env, arr, 0, (jsize)count, tmp);
    free(tmp);
    return arr;
}

char *fj_cstr(JNIEnv *env, jbyteArray bytes, int *ok)
{
    *ok = 1;
    if (!bytes)
        return NULL;
    jsize n = (*env)->GetArrayLength(env, bytes);
    char *s = malloc((size_t)n + 1);
    if (!s) {
        *ok = 0;
        fj_throw(env, "java/lang/OutOfMemoryError", "string copy");
        return NULL;
    }
    (*env)->GetByteArrayRegion(env, bytes, 0, n, (jbyte *)s);
    s[n] = '\0';
    if (memchr(s, '\0', (size_t)n)) {
        free(s);
        *ok = 0;
        fj_throw(env, "java/lang/IllegalArgumentException", "names and paths cannot contain NUL characters");
        return NULL;
    }
    return s;
}

int fj_names_get(JNIEnv *env, jobjectArray array, fj_names *out)
{
    out->names = NULL;
    out->count = 0;
    if (!array)
        return 0;
    size_t n = (size_t)(*env)->GetArrayLength(env, array);
    size_t total = 0;
    for (size_t i = 0; i < n; i++) {
        jbyteArray b = (jbyteArray)(*env)->GetObjectArrayElement(env, array, (jsize)i);
        if (!b) {
            fj_throw(env, "java/lang/NullPointerException", "null name");
            return -1;
        }
        total += (size_t)(*env)->GetArrayLength(env, b) + 1;
        (*env)->DeleteLocalRef(env, b);
    }
    /* One block: the pointer array, then the strings. */
    char *block = malloc(n * sizeof(char *) + total + 1);
    if (!block) {
        fj_throw(env, "java/lang/OutOfMemoryError", "name list");
        return -1;
    }
    const char **names = (const char **)(void *)block;
    char *p = block + n * sizeof(char *);
    for (size_t i = 0; i < n; i++) {
        jbyteArray b = (jbyteArray)(*env)->GetObjectArrayElement(env, array, (jsize)i);
        jsize len = (*env)->GetArrayLength(env, b);
        (*env)->GetByteArrayRegion(env, b, 0, len, (jbyte *)p);
        (*env)->DeleteLocalRef(env, b);
        p[len] = '\0';
        if (memchr(p, '\0', (size_t)len)) {
            free(block);
            fj_throw(env, "java/lang/IllegalArgumentException", "names cannot contain NUL characters");
            return -1;
        }
        names[i] = p;
        p += len + 1;
    }
    out->names = names;
    out->count = n;
    return 0;
}

void fj_names_free(fj_names *names)
{
    free((void *)names->names);
    names->names = NULL;
    names->count = 0;
}

int fj_dims(JNIEnv *env, jlongArray array, int64_t *dims, int *rank)
{
    jsize n = array ? (*env)->GetArrayLength(env, array) : 0;
    if (n > FERRY_MAX_RANK) {
        fj_throw(env, "java/lang/IllegalArgumentException", "rank above FERRY_MAX_RANK");
        return -1;
    }
    jlong tmp[FERRY_MAX_RANK];
    if (n)
        (*env)->GetLongArrayRegion(env, array, 0, n, tmp);
    for (jsize i = 0; i < n; i++)
        dims[i] = (int64_t)tmp[i];
    *rank = (int)n;
    return 0;
}
