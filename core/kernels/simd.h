/* Vector paths for the few loops the compiler does not vectorize well on its
 * own. SSE is part of every x86-64 CPU and of the baseline build. AVX-512
 * paths are compiled for that target alone, where the compiler can (GCC and
 * Clang on x86-64), and taken when the CPU running them has it; everywhere
 * else the plain C loops run. All paths do the same float operations in the
 * same order, so results do not depend on the CPU. */
#ifndef FERRY_KERNELS_SIMD_H
#define FERRY_KERNELS_SIMD_H

#ifdef __SSE__
#include <xmmintrin.h>
#endif

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define FY_AVX512 1
#define FY_TARGET_AVX512 __attribute__((target("avx512f")))
/* Whether this CPU runs AVX-512F (and the OS saves its registers). */
static inline int fy_cpu_has_avx512(void)
{
    return __builtin_cpu_supports("avx512f");
}
#endif

#endif
