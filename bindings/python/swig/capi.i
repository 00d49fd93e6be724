/*
 * SWIG interface: the Ferry C ABI (include/ferry/ferry.h) as the extension
 * module `ferry.capi`. The pure-Python package `ferry` builds the Pythonic
 * API on top of it; nothing here is meant to be used directly.
 *
 * What SWIG generates from the header as is: version and dtype functions,
 * the read-only borrowed views (ferry_variable_info, ferry_tensor_info,
 * ferry_node_info, ...) and the getters of models, signatures, checkpoints
 * and tensors. Typemaps turn `T **out` out-parameters into return values and
 * `ferry_error **err` into Python exceptions (the error is always freed).
 *
 * What is written by hand (the `py_` helpers below): the calls whose C
 * signatures take arrays with counts, option structs or caller memory —
 * loading, running, wrapping numpy buffers, string tensors, slices. They
 * release the GIL around the library call wherever the call may be long.
 */
%module(package="ferry", docstring="Low-level SWIG binding of the Ferry C ABI (internal).") capi

%{
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <ferry/ferry.h>
%}

%include <stdint.i>

/* ------------------------------------------------------------------------ */
/* Errors: every ferry_error becomes a Python exception, built by a factory  */
/* the Python package registers: factory(code, message, function) -> exc.   */

%{
static PyObject *fpy_error_factory = NULL;

/* Sets the Python exception for `err` (raised by C function `where`) and
 * frees `err`. The message is passed on unchanged (bytes that are not
 * UTF-8, e.g. in file names, survive as surrogate escapes). */
static void fpy_raise(ferry_error *err, const char *where)
{
    ferry_status code = ferry_error_code(err);
    const char *msg = ferry_error_message(err);
    PyObject *text = PyUnicode_DecodeUTF8(msg ? msg : "", msg ? (Py_ssize_t)strlen(msg) : 0, "surrogateescape");
    ferry_error_free(err);
    if (!text)
        return;
    if (!fpy_error_factory) {
        PyErr_SetObject(PyExc_RuntimeError, text);
    } else {
        PyObject *exc = PyObject_CallFunction(fpy_error_factory, "iOs", (int)code, text, where);
        if (exc) {
            PyErr_SetObject((PyObject *)Py_TYPE(exc), exc);
            Py_DECREF(exc);
        }
    }
    Py_DECREF(text);
}

/* Reads a Python sequence of ints into dims; returns the rank, or -1 with
 * an exception set. */
static int fpy_dims(PyObject *seq, int64_t *dims, const char *what)
{
    PyObject *fast = PySequence_Fast(seq, "");
    if (!fast) {
        PyErr_Format(PyExc_TypeError, "%s must be a sequence of ints", what);
        return -1;
    }
    Py_ssize_t n = PySequence_Fast_GET_SIZE(fast);
    if (n > FERRY_MAX_RANK) {
        Py_DECREF(fast);
        PyErr_Format(PyExc_ValueError, "%s has %zd dims; Ferry allows at most %d", what, n, FERRY_MAX_RANK);
        return -1;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        long long v = PyLong_AsLongLong(PySequence_Fast_GET_ITEM(fast, i));
        if (v == -1 && PyErr_Occurred()) {
            Py_DECREF(fast);
            return -1;
        }
        dims[i] = (int64_t)v;
    }
    Py_DECREF(fast);
    return (int)n;
}

static PyObject *fpy_dims_tuple(const int64_t *dims, int rank, int unknown_as_none)
{
    if (rank < 0)
        Py_RETURN_NONE;
    PyObject *t = PyTuple_New(rank);
    for (int i = 0; t && i < rank; i++) {
        PyObject *v = (unknown_as_none && dims[i] < 0) ? (Py_INCREF(Py_None), Py_None) : PyLong_FromLongLong(dims[i]);
        if (!v) {
            Py_CLEAR(t);
            break;
        }
        PyTuple_SET_ITEM(t, i, v);
    }
    return t;
}

/* A tuple of the UTF-8 strings in a Python sequence, holding references
 * so that the char pointers stay valid while the GIL is released. */
static PyObject *fpy_names(PyObject *seq, const char ***out, Py_ssize_t *count)
{
    PyObject *tuple = PySequence_Tuple(seq);
    if (!tuple)
        return NULL;
    Py_ssize_t n = PyTuple_GET_SIZE(tuple);
    const char **names = PyMem_Calloc((size_t)n + 1, sizeof(char *));
    if (!names) {
        Py_DECREF(tuple);
        PyErr_NoMemory();
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        names[i] = PyUnicode_AsUTF8(PyTuple_GET_ITEM(tuple, i));
        if (!names[i]) {
            PyMem_Free(names);
            Py_DECREF(tuple);
            return NULL;
        }
    }
    *out = names;
    *count = n;
    return tuple;
}

/* The ferry_tensor pointers held by a sequence of SWIG tensor objects. */
static PyObject *fpy_tensors(PyObject *seq, const ferry_tensor ***out, Py_ssize_t expected);

/* A list of SWIG objects for new tensors; frees every tensor on failure. */
static PyObject *fpy_tensor_list(ferry_tensor **tensors, size_t n);

/* The SWIG object for one new tensor; frees the tensor on failure. */
static PyObject *fpy_tensor_obj(ferry_tensor *tensor);
%}

