/* Models: load, describe, run signatures and feed/fetch runs. */
#include <stdlib.h>
#include <string.h>

#include "dev_ferry_FerryNative.h"
#include "jni_util.h"

JNIEXPORT jlong JNICALL Java_dev_ferry_FerryNative_modelLoad(JNIEnv *env, jclass cls, jbyteArray path_bytes,
                                                            jbyteArray tags_bytes, jbyteArray checkpoint_bytes,
                                                            jobjectArray map_variables, jobjectArray map_keys,
                                                            jboolean restore_only_mapped, jint intra_op_threads,
                                                            jint flags, jlong memory_limit, jlong max_graph_nodes,
                                                            jlong print_sink)
{
    (void)cls;
    jlong result = 0;
    int ok_path = 0, ok_tags = 0, ok_ckpt = 0;
    fj_names vars = { NULL, 0 }, keys = { NULL, 0 };
    ferry_name_pair *pairs = NULL;
    char *path = fj_cstr(env, path_bytes, &ok_path);
    char *tags = ok_path ? fj_cstr(env, tags_bytes, &ok_tags) : NULL;
    char *checkpoint = ok_path && ok_tags ? fj_cstr(env, checkpoint_bytes, &ok_ckpt) : NULL;
    if (!ok_path || !ok_tags || !ok_ckpt || fj_names_get(env, map_variables, &vars) ||
        fj_names_get(env, map_keys, &keys))
        goto done;
    if (vars.count != keys.count) {
        fj_throw(env, "java/lang/IllegalArgumentException", "restore map halves differ in length");
        goto done;
    }
    if (vars.count) {
        pairs = calloc(vars.count, sizeof(*pairs));
        if (!pairs) {
            fj_throw(env, "java/lang/OutOfMemoryError", "restore map");
            goto done;
        }
        for (size_t i = 0; i < vars.count; i++) {
            pairs[i].variable = vars.names[i];
            pairs[i].key = keys.names[i];
        }
    }
    ferry_model_options opts = FERRY_MODEL_OPTIONS_INIT;
    opts.tags = tags;
    opts.checkpoint = checkpoint;
    opts.restore_map = pairs;
    opts.restore_map_count = vars.count;
    opts.restore_only_mapped = restore_only_mapped ? 1 : 0;
    opts.intra_op_threads = intra_op_threads;
    opts.flags = (unsigned)flags;
    opts.memory_limit = memory_limit;
    opts.max_graph_nodes = max_graph_nodes;
    if (print_sink) {
        opts.print = fj_print;
        opts.print_context = (void *)(intptr_t)print_sink;
    }
    ferry_model *model = NULL;
    ferry_error *err = NULL;
    if (ferry_model_load(&model, path ? path : "", &opts, &err) != FERRY_OK)
        fj_throw_error(env, err);
    else
        result = FJ_HANDLE(model);
done:
    free(pairs);
    fj_names_free(&vars);
    fj_names_free(&keys);
    free(path);
    free(tags);
    free(checkpoint);
    return result;
}

JNIEXPORT void JNICALL Java_dev_ferry_FerryNative_modelFree(JNIEnv *env, jclass cls, jlong model)
{
    (void)env;
    (void)cls;
    ferry_model_free(FJ_PTR(ferry_model, model));
}

JNIEXPORT jint JNICALL Java_dev_ferry_FerryNative_modelFormat(JNIEnv *env, jclass cls, jlong model)
{
    (void)env;
    (void)cls;
    return (jint)ferry_model_get_format(FJ_PTR(ferry_model, model));
}

JNIEXPORT jstring JNICALL Java_dev_ferry_FerryNative_modelTensorflowVersion(JNIEnv *env, jclass cls, jlong model)
{
    (void)cls;
    const char *v = ferry_model_tensorflow_version(FJ_PTR(ferry_model, model));
    return fj_string(env, v ? v : "");
}

JNIEXPORT jobjectArray JNICALL Java_dev_ferry_FerryNative_modelTagSets(JNIEnv *env, jclass cls, jlong handle)
{
    (void)cls;
    const ferry_model *m = FJ_PTR(ferry_model, handle);
    size_t n = ferry_model_tag_set_count(m);
    jobjectArray out = (*env)->NewObjectArray(env, (jsize)n, fj.string_class, NULL);
    for (size_t i = 0; out && i < n; i++) {
        jstring s = fj_string(env, ferry_model_tag_set(m, i));
        if ((*env)->ExceptionCheck(env))
            return NULL;
        (*env)->SetObjectArrayElement(env, out, (jsize)i, s);
        (*env)->DeleteLocalRef(env, s);
    }
    return out;
}

