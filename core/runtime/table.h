/* Lookup tables (HashTableV2 and friends): keys of int64 or string to
 * values of one dtype, as a hash map owned by the model's state. */
#ifndef FERRY_RUNTIME_TABLE_H
#define FERRY_RUNTIME_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include <ferry/ferry.h>

typedef struct fy_table fy_table;

/* A static table (HashTable) starts uninitialized: lookups fail until an
 * initializer has filled it. Mutable tables start `initialized`, empty. */
fy_table *fy_table_new(ferry_dtype key_dtype, ferry_dtype value_dtype, int initialized);
void fy_table_free(fy_table *t);
void fy_table_set_initialized(fy_table *t);
int fy_table_initialized(const fy_table *t);
/* Why the load could not run the table's initializer (copied; NULL: it did
 * or there was none), for the lookups' errors. 1 when out of memory. */
int fy_table_set_failure(fy_table *t, const char *why);
const char *fy_table_failure(const fy_table *t);
ferry_dtype fy_table_key_dtype(const fy_table *t);
ferry_dtype fy_table_value_dtype(const fy_table *t);
size_t fy_table_size(const fy_table *t);

/* Inserts key -> value, both given as element i of a tensor of the
 * table's dtypes. Returns 0 on success, 1 when out of memory, 2 when the
 * key exists with another value and `replace` is 0. */
int fy_table_insert(fy_table *t, const ferry_tensor *keys, int64_t i, const ferry_tensor *values, int64_t j,
                    int replace);

/* Looks up element i of keys; writes the value into element o of out,
 * or element d of dflt when absent. 0 on success, 1 when out of memory. */
int fy_table_find(const fy_table *t, const ferry_tensor *keys, int64_t i, ferry_tensor *out, int64_t o,
                  const ferry_tensor *dflt, int64_t d);

#endif