%typemap(in, numinputs=0) ferry_error **err (ferry_error *tmp = NULL) {
    $1 = &tmp;
}
%typemap(argout) ferry_error **err {
    if (tmp$argnum) {
        Py_XDECREF($result);
        $result = NULL;
        fpy_raise(tmp$argnum, "$symname");
        SWIG_fail;
    }
}
/* Failures raise, so a returned status is always FERRY_OK: return None. */
%typemap(out) ferry_status "$result = SWIG_Py_Void();"

/* `T **out` out-parameters become the return value. */
%define FERRY_OUT_PARAM(TYPE)
%typemap(in, numinputs=0) TYPE **out (TYPE *tmp = NULL) {
    $1 = ($1_ltype)&tmp;
}
%typemap(argout) TYPE **out {
    $result = SWIG_Python_AppendOutput($result,
        tmp$argnum ? SWIG_NewPointerObj(SWIG_as_voidptr(tmp$argnum), $*1_descriptor, 0) : SWIG_Py_Void());
}
%enddef
FERRY_OUT_PARAM(ferry_tensor)
FERRY_OUT_PARAM(const ferry_signature)
FERRY_OUT_PARAM(ferry_cancel)

/* Long calls run without the GIL. */
%exception ferry_checkpoint_read {
    Py_BEGIN_ALLOW_THREADS
    $action
    Py_END_ALLOW_THREADS
}
%exception ferry_checkpoint_writer_add {
    Py_BEGIN_ALLOW_THREADS
    $action
    Py_END_ALLOW_THREADS
}
%exception ferry_checkpoint_writer_finish {
    Py_BEGIN_ALLOW_THREADS
    $action
    Py_END_ALLOW_THREADS
}
%exception ferry_model_free {
    Py_BEGIN_ALLOW_THREADS
    $action
    Py_END_ALLOW_THREADS
}

/* ------------------------------------------------------------------------ */
/* What the header offers that Python reaches through the helpers instead.  */

%ignore ferry_error_code;          /* errors never reach Python as objects */
%ignore ferry_error_message;
%ignore ferry_error_free;
%ignore ferry_string;              /* sized bytes: py_tensor_strings */
%ignore ferry_release_fn;
%ignore ferry_tensor_new;          /* py_tensor_wrap, py_tensor_new_strings */
%ignore ferry_tensor_wrap;
%ignore ferry_tensor_dims;         /* py_tensor_dims */
%ignore ferry_tensor_data;         /* py_tensor_address */
%ignore ferry_tensor_strings;      /* py_tensor_strings */
%ignore ferry_tensor_set_string;
%ignore ferry_checkpoint_open;     /* py_checkpoint_open */
%ignore ferry_checkpoint_read_into;/* py_checkpoint_read_into */
%ignore ferry_checkpoint_read_slice;
%ignore ferry_checkpoint_view;     /* see README: a view cannot outlive close() safely */
%ignore ferry_writer_options;
%ignore ferry_checkpoint_writer_new;
%ignore ferry_checkpoint_writer_add_slice;
%ignore ferry_name_pair;
%ignore ferry_model_options;
%ignore ferry_model_load;
%ignore ferry_signature_run;
%ignore ferry_model_run;
%ignore ferry_signature_run_v2;     /* py_signature_run, py_model_run */
%ignore ferry_model_run_v2;
%ignore ferry_run_options;
%ignore FERRY_RUN_OPTIONS_INIT;
%ignore ferry_print_fn;             /* py_model_load's print callable */
%ignore FERRY_WRITER_OPTIONS_INIT;
%ignore FERRY_MODEL_OPTIONS_INIT;
%ignore FERRY_VERSION_NUMBER;
%ignore FERRY_API;
/* Pointer members of the views: the %extend methods below return tuples. */
%ignore ferry_variable_info::dims;
%ignore ferry_tensor_info::dims;
%ignore ferry_node_info::inputs;
%ignore ferry_collection::values;
%ignore ferry_collection::type_urls;
%ignore ferry_collection::ints;
%ignore ferry_collection::floats;

