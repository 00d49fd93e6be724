/* Bounding runs and loads: cancel handles, print sinks, the supported-op list. */
#include <stdlib.h>
#include <string.h>

#include "dev_ferry_FerryNative.h"
#include "jni_util.h"

JNIEXPORT jlong JNICALL Java_dev_ferry_FerryNative_cancelNew(JNIEnv *env, jclass cls)
{
    (void)cls;
    ferry_cancel *cancel = NULL;
    ferry_error *err = NULL;
    if (ferry_cancel_new(&cancel, &err) != FERRY_OK) {
        fj_throw_error(env, err);
        return 0;
    }
    return FJ_HANDLE(cancel);
}

JNIEXPORT void JNICALL Java_dev_ferry_FerryNative_cancelTrigger(JNIEnv *env, jclass cls, jlong cancel)
{
    (void)env;
    (void)cls;
    ferry_cancel_trigger(FJ_PTR(ferry_cancel, cancel));
}

JNIEXPORT jboolean JNICALL Java_dev_ferry_FerryNative_cancelIsTriggered(JNIEnv *env, jclass cls, jlong cancel)
{
    (void)env;
    (void)cls;
    return ferry_cancel_is_triggered(FJ_PTR(ferry_cancel, cancel)) ? JNI_TRUE : JNI_FALSE;
}

JNIEXPORT void JNICALL Java_dev_ferry_FerryNative_cancelFree(JNIEnv *env, jclass cls, jlong cancel)
{
    (void)env;
    (void)cls;
    ferry_cancel_free(FJ_PTR(ferry_cancel, cancel));
}

JNIEXPORT jlong JNICALL Java_dev_ferry_FerryNative_printSinkNew(JNIEnv *env, jclass cls, jobject sink)
{
    (void)cls;
    jobject global = (*env)->NewGlobalRef(env, sink);
    if (!global)
        fj_throw(env, "java/lang/OutOfMemoryError", "print sink");
    return FJ_HANDLE(global);
}

JNIEXPORT void JNICALL Java_dev_ferry_FerryNative_printSinkFree(JNIEnv *env, jclass cls, jlong sink)
{
    (void)cls;
    if (sink)
        (*env)->DeleteGlobalRef(env, (jobject)(intptr_t)sink);
}

/* Runs on the thread of the op: a Java thread inside a run, or one of
 * Ferry's own workers, which is attached for the call. FerryNative.print
 * catches what the sink throws, so nothing is left pending. */
void fj_print(void *context, const char *stream, const char *text, size_t size)
{
    JNIEnv *env = NULL;
    int attached = 0;
    jint st = (*fj.vm)->GetEnv(fj.vm, (void **)&env, JNI_VERSION_1_8);
    if (st == JNI_EDETACHED) {
        if ((*fj.vm)->AttachCurrentThreadAsDaemon(fj.vm, (void **)&env, NULL) != JNI_OK)
            return;
        attached = 1;
    } else if (st != JNI_OK) {
        return;
    }
    if ((*env)->PushLocalFrame(env, 4) == 0) {
        jbyteArray s = fj_bytes(env, stream, strlen(stream));
        jbyteArray t = fj_bytes(env, text, size);
        if (s && t)
            (*env)->CallStaticVoidMethod(env, fj.native_class, fj.print, (jobject)context, s, t);
        (*env)->PopLocalFrame(env, NULL);
    }
    if ((*env)->ExceptionCheck(env))
        (*env)->ExceptionClear(env); /* out of memory making the arrays: that text is lost */
    if (attached)
        (*fj.vm)->DetachCurrentThread(fj.vm);
}

JNIEXPORT jobjectArray JNICALL Java_dev_ferry_FerryNative_supportedOps(JNIEnv *env, jclass cls)
{
    (void)cls;
    size_t n = ferry_supported_op_count();
    const char **ops = malloc((n ? n : 1) * sizeof(*ops));
    if (!ops) {
        fj_throw(env, "java/lang/OutOfMemoryError", "supported ops");
        return NULL;
    }
    for (size_t i = 0; i < n; i++)
        ops[i] = ferry_supported_op(i);
    jobjectArray out = fj_string_array(env, ops, n);
    free(ops);
    return out;
}

JNIEXPORT jboolean JNICALL Java_dev_ferry_FerryNative_opIsSupported(JNIEnv *env, jclass cls, jbyteArray op_bytes)
{
    (void)cls;
    int ok;
    char *op = fj_cstr(env, op_bytes, &ok);
    jboolean result = ok && op && ferry_op_is_supported(op) ? JNI_TRUE : JNI_FALSE;
    free(op);
    return result;
}