JNIEXPORT jstring JNICALL Java_dev_ferry_FerryNative_modelLoadedTagSet(JNIEnv *env, jclass cls, jlong model)
{
    (void)cls;
    return fj_string(env, ferry_model_loaded_tag_set(FJ_PTR(ferry_model, model)));
}

JNIEXPORT jlongArray JNICALL Java_dev_ferry_FerryNative_modelSignatures(JNIEnv *env, jclass cls, jlong handle)
{
    (void)cls;
    const ferry_model *m = FJ_PTR(ferry_model, handle);
    size_t n = ferry_model_signature_count(m);
    jlongArray out = (*env)->NewLongArray(env, (jsize)n);
    for (size_t i = 0; out && i < n; i++) {
        jlong p = FJ_HANDLE(ferry_model_signature(m, i));
        (*env)->SetLongArrayRegion(env, out, (jsize)i, 1, &p);
    }
    return out;
}

JNIEXPORT jlong JNICALL Java_dev_ferry_FerryNative_modelFindSignature(JNIEnv *env, jclass cls, jlong model,
                                                                     jbyteArray key_bytes)
{
    (void)cls;
    int ok;
    char *key = fj_cstr(env, key_bytes, &ok);
    if (!ok)
        return 0;
    const ferry_signature *sig = NULL;
    ferry_error *err = NULL;
    ferry_status st = ferry_model_find_signature(&sig, FJ_PTR(ferry_model, model), key ? key : "", &err);
    free(key);
    if (st != FERRY_OK) {
        fj_throw_error(env, err);
        return 0;
    }
    return FJ_HANDLE(sig);
}

JNIEXPORT jstring JNICALL Java_dev_ferry_FerryNative_signatureKey(JNIEnv *env, jclass cls, jlong sig)
{
    (void)cls;
    return fj_string(env, ferry_signature_key(FJ_PTR(ferry_signature, sig)));
}

JNIEXPORT jstring JNICALL Java_dev_ferry_FerryNative_signatureMethod(JNIEnv *env, jclass cls, jlong sig)
{
    (void)cls;
    const char *m = ferry_signature_method(FJ_PTR(ferry_signature, sig));
    return fj_string(env, m ? m : "");
}

static jobject tensor_info(JNIEnv *env, const ferry_tensor_info *t)
{
    jobject out = NULL;
    jstring name = fj_string(env, t->name);
    jstring tensor = fj_string(env, t->tensor ? t->tensor : "");
    jlongArray dims = t->rank >= 0 ? fj_long_array(env, t->dims, (size_t)t->rank) : NULL;
    jstring indices = fj_string(env, t->indices_tensor);
    jstring dense = fj_string(env, t->dense_shape_tensor);
    if (!(*env)->ExceptionCheck(env))
        out = fj_checked(env, (*env)->CallStaticObjectMethod(env, fj.tensor_info_class, fj.tensor_info_new, name, tensor,
                                             (jint)t->dtype, dims, (jint)t->encoding, indices, dense));
    (*env)->DeleteLocalRef(env, name);
    (*env)->DeleteLocalRef(env, tensor);
    (*env)->DeleteLocalRef(env, dims);
    (*env)->DeleteLocalRef(env, indices);
    (*env)->DeleteLocalRef(env, dense);
    return out;
}

JNIEXPORT jobjectArray JNICALL Java_dev_ferry_FerryNative_signatureTensors(JNIEnv *env, jclass cls, jlong handle,
                                                                          jboolean outputs)
{
    (void)cls;
    const ferry_signature *sig = FJ_PTR(ferry_signature, handle);
    size_t n = outputs ? ferry_signature_output_count(sig) : ferry_signature_input_count(sig);
    jobjectArray out = (*env)->NewObjectArray(env, (jsize)n, fj.tensor_info_class, NULL);
    for (size_t i = 0; out && i < n; i++) {
        jobject t = tensor_info(env, outputs ? ferry_signature_output(sig, i) : ferry_signature_input(sig, i));
        if (!t)
            return NULL;
        (*env)->SetObjectArrayElement(env, out, (jsize)i, t);
        (*env)->DeleteLocalRef(env, t);
    }
    return out;
}