/* Views are borrowed and read-only; Python never makes or frees one. */
%immutable;
%nodefaultctor;
%nodefaultdtor;
%include "ferry/ferry.h"
%clearnodefaultctor;
%clearnodefaultdtor;
%mutable;

%extend ferry_variable_info {
    /* Full shape as a tuple of ints. */
    PyObject *shape() { return fpy_dims_tuple($self->dims, $self->rank, 0); }
}
%extend ferry_tensor_info {
    /* Shape as a tuple with None for unknown dims, or None for unknown rank. */
    PyObject *shape() { return fpy_dims_tuple($self->dims, $self->rank, 1); }
}
%extend ferry_node_info {
    /* Input names ("node", "node:1", "^node") as a tuple of str. */
    PyObject *input_names() {
        PyObject *t = PyTuple_New((Py_ssize_t)$self->input_count);
        for (size_t i = 0; t && i < $self->input_count; i++) {
            PyObject *s = PyUnicode_DecodeUTF8($self->inputs[i], (Py_ssize_t)strlen($self->inputs[i]), "surrogateescape");
            if (!s) {
                Py_CLEAR(t);
                break;
            }
            PyTuple_SET_ITEM(t, (Py_ssize_t)i, s);
        }
        return t;
    }
}
%extend ferry_collection {
    /* The entries of the list that `kind` names: str for NODE_LIST, bytes
     * for BYTES_LIST, int, float, or (type_url, bytes) for ANY_LIST. */
    PyObject *items() {
        PyObject *t = PyTuple_New((Py_ssize_t)$self->count);
        for (size_t i = 0; t && i < $self->count; i++) {
            PyObject *v = NULL;
            switch ($self->kind) {
            case FERRY_COLLECTION_NODE_LIST:
                v = PyUnicode_DecodeUTF8($self->values[i].data, (Py_ssize_t)$self->values[i].size, "surrogateescape");
                break;
            case FERRY_COLLECTION_BYTES_LIST:
                v = PyBytes_FromStringAndSize($self->values[i].data, (Py_ssize_t)$self->values[i].size);
                break;
            case FERRY_COLLECTION_INT64_LIST:
                v = PyLong_FromLongLong($self->ints[i]);
                break;
            case FERRY_COLLECTION_FLOAT_LIST:
                v = PyFloat_FromDouble($self->floats[i]);
                break;
            case FERRY_COLLECTION_ANY_LIST:
                v = Py_BuildValue("(sy#)", $self->type_urls[i], $self->values[i].data, (Py_ssize_t)$self->values[i].size);
                break;
            default:
                v = (Py_INCREF(Py_None), Py_None);
            }
            if (!v) {
                Py_CLEAR(t);
                break;
            }
            PyTuple_SET_ITEM(t, (Py_ssize_t)i, v);
        }
        return t;
    }
}

/* ------------------------------------------------------------------------ */
/* Helpers                                                                   */

