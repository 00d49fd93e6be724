/* Philox4x32-10, the counter-based generator of Salmon et al. (SC'11) that
 * TensorFlow's random ops use on CPU, and the ways TF turns its 32-bit
 * outputs into floats. Same key and counter, same bits as TF. */
#ifndef FERRY_KERNELS_PHILOX_H
#define FERRY_KERNELS_PHILOX_H

#include <stdint.h>

typedef struct fy_philox {
    uint32_t key[2];
    uint32_t counter[4];
} fy_philox;

/* The next four outputs; the counter moves on by one. */
void fy_philox_next(fy_philox *g, uint32_t out[4]);

/* Moves the counter on by n (n calls of fy_philox_next). */
void fy_philox_skip(fy_philox *g, uint64_t n);

/* TF's stateless seeding: a [2] seed scrambled into a key and counter. */
void fy_philox_from_seed(fy_philox *g, uint64_t seed0, uint64_t seed1);

/* Uniform in [0, 1) from the low bits, as TF makes them: a mantissa under
 * the exponent of 1.0, minus 1. */
float fy_philox_float(uint32_t x);
double fy_philox_double(uint32_t hi, uint32_t lo);
uint16_t fy_philox_half(uint32_t x);     /* float16 bits */
uint16_t fy_philox_bfloat16(uint32_t x); /* bfloat16 bits */

/* Box-Muller: two normal samples from two uniform ones. */
void fy_philox_normal_f32(uint32_t x0, uint32_t x1, float *f0, float *f1);
void fy_philox_normal_f64(const uint32_t x[4], double *d0, double *d1);

#endif