/* Tensor handles from a long[] (0 is NULL); malloc'd, NULL with an exception
 * pending on failure; `*count` receives the length. */
static ferry_tensor **tensor_handles(JNIEnv *env, jlongArray array, size_t *count)
{
    size_t n = array ? (size_t)(*env)->GetArrayLength(env, array) : 0;
    *count = n;
    ferry_tensor **out = calloc(n ? n : 1, sizeof(*out));
    jlong *tmp = calloc(n ? n : 1, sizeof(*tmp));
    if (!out || !tmp) {
        free(out);
        free(tmp);
        fj_throw(env, "java/lang/OutOfMemoryError", "tensor list");
        return NULL;
    }
    if (n)
        (*env)->GetLongArrayRegion(env, array, 0, (jsize)n, tmp);
    for (size_t i = 0; i < n; i++)
        out[i] = FJ_PTR(ferry_tensor, tmp[i]);
    free(tmp);
    return out;
}

/* Hands run outputs to Java. On failure the tensors Ferry made (those whose
 * slot was not a caller tensor) are freed here. */
static jlongArray outputs_to_java(JNIEnv *env, ferry_tensor **outs, ferry_tensor *const *given, size_t n)
{
    jlongArray arr = (*env)->NewLongArray(env, (jsize)n);
    if (!arr) {
        for (size_t i = 0; i < n; i++)
            if (!given || !given[i])
                ferry_tensor_free(outs[i]);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        jlong h = FJ_HANDLE(outs[i]);
        (*env)->SetLongArrayRegion(env, arr, (jsize)i, 1, &h);
    }
    return arr;
}

JNIEXPORT jlongArray JNICALL Java_dev_ferry_FerryNative_signatureRun(JNIEnv *env, jclass cls, jlong handle,
                                                                    jobjectArray input_names, jlongArray inputs,
                                                                    jlongArray outputs, jlong timeout_ms, jlong cancel)
{
    (void)cls;
    const ferry_signature *sig = FJ_PTR(ferry_signature, handle);
    jlongArray result = NULL;
    fj_names names = { NULL, 0 };
    size_t n_in = 0, n_out = 0;
    ferry_tensor **in = NULL, **given = NULL, **outs = NULL;
    if (fj_names_get(env, input_names, &names))
        return NULL;
    if (!(in = tensor_handles(env, inputs, &n_in)) || !(given = tensor_handles(env, outputs, &n_out)))
        goto done;
    if (n_in != names.count || n_out != ferry_signature_output_count(sig)) {
        fj_throw(env, "java/lang/IllegalArgumentException", "input or output count mismatch");
        goto done;
    }
    outs = calloc(n_out ? n_out : 1, sizeof(*outs));
    if (!outs) {
        fj_throw(env, "java/lang/OutOfMemoryError", "outputs");
        goto done;
    }
    memcpy(outs, given, n_out * sizeof(*outs));
    ferry_run_options options = FERRY_RUN_OPTIONS_INIT;
    options.timeout_ms = timeout_ms;
    options.cancel = FJ_PTR(ferry_cancel, cancel);
    ferry_error *err = NULL;
    if (ferry_signature_run_v2(outs, sig, names.names, (const ferry_tensor *const *)in, n_in, &options, &err) !=
        FERRY_OK) {
        fj_throw_error(env, err);
        goto done;
    }
    result = outputs_to_java(env, outs, given, n_out);
done:
    free(outs);
    free(given);
    free(in);
    fj_names_free(&names);
    return result;
}