%{
static PyObject *fpy_tensors(PyObject *seq, const ferry_tensor ***out, Py_ssize_t expected)
{
    PyObject *tuple = PySequence_Tuple(seq);
    if (!tuple)
        return NULL;
    Py_ssize_t n = PyTuple_GET_SIZE(tuple);
    if (n != expected) {
        Py_DECREF(tuple);
        PyErr_Format(PyExc_ValueError, "%zd names but %zd tensors", expected, n);
        return NULL;
    }
    const ferry_tensor **ts = PyMem_Calloc((size_t)n + 1, sizeof(ferry_tensor *));
    if (!ts) {
        Py_DECREF(tuple);
        PyErr_NoMemory();
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        void *p = NULL;
        if (!SWIG_IsOK(SWIG_ConvertPtr(PyTuple_GET_ITEM(tuple, i), &p, SWIGTYPE_p_ferry_tensor, 0)) || !p) {
            PyMem_Free(ts);
            Py_DECREF(tuple);
            PyErr_SetString(PyExc_TypeError, "expected ferry_tensor handles");
            return NULL;
        }
        ts[i] = p;
    }
    *out = ts;
    return tuple;
}

static PyObject *fpy_tensor_list(ferry_tensor **tensors, size_t n)
{
    PyObject *list = PyList_New((Py_ssize_t)n);
    for (size_t i = 0; list && i < n; i++) {
        PyObject *o = SWIG_NewPointerObj(SWIG_as_voidptr(tensors[i]), SWIGTYPE_p_ferry_tensor, 0);
        if (!o) {
            Py_CLEAR(list);
            for (size_t k = i; k < n; k++)
                ferry_tensor_free(tensors[k]);
            return NULL;
        }
        tensors[i] = NULL;
        PyList_SET_ITEM(list, (Py_ssize_t)i, o);
    }
    if (!list)
        for (size_t k = 0; k < n; k++)
            ferry_tensor_free(tensors[k]);
    return list;
}

static PyObject *fpy_tensor_obj(ferry_tensor *tensor)
{
    PyObject *o = SWIG_NewPointerObj(SWIG_as_voidptr(tensor), SWIGTYPE_p_ferry_tensor, 0);
    if (!o)
        ferry_tensor_free(tensor);
    return o;
}

/* Caller memory behind a wrapped tensor: the Py_buffer keeps the exporting
 * object (a numpy array) alive until Ferry frees the tensor. */
typedef struct fpy_hold {
    Py_buffer view;
} fpy_hold;

static void fpy_release(void *data, void *context)
{
    (void)data;
    PyGILState_STATE gil = PyGILState_Ensure();
    fpy_hold *hold = context;
    PyBuffer_Release(&hold->view);
    PyMem_RawFree(hold);
    PyGILState_Release(gil);
}

/* ---- Bounded runs ------------------------------------------------------ */

/* Print and PrintV2 output for a Python callable, called print(stream, text).
 * Runs release the GIL, so the callback takes it; an exception the callable
 * raises is reported as unraisable and the run goes on. */
static void fpy_print(void *context, const char *stream, const char *text, size_t size)
{
    PyGILState_STATE gil = PyGILState_Ensure();
    PyObject *s = PyUnicode_DecodeUTF8(stream, (Py_ssize_t)strlen(stream), "surrogateescape");
    PyObject *t = s ? PyUnicode_DecodeUTF8(text, (Py_ssize_t)size, "surrogateescape") : NULL;
    PyObject *r = t ? PyObject_CallFunctionObjArgs((PyObject *)context, s, t, NULL) : NULL;
    if (!r)
        PyErr_WriteUnraisable((PyObject *)context);
    Py_XDECREF(r);
    Py_XDECREF(t);
    Py_XDECREF(s);
    PyGILState_Release(gil);
}

/* Ctrl-C during a run on the main thread. A run blocks the main thread in C,
 * where Python's own SIGINT handler only sets a flag; so while such a run is
 * in progress our handler also triggers the run's cancel handle (which is
 * safe in a signal handler), then chains to Python's, and KeyboardInterrupt
 * is raised once the run has returned. Only the main thread arms it, so one
 * run at a time. Without sigaction (Windows) a run is not interrupted. */
#ifdef SA_SIGINFO
static ferry_cancel *volatile fpy_sigint_cancel;
static volatile sig_atomic_t fpy_sigint_seen;
static struct sigaction fpy_sigint_saved;
/* The handle runs without their own cancel use; replaced once triggered. A
 * triggered one is freed at the next arming, never while a handler that
 * fired during its run could still be using it. */
static ferry_cancel *fpy_sigint_own;

static void fpy_on_sigint(int sig, siginfo_t *info, void *context)
{
    fpy_sigint_seen = 1;
    ferry_cancel_trigger(fpy_sigint_cancel);
    if (fpy_sigint_saved.sa_flags & SA_SIGINFO)
        fpy_sigint_saved.sa_sigaction(sig, info, context);
    else if (fpy_sigint_saved.sa_handler != SIG_DFL && fpy_sigint_saved.sa_handler != SIG_IGN)
        fpy_sigint_saved.sa_handler(sig);
}
#endif

typedef struct fpy_bounds {
    ferry_run_options options;
    int armed;
} fpy_bounds;

/* Fills the run options; with `interrupt`, arms the SIGINT handler. Returns
 * -1 with an exception set on failure. Call with the GIL held. */
static int fpy_bounds_begin(fpy_bounds *b, int64_t timeout_ms, ferry_cancel *cancel, int interrupt)
{
    ferry_run_options init = FERRY_RUN_OPTIONS_INIT;
    b->options = init;
    b->options.timeout_ms = timeout_ms;
    b->options.cancel = cancel;
    b->armed = 0;
#ifdef SA_SIGINFO
    if (!interrupt)
        return 0;
    if (!cancel) {
        if (fpy_sigint_own && ferry_cancel_is_triggered(fpy_sigint_own)) {
            ferry_cancel_free(fpy_sigint_own);
            fpy_sigint_own = NULL;
        }
        ferry_error *err = NULL;
        if (!fpy_sigint_own && ferry_cancel_new(&fpy_sigint_own, &err) != FERRY_OK) {
            fpy_raise(err, "ferry_cancel_new");
            return -1;
        }
        b->options.cancel = fpy_sigint_own;
    }
    fpy_sigint_cancel = b->options.cancel;
    fpy_sigint_seen = 0;
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = fpy_on_sigint;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    b->armed = sigaction(SIGINT, &sa, &fpy_sigint_saved) == 0;
    /* A Ctrl-C that came before the handler was armed is pending in Python:
     * raise it now instead of starting a run nothing would stop. */
    if (b->armed && PyErr_CheckSignals() < 0) {
        sigaction(SIGINT, &fpy_sigint_saved, NULL);
        fpy_sigint_cancel = NULL;
        b->armed = 0;
        return -1;
    }
#else
    (void)interrupt;
#endif
    return 0;
}

/* Disarms, then returns the outputs as a list, or NULL with the run's
 * exception set: KeyboardInterrupt when Ctrl-C cancelled it. */
static PyObject *fpy_bounds_end(fpy_bounds *b, ferry_status st, ferry_error *err, ferry_tensor **out, size_t n,
                                const char *where)
{
    int interrupted = 0;
#ifdef SA_SIGINFO
    if (b->armed) {
        sigaction(SIGINT, &fpy_sigint_saved, NULL);
        fpy_sigint_cancel = NULL;
        interrupted = fpy_sigint_seen;
    }
#endif
    if (st == FERRY_OK)
        return fpy_tensor_list(out, n);
    if (interrupted && st == FERRY_ERR_CANCELLED && PyErr_CheckSignals() < 0) {
        ferry_error_free(err);
        return NULL;
    }
    fpy_raise(err, where);
    return NULL;
}

%}

