#!/usr/bin/env python3
"""Fits the polynomials of Ferry's float erfc (core/kernels/fast_math_body.h)
and prints them as C. Needs numpy; run with any Python 3:
    python3 scripts/fit_erfc.py

erfc(x), a = |x|:
  a < 0.5        1 - x * P(x^2)            P ~ erf(x) / x
  0.5 <= a < 2   e^(-a^2) * G(1 / (a + 1))  G ~ erfc(a) e^(a^2)
  2 <= a         e^(-a^2) * H(1 / a^2) / a  H ~ a erfc(a) e^(a^2)
Each is a weighted least-squares fit on Chebyshev nodes for relative error,
in double, then rounded to float; the error printed is with float
coefficients, evaluated in double."""
import math

import numpy as np


def fit(f, lo, hi, degree, var):
    k = np.arange(4000)
    x = (lo + hi) / 2 + (hi - lo) / 2 * np.cos((2 * k + 1) * np.pi / 8000)
    y = np.array([f(v) for v in x])
    coeffs, *_ = np.linalg.lstsq(np.vander(var(x), degree + 1) / y[:, None], np.ones_like(y), rcond=None)
    coeffs = coeffs.astype(np.float32)
    xs = np.linspace(lo, hi, 40001)
    err = np.max(np.abs(np.polyval(coeffs.astype(np.float64), var(xs)) / np.array([f(v) for v in xs]) - 1))
    return coeffs, err


def show(name, coeffs, err):
    print("/* %s: highest power first; relative error %.1e */" % (name, err))
    print("static const float %s[%d] = { %s };" % (name, len(coeffs), ", ".join("%.9ef" % c for c in coeffs)))


show("fy_erfc_p", *fit(lambda x: math.erf(x) / x, 1e-6, 0.5, 4, lambda x: x * x))
show("fy_erfc_g", *fit(lambda x: math.erfc(x) * math.exp(x * x), 0.5, 2.0, 8, lambda x: 1 / (x + 1)))
show("fy_erfc_h", *fit(lambda x: x * math.erfc(x) * math.exp(x * x), 2.0, 10.1, 8, lambda x: 1 / (x * x)))

# The first float whose erfc rounds to zero (below half the least subnormal).
x = np.float32(10.0)
while math.erfc(float(x)) >= 2.0 ** -150:
    x = np.nextafter(x, np.float32(11))
print("/* erfc(x) rounds to 0 from here on */\n#define FY_ERFC_ZERO_FROM %.9ef" % x)
