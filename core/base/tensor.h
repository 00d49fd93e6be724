/* The tensor object behind ferry_tensor. */
#ifndef FERRY_BASE_TENSOR_H
#define FERRY_BASE_TENSOR_H

#include <stdatomic.h>

#include <ferry/ferry.h>

/* Something kernels derive from a lasting tensor and keep with it (a
 * packed copy of weights): freed with the tensor through its own `free`. */
typedef struct fy_derived {
    void (*free)(struct fy_derived *d);
} fy_derived;

struct ferry_tensor {
    ferry_dtype dtype;
    int rank;
    int64_t dims[FERRY_MAX_RANK];
    int64_t count;           /* element count */
    size_t nbytes;           /* bytes of `data` for fixed-size dtypes */
    void *data;              /* elements; ferry_string[count] for STRING */
    ferry_release_fn release;/* set for tensors over caller memory */
    void *release_context;
    int wrapped;             /* data belongs to the caller */
    struct fy_arena_run *arena; /* data planned by a run's arena (base/arena.h) */
    int arena_slot;
    /* Set by the runtime on tensors it keeps unchanged across runs (constants,
     * variables' values): kernels may derive data from these once and keep it
     * in `derived`, made on first use, set once (atomically), freed with the tensor. */
    int lasting;
    _Atomic(fy_derived *) derived;
    struct fy_budget *budget;  /* the model budget nbytes were charged to, or NULL */
    int64_t *list_shape;       /* lists: their items' declared shape, rank first (owned); NULL: unknown */
};

/* Gives a charged tensor's bytes back to its budget (when it leaves the
 * model: handed to the caller). */
void fy_tensor_uncharge(ferry_tensor *t);

/* Element count of a shape, or -1 when a dim is negative, the rank is out of
 * range, or the count (or count x elem_size) would overflow. */
int64_t fy_shape_count(const int64_t *dims, int rank, size_t elem_size);

/* ferry_tensor_new without the public-API argument checks' messages. */
ferry_status fy_tensor_new(ferry_tensor **out, ferry_dtype dtype, const int64_t *dims, int rank,
                           ferry_error **err);

/* fy_tensor_new with the bytes from a run's arena (none when r is NULL),
 * left unwritten unless `zero` (strings and lists are always set empty). */
ferry_status fy_tensor_new_planned(ferry_tensor **out, struct fy_arena_run *r, ferry_dtype dtype,
                                   const int64_t *dims, int rank, int zero, ferry_error **err);

/* Sets string element i to a copy of the bytes; the tensor must be STRING. */
ferry_status fy_tensor_set_string(ferry_tensor *t, int64_t i, const void *data, size_t size,
                                  ferry_error **err);

/* A TensorList: a VARIANT vector whose data is `count` owned item tensors
 * (NULL while unset). Only the runtime makes these; they never leave it. */
ferry_status fy_tensor_new_list(ferry_tensor **out, int64_t count, ferry_error **err);

/* Item i of a list (borrowed), or NULL when unset. */
static inline ferry_tensor *fy_list_item(const ferry_tensor *list, int64_t i)
{
    return ((ferry_tensor **)list->data)[i];
}

/* A list's declared item shape into dims (FERRY_MAX_RANK): its rank, or -1
 * when unknown; dims of -1 are unknown. */
int fy_list_shape(const ferry_tensor *list, int64_t *dims);

/* Declares a list's item shape (rank -1: unknown). */
ferry_status fy_list_set_shape(ferry_tensor *list, const int64_t *dims, int rank, ferry_error **err);

/* A deep copy (strings and list items included) owned by the library. */
ferry_status fy_tensor_copy(ferry_tensor **out, const ferry_tensor *src, ferry_error **err);

/* Formats a shape as "[2,3]" / "[]" into buf. */
void fy_shape_format(char *buf, size_t cap, const int64_t *dims, int rank);

#endif