%inline %{
/* Registers factory(code: int, message: str, function: str) -> exception. */
void py_set_error_factory(PyObject *factory)
{
    Py_XINCREF(factory);
    Py_XDECREF(fpy_error_factory);
    fpy_error_factory = factory;
}

/* ferry_checkpoint_open; `path` is str, bytes or os.PathLike. */
PyObject *py_checkpoint_open(PyObject *path)
{
    PyObject *bytes = NULL;
    if (!PyUnicode_FSConverter(path, &bytes))
        return NULL;
    ferry_checkpoint *ckpt = NULL;
    ferry_error *err = NULL;
    ferry_status st;
    Py_BEGIN_ALLOW_THREADS
    st = ferry_checkpoint_open(&ckpt, PyBytes_AS_STRING(bytes), &err);
    Py_END_ALLOW_THREADS
    Py_DECREF(bytes);
    if (st != FERRY_OK) {
        fpy_raise(err, "ferry_checkpoint_open");
        return NULL;
    }
    return SWIG_NewPointerObj(SWIG_as_voidptr(ckpt), SWIGTYPE_p_ferry_checkpoint, 0);
}

/* ferry_checkpoint_read_into: one copy into a writable C-contiguous buffer
 * of exactly the variable's byte size. */
PyObject *py_checkpoint_read_into(const ferry_checkpoint *ckpt, const char *name, PyObject *buffer)
{
    Py_buffer view;
    if (PyObject_GetBuffer(buffer, &view, PyBUF_WRITABLE | PyBUF_C_CONTIGUOUS) != 0)
        return NULL;
    ferry_error *err = NULL;
    ferry_status st;
    Py_BEGIN_ALLOW_THREADS
    st = ferry_checkpoint_read_into(ckpt, name, view.buf, (size_t)view.len, &err);
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&view);
    if (st != FERRY_OK) {
        fpy_raise(err, "ferry_checkpoint_read_into");
        return NULL;
    }
    Py_RETURN_NONE;
}

/* ferry_checkpoint_read_slice: the box [start, start + length); a length of
 * -1 runs to the end of that dim. Returns a new tensor. */
PyObject *py_checkpoint_read_slice(const ferry_checkpoint *ckpt, const char *name, PyObject *start,
                                   PyObject *length)
{
    int64_t s[FERRY_MAX_RANK], l[FERRY_MAX_RANK];
    int rank = fpy_dims(start, s, "start");
    if (rank < 0)
        return NULL;
    int lrank = fpy_dims(length, l, "length");
    if (lrank < 0)
        return NULL;
    if (lrank != rank) {
        PyErr_Format(PyExc_ValueError, "start has %d values but length has %d", rank, lrank);
        return NULL;
    }
    ferry_tensor *t = NULL;
    ferry_error *err = NULL;
    ferry_status st;
    Py_BEGIN_ALLOW_THREADS
    st = ferry_checkpoint_read_slice(&t, ckpt, name, s, l, rank, &err);
    Py_END_ALLOW_THREADS
    if (st != FERRY_OK) {
        fpy_raise(err, "ferry_checkpoint_read_slice");
        return NULL;
    }
    return fpy_tensor_obj(t);
}