JNIEXPORT jlongArray JNICALL Java_dev_ferry_FerryNative_modelRun(JNIEnv *env, jclass cls, jlong handle,
                                                                jobjectArray feed_names, jlongArray feeds,
                                                                jobjectArray fetch_names, jobjectArray target_names,
                                                                jlong timeout_ms, jlong cancel)
{
    (void)cls;
    jlongArray result = NULL;
    fj_names fnames = { NULL, 0 }, fetches = { NULL, 0 }, targets = { NULL, 0 };
    size_t n_in = 0;
    ferry_tensor **in = NULL, **outs = NULL;
    if (fj_names_get(env, feed_names, &fnames) || fj_names_get(env, fetch_names, &fetches) ||
        fj_names_get(env, target_names, &targets))
        goto done;
    if (!(in = tensor_handles(env, feeds, &n_in)))
        goto done;
    if (n_in != fnames.count) {
        fj_throw(env, "java/lang/IllegalArgumentException", "feed count mismatch");
        goto done;
    }
    outs = calloc(fetches.count ? fetches.count : 1, sizeof(*outs));
    if (!outs) {
        fj_throw(env, "java/lang/OutOfMemoryError", "outputs");
        goto done;
    }
    ferry_run_options options = FERRY_RUN_OPTIONS_INIT;
    options.timeout_ms = timeout_ms;
    options.cancel = FJ_PTR(ferry_cancel, cancel);
    ferry_error *err = NULL;
    if (ferry_model_run_v2(outs, FJ_PTR(ferry_model, handle), fnames.names, (const ferry_tensor *const *)in, n_in,
                           fetches.names, fetches.count, targets.names, targets.count, &options, &err) != FERRY_OK) {
        fj_throw_error(env, err);
        goto done;
    }
    result = outputs_to_java(env, outs, NULL, fetches.count);
done:
    free(outs);
    free(in);
    fj_names_free(&fnames);
    fj_names_free(&fetches);
    fj_names_free(&targets);
    return result;
}

JNIEXPORT jobjectArray JNICALL Java_dev_ferry_FerryNative_modelNodes(JNIEnv *env, jclass cls, jlong handle)
{
    (void)cls;
    const ferry_model *m = FJ_PTR(ferry_model, handle);
    size_t n = ferry_model_node_count(m);
    jobjectArray out = (*env)->NewObjectArray(env, (jsize)n, fj.node_info_class, NULL);
    for (size_t i = 0; out && i < n; i++) {
        const ferry_node_info *node = ferry_model_node(m, i);
        jstring name = fj_string(env, node->name);
        jstring op = fj_string(env, node->op);
        jstring device = fj_string(env, node->device ? node->device : "");
        jobjectArray inputs = fj_string_array(env, node->inputs, node->input_count);
        jobject info = NULL;
        if (!(*env)->ExceptionCheck(env))
            info = fj_checked(env, (*env)->CallStaticObjectMethod(env, fj.node_info_class, fj.node_info_new, name, op, device, inputs));
        (*env)->DeleteLocalRef(env, name);
        (*env)->DeleteLocalRef(env, op);
        (*env)->DeleteLocalRef(env, device);
        (*env)->DeleteLocalRef(env, inputs);
        if (!info)
            return NULL;
        (*env)->SetObjectArrayElement(env, out, (jsize)i, info);
        (*env)->DeleteLocalRef(env, info);
    }
    return out;
}

JNIEXPORT jobjectArray JNICALL Java_dev_ferry_FerryNative_modelOps(JNIEnv *env, jclass cls, jlong handle,
                                                                  jboolean stripped)
{
    (void)cls;
    const ferry_model *m = FJ_PTR(ferry_model, handle);
    size_t n = stripped ? ferry_model_stripped_op_count(m) : ferry_model_op_count(m);
    jobjectArray out = (*env)->NewObjectArray(env, (jsize)n, fj.string_class, NULL);
    for (size_t i = 0; out && i < n; i++) {
        jstring s = fj_string(env, stripped ? ferry_model_stripped_op(m, i) : ferry_model_op(m, i));
        if ((*env)->ExceptionCheck(env))
            return NULL;
        (*env)->SetObjectArrayElement(env, out, (jsize)i, s);
        (*env)->DeleteLocalRef(env, s);
    }
    return out;
}

