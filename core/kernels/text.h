/* Small facts about text shared by the string kernels. */
#ifndef FERRY_KERNELS_TEXT_H
#define FERRY_KERNELS_TEXT_H

#include <stddef.h>

/* ASCII whitespace as C's isspace in the "C" locale, which TF's string ops use. */
static inline int fy_is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

/* [*from, *to) of s without the whitespace around it. */
static inline void fy_trim_space(const char *s, size_t n, size_t *from, size_t *to)
{
    size_t a = 0, b = n;
    while (a < b && fy_is_space(s[a]))
        a++;
    while (b > a && fy_is_space(s[b - 1]))
        b--;
    *from = a;
    *to = b;
}

#endif