/* ferry_checkpoint_writer_new. */
PyObject *py_writer_new(PyObject *prefix, int num_shards, int update_state_file)
{
    PyObject *bytes = NULL;
    if (!PyUnicode_FSConverter(prefix, &bytes))
        return NULL;
    ferry_writer_options options = FERRY_WRITER_OPTIONS_INIT;
    options.num_shards = num_shards;
    options.update_state_file = update_state_file;
    ferry_checkpoint_writer *w = NULL;
    ferry_error *err = NULL;
    ferry_status st;
    Py_BEGIN_ALLOW_THREADS
    st = ferry_checkpoint_writer_new(&w, PyBytes_AS_STRING(bytes), &options, &err);
    Py_END_ALLOW_THREADS
    Py_DECREF(bytes);
    if (st != FERRY_OK) {
        fpy_raise(err, "ferry_checkpoint_writer_new");
        return NULL;
    }
    return SWIG_NewPointerObj(SWIG_as_voidptr(w), SWIGTYPE_p_ferry_checkpoint_writer, 0);
}

/* ferry_checkpoint_writer_add_slice: `slice` holds the box starting at
 * `start` of a variable of shape `full_dims`. */
PyObject *py_writer_add_slice(ferry_checkpoint_writer *writer, const char *name, PyObject *full_dims,
                              PyObject *start, const ferry_tensor *slice)
{
    int64_t d[FERRY_MAX_RANK], s[FERRY_MAX_RANK];
    int rank = fpy_dims(full_dims, d, "full_shape");
    if (rank < 0)
        return NULL;
    int srank = fpy_dims(start, s, "start");
    if (srank < 0)
        return NULL;
    if (srank != rank) {
        PyErr_Format(PyExc_ValueError, "full_shape has %d dims but start has %d", rank, srank);
        return NULL;
    }
    ferry_error *err = NULL;
    ferry_status st;
    Py_BEGIN_ALLOW_THREADS
    st = ferry_checkpoint_writer_add_slice(writer, name, d, rank, s, slice, &err);
    Py_END_ALLOW_THREADS
    if (st != FERRY_OK) {
        fpy_raise(err, "ferry_checkpoint_writer_add_slice");
        return NULL;
    }
    Py_RETURN_NONE;
}

/* ferry_model_load. `tags`: str or None (NULL: the library's default);
 * `checkpoint`: path or None; `restore_map`: sequence of (variable, key)
 * str pairs; `print`: a callable print(stream, text) for Print ops, or None. */
PyObject *py_model_load(PyObject *path, PyObject *tags, PyObject *checkpoint, PyObject *restore_map,
                        int restore_only_mapped, unsigned flags, int intra_op_threads, int64_t memory_limit,
                        int64_t max_graph_nodes, PyObject *print)
{
    PyObject *path_bytes = NULL, *ckpt_bytes = NULL, *pairs = NULL, *result = NULL;
    ferry_name_pair *map = NULL;
    ferry_model_options options = FERRY_MODEL_OPTIONS_INIT;
    if (!PyUnicode_FSConverter(path, &path_bytes))
        goto done;
    if (tags != Py_None && !(options.tags = PyUnicode_AsUTF8(tags)))
        goto done;
    if (checkpoint != Py_None) {
        if (!PyUnicode_FSConverter(checkpoint, &ckpt_bytes))
            goto done;
        options.checkpoint = PyBytes_AS_STRING(ckpt_bytes);
    }
    if (!(pairs = PySequence_Tuple(restore_map)))
        goto done;
    Py_ssize_t n = PyTuple_GET_SIZE(pairs);
    if (!(map = PyMem_Calloc((size_t)n + 1, sizeof(*map)))) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *pair = PyTuple_GET_ITEM(pairs, i);
        if (!PyTuple_Check(pair) || PyTuple_GET_SIZE(pair) != 2) {
            PyErr_SetString(PyExc_TypeError, "restore_map entries must be (variable, key) pairs");
            goto done;
        }
        if (!(map[i].variable = PyUnicode_AsUTF8(PyTuple_GET_ITEM(pair, 0))) ||
            !(map[i].key = PyUnicode_AsUTF8(PyTuple_GET_ITEM(pair, 1))))
            goto done;
    }
    options.restore_map = map;
    options.restore_map_count = (size_t)n;
    options.restore_only_mapped = restore_only_mapped;
    options.flags = flags;
    options.intra_op_threads = intra_op_threads;
    options.memory_limit = memory_limit;
    options.max_graph_nodes = max_graph_nodes;
    if (print != Py_None) {
        /* Borrowed: the Python model keeps `print` alive as long as the C one. */
        options.print = fpy_print;
        options.print_context = print;
    }
    ferry_model *model = NULL;
    ferry_error *err = NULL;
    ferry_status st;
    Py_BEGIN_ALLOW_THREADS
    st = ferry_model_load(&model, PyBytes_AS_STRING(path_bytes), &options, &err);
    Py_END_ALLOW_THREADS
    if (st != FERRY_OK)
        fpy_raise(err, "ferry_model_load");
    else
        result = SWIG_NewPointerObj(SWIG_as_voidptr(model), SWIGTYPE_p_ferry_model, 0);