static jobject collection_info(JNIEnv *env, const ferry_collection *c)
{
    jobject out = NULL;
    jobjectArray values = NULL, urls = NULL;
    jlongArray ints = NULL;
    jfloatArray floats = NULL;
    jstring name = fj_string(env, c->name);
    if (c->values) {
        values = (*env)->NewObjectArray(env, (jsize)c->count, fj.bytes_class, NULL);
        for (size_t i = 0; values && i < c->count; i++) {
            jbyteArray b = fj_bytes(env, c->values[i].data, c->values[i].size);
            if (!b)
                break;
            (*env)->SetObjectArrayElement(env, values, (jsize)i, b);
            (*env)->DeleteLocalRef(env, b);
        }
    }
    if (c->type_urls && !(*env)->ExceptionCheck(env))
        urls = fj_string_array(env, c->type_urls, c->count);
    if (c->ints && !(*env)->ExceptionCheck(env))
        ints = fj_long_array(env, c->ints, c->count);
    if (c->floats && !(*env)->ExceptionCheck(env)) {
        floats = (*env)->NewFloatArray(env, (jsize)c->count);
        if (floats && c->count)
            (*env)->SetFloatArrayRegion(env, floats, 0, (jsize)c->count, c->floats);
    }
    if (!(*env)->ExceptionCheck(env))
        out = fj_checked(env, (*env)->CallStaticObjectMethod(env, fj.collection_info_class, fj.collection_info_new, name,
                                             (jint)c->kind, values, urls, ints, floats));
    (*env)->DeleteLocalRef(env, name);
    (*env)->DeleteLocalRef(env, values);
    (*env)->DeleteLocalRef(env, urls);
    (*env)->DeleteLocalRef(env, ints);
    (*env)->DeleteLocalRef(env, floats);
    return out;
}

JNIEXPORT jobjectArray JNICALL Java_dev_ferry_FerryNative_modelCollections(JNIEnv *env, jclass cls, jlong handle)
{
    (void)cls;
    const ferry_model *m = FJ_PTR(ferry_model, handle);
    size_t n = ferry_model_collection_count(m);
    jobjectArray out = (*env)->NewObjectArray(env, (jsize)n, fj.collection_info_class, NULL);
    for (size_t i = 0; out && i < n; i++) {
        jobject c = collection_info(env, ferry_model_collection(m, i));
        if (!c)
            return NULL;
        (*env)->SetObjectArrayElement(env, out, (jsize)i, c);
        (*env)->DeleteLocalRef(env, c);
    }
    return out;
}

JNIEXPORT jobject JNICALL Java_dev_ferry_FerryNative_modelSaver(JNIEnv *env, jclass cls, jlong handle)
{
    (void)cls;
    const ferry_saver_info *s = ferry_model_saver(FJ_PTR(ferry_model, handle));
    if (!s)
        return NULL;
    jobject out = NULL;
    jstring filename = fj_string(env, s->filename_tensor ? s->filename_tensor : "");
    jstring save = fj_string(env, s->save_tensor ? s->save_tensor : "");
    jstring restore = fj_string(env, s->restore_op ? s->restore_op : "");
    if (!(*env)->ExceptionCheck(env))
        out = fj_checked(env, (*env)->NewObject(env, fj.saver_info_class, fj.saver_info_new, filename, save, restore,
                                (jint)s->max_to_keep, s->sharded ? JNI_TRUE : JNI_FALSE,
                                (jfloat)s->keep_checkpoint_every_n_hours, (jint)s->format_version));
    (*env)->DeleteLocalRef(env, filename);
    (*env)->DeleteLocalRef(env, save);
    (*env)->DeleteLocalRef(env, restore);
    return out;
}

JNIEXPORT jobjectArray JNICALL Java_dev_ferry_FerryNative_modelAssets(JNIEnv *env, jclass cls, jlong handle)
{
    (void)cls;
    const ferry_model *m = FJ_PTR(ferry_model, handle);
    size_t n = ferry_model_asset_count(m);
    jobjectArray out = (*env)->NewObjectArray(env, (jsize)n, fj.asset_info_class, NULL);
    for (size_t i = 0; out && i < n; i++) {
        const ferry_asset_info *a = ferry_model_asset(m, i);
        jstring filename = fj_string(env, a->filename ? a->filename : "");
        jstring tensor = fj_string(env, a->tensor ? a->tensor : "");
        jstring path = fj_string(env, a->path ? a->path : "");
        jobject info = NULL;
        if (!(*env)->ExceptionCheck(env))
            info = fj_checked(env, (*env)->NewObject(env, fj.asset_info_class, fj.asset_info_new, filename, tensor, path));
        (*env)->DeleteLocalRef(env, filename);
        (*env)->DeleteLocalRef(env, tensor);
        (*env)->DeleteLocalRef(env, path);
        if (!info)
            return NULL;
        (*env)->SetObjectArrayElement(env, out, (jsize)i, info);
        (*env)->DeleteLocalRef(env, info);
    }
    return out;
}