done:
    PyMem_Free(map);
    Py_XDECREF(pairs);
    Py_XDECREF(ckpt_bytes);
    Py_XDECREF(path_bytes);
    return result;
}

/* ferry_tensor_wrap over any C-contiguous buffer (the caller passes a flat
 * uint8 view of a numpy array); the tensor holds the buffer, and so the
 * array, until it is freed. Ferry never writes to it. */
PyObject *py_tensor_wrap(int dtype, PyObject *dims, PyObject *buffer)
{
    int64_t d[FERRY_MAX_RANK];
    int rank = fpy_dims(dims, d, "shape");
    if (rank < 0)
        return NULL;
    fpy_hold *hold = PyMem_RawMalloc(sizeof(*hold));
    if (!hold)
        return PyErr_NoMemory();
    if (PyObject_GetBuffer(buffer, &hold->view, PyBUF_C_CONTIGUOUS) != 0) {
        PyMem_RawFree(hold);
        return NULL;
    }
    ferry_tensor *t = NULL;
    ferry_error *err = NULL;
    if (ferry_tensor_wrap(&t, (ferry_dtype)dtype, d, rank, hold->view.buf, (size_t)hold->view.len, fpy_release,
                          hold, &err) != FERRY_OK) {
        PyBuffer_Release(&hold->view);
        PyMem_RawFree(hold);
        fpy_raise(err, "ferry_tensor_wrap");
        return NULL;
    }
    return fpy_tensor_obj(t);
}

/* A new STRING tensor of shape `dims` holding `items` (bytes, row-major). */
PyObject *py_tensor_new_strings(PyObject *dims, PyObject *items)
{
    int64_t d[FERRY_MAX_RANK];
    int rank = fpy_dims(dims, d, "shape");
    if (rank < 0)
        return NULL;
    PyObject *fast = PySequence_Fast(items, "string elements must be a sequence");
    if (!fast)
        return NULL;
    ferry_tensor *t = NULL;
    ferry_error *err = NULL;
    if (ferry_tensor_new(&t, FERRY_DT_STRING, d, rank, &err) != FERRY_OK) {
        Py_DECREF(fast);
        fpy_raise(err, "ferry_tensor_new");
        return NULL;
    }
    Py_ssize_t n = PySequence_Fast_GET_SIZE(fast);
    if ((int64_t)n != ferry_tensor_element_count(t)) {
        PyErr_Format(PyExc_ValueError, "%zd string elements for a tensor of %lld", n,
                     (long long)ferry_tensor_element_count(t));
        goto fail;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *item = PySequence_Fast_GET_ITEM(fast, i);
        if (!PyBytes_Check(item)) {
            PyErr_SetString(PyExc_TypeError, "string elements must be bytes");
            goto fail;
        }
        if (ferry_tensor_set_string(t, (int64_t)i, PyBytes_AS_STRING(item), (size_t)PyBytes_GET_SIZE(item), &err) !=
            FERRY_OK) {
            fpy_raise(err, "ferry_tensor_set_string");
            goto fail;
        }
    }
    Py_DECREF(fast);
    return fpy_tensor_obj(t);
fail:
    Py_DECREF(fast);
    ferry_tensor_free(t);
    return NULL;
}

/* The tensor's dims as a tuple of ints. */
PyObject *py_tensor_dims(const ferry_tensor *tensor)
{
    return fpy_dims_tuple(ferry_tensor_dims(tensor), ferry_tensor_rank(tensor), 0);
}

/* Address of a numeric tensor's elements (0 for STRING or no elements). */
PyObject *py_tensor_address(ferry_tensor *tensor)
{
    return PyLong_FromVoidPtr(ferry_tensor_data(tensor));
}

/* The elements of a STRING tensor as a list of bytes (row-major). */
PyObject *py_tensor_strings(const ferry_tensor *tensor)
{
    const ferry_string *s = ferry_tensor_strings(tensor);
    int64_t n = ferry_tensor_element_count(tensor);
    if (!s && n > 0) {
        PyErr_SetString(PyExc_TypeError, "not a string tensor");
        return NULL;
    }
    PyObject *list = PyList_New((Py_ssize_t)n);
    for (int64_t i = 0; list && i < n; i++) {
        PyObject *b = PyBytes_FromStringAndSize(s[i].data, (Py_ssize_t)s[i].size);
        if (!b) {
            Py_CLEAR(list);
            break;
        }
        PyList_SET_ITEM(list, (Py_ssize_t)i, b);
    }
    return list;
}

/* ferry_signature_run: feeds `tensors[i]` to input `names[i]`; returns a
 * list of new tensors, one per signature output in signature order. */
PyObject *py_signature_run(const ferry_signature *sig, PyObject *names, PyObject *tensors, int64_t timeout_ms,
                           ferry_cancel *cancel, int interrupt)
{
    const char **in_names = NULL;
    const ferry_tensor **in = NULL;
    Py_ssize_t n = 0;
    PyObject *held_names = fpy_names(names, &in_names, &n);
    if (!held_names)
        return NULL;
    PyObject *held_tensors = fpy_tensors(tensors, &in, n);
    if (!held_tensors) {
        PyMem_Free(in_names);
        Py_DECREF(held_names);
        return NULL;
    }
    size_t nout = ferry_signature_output_count(sig);
    ferry_tensor **out = PyMem_Calloc(nout + 1, sizeof(ferry_tensor *));
    PyObject *result = NULL;
    fpy_bounds bounds;
    if (!out) {
        PyErr_NoMemory();
    } else if (fpy_bounds_begin(&bounds, timeout_ms, cancel, interrupt) == 0) {
        ferry_error *err = NULL;
        ferry_status st;
        Py_BEGIN_ALLOW_THREADS
        st = ferry_signature_run_v2(out, sig, in_names, in, (size_t)n, &bounds.options, &err);
        Py_END_ALLOW_THREADS
        result = fpy_bounds_end(&bounds, st, err, out, nout, "ferry_signature_run_v2");
    }
    PyMem_Free(out);
    PyMem_Free(in);
    PyMem_Free(in_names);
    Py_DECREF(held_tensors);
    Py_DECREF(held_names);
    return result;
}

/* ferry_model_run: Session.run style; returns a list of new tensors, one
 * per fetch. */
PyObject *py_model_run(const ferry_model *model, PyObject *feed_names, PyObject *feeds, PyObject *fetch_names,
                       PyObject *target_names, int64_t timeout_ms, ferry_cancel *cancel, int interrupt)
{
    const char **fn = NULL, **tn = NULL, **gn = NULL;
    const ferry_tensor **in = NULL;
    ferry_tensor **out = NULL;
    Py_ssize_t nf = 0, nt = 0, ng = 0;
    PyObject *h1 = NULL, *h2 = NULL, *h3 = NULL, *h4 = NULL, *result = NULL;
    if (!(h1 = fpy_names(feed_names, &fn, &nf)) || !(h2 = fpy_tensors(feeds, &in, nf)) ||
        !(h3 = fpy_names(fetch_names, &tn, &nt)) || !(h4 = fpy_names(target_names, &gn, &ng)))
        goto done;
    if (!(out = PyMem_Calloc((size_t)nt + 1, sizeof(ferry_tensor *)))) {
        PyErr_NoMemory();
        goto done;
    }
    fpy_bounds bounds;
    if (fpy_bounds_begin(&bounds, timeout_ms, cancel, interrupt) < 0)
        goto done;
    ferry_error *err = NULL;
    ferry_status st;
    Py_BEGIN_ALLOW_THREADS
    st = ferry_model_run_v2(out, model, fn, in, (size_t)nf, tn, (size_t)nt, gn, (size_t)ng, &bounds.options, &err);
    Py_END_ALLOW_THREADS
    result = fpy_bounds_end(&bounds, st, err, out, (size_t)nt, "ferry_model_run_v2");
done:
    PyMem_Free(out);
    PyMem_Free(gn);
    PyMem_Free(tn);
    PyMem_Free(in);
    PyMem_Free(fn);
    Py_XDECREF(h4);
    Py_XDECREF(h3);
    Py_XDECREF(h2);
    Py_XDECREF(h1);
    return result;
}
%}
