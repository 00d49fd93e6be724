"""Complex numbers and Fourier transforms (core/kernels/complex.c, fft.c):
power-of-two and other lengths, 1-3 dims, crops and pads of fft_length."""
import numpy as np

from opcase import C, arr, case, raw, rand

F = "signal"


def cplx(shape, dt, seed):
    r = np.random.RandomState(seed)
    return (r.uniform(-1, 1, shape) + 1j * r.uniform(-1, 1, shape)).astype(dt)


case(F, "Complex_f32", lambda a, b: raw.Complex(real=a, imag=b), [rand((2, 3), np.float32, 1), rand((3,), np.float32, 2)])
case(F, "Complex_f64", lambda a, b: raw.Complex(real=a, imag=b, Tout="complex128"),
     [rand((4,), np.float64, 3), rand((4,), np.float64, 4)])
for dt in (np.complex64, np.complex128):
    z = cplx((2, 5), dt, 5)
    tout = "float32" if dt == np.complex64 else "float64"
    for op in ("Real", "Imag", "Angle"):
        case(F, "%s_%s" % (op, np.dtype(dt).name), lambda x, op=op, t=tout: getattr(raw, op)(input=x, Tout=t), [z])
    case(F, "ComplexAbs_%s" % np.dtype(dt).name, lambda x, t=tout: raw.ComplexAbs(x=x, Tout=t), [z])
    case(F, "Conj_%s" % np.dtype(dt).name, lambda x: raw.Conj(input=x), [z])

TOL = dict(rtol=1e-4, atol=1e-4)
for dt in (np.complex64, np.complex128):
    tag = np.dtype(dt).name
    for n in (1, 8, 12, 7):
        z = cplx((3, n), dt, 10 + n)
        case(F, "FFT_%s_%d" % (tag, n), lambda x: raw.FFT(input=x), [z], **TOL)
        case(F, "IFFT_%s_%d" % (tag, n), lambda x: raw.IFFT(input=x), [z], **TOL)
    z2 = cplx((2, 4, 6), dt, 30)
    case(F, "FFT2D_" + tag, lambda x: raw.FFT2D(input=x), [z2], **TOL)
    case(F, "IFFT2D_" + tag, lambda x: raw.IFFT2D(input=x), [z2], **TOL)
    z3 = cplx((2, 3, 4, 5), dt, 31)
    case(F, "FFT3D_" + tag, lambda x: raw.FFT3D(input=x), [z3], **TOL)
    case(F, "IFFT3D_" + tag, lambda x: raw.IFFT3D(input=x), [z3], **TOL)
for rdt, cdt in ((np.float32, "complex64"), (np.float64, "complex128")):
    tag = np.dtype(rdt).name
    x = rand((2, 10), rdt, 40)
    for n in (10, 8, 13, 1):
        case(F, "RFFT_%s_%d" % (tag, n), lambda a, l, c=cdt: raw.RFFT(input=a, fft_length=l, Tcomplex=c),
             [x, C(arr([n], np.int32))], **TOL)
    spec = cplx((2, 6), cdt, 41)
    for n in (10, 11, 8, 4):
        case(F, "IRFFT_%s_%d" % (tag, n), lambda a, l, t=tag: raw.IRFFT(input=a, fft_length=l, Treal=t),
             [spec, C(arr([n], np.int32))], **TOL)
    x2 = rand((2, 6, 8), rdt, 42)
    case(F, "RFFT2D_" + tag, lambda a, l, c=cdt: raw.RFFT2D(input=a, fft_length=l, Tcomplex=c),
         [x2, C(arr([6, 8], np.int32))], **TOL)
    case(F, "RFFT2D_pad_" + tag, lambda a, l, c=cdt: raw.RFFT2D(input=a, fft_length=l, Tcomplex=c),
         [x2, C(arr([7, 5], np.int32))], **TOL)
    spec2 = cplx((2, 6, 5), cdt, 43)
    case(F, "IRFFT2D_" + tag, lambda a, l, t=tag: raw.IRFFT2D(input=a, fft_length=l, Treal=t),
         [spec2, C(arr([6, 8], np.int32))], **TOL)
    x3 = rand((1, 3, 4, 6), rdt, 44)
    case(F, "RFFT3D_" + tag, lambda a, l, c=cdt: raw.RFFT3D(input=a, fft_length=l, Tcomplex=c),
         [x3, C(arr([3, 4, 6], np.int32))], **TOL)
    spec3 = cplx((1, 3, 4, 4), cdt, 45)
    case(F, "IRFFT3D_" + tag, lambda a, l, t=tag: raw.IRFFT3D(input=a, fft_length=l, Treal=t),
         [spec3, C(arr([3, 4, 6], np.int32))], **TOL)
case(F, "FFT_empty", lambda x: raw.FFT(input=x), [np.zeros((0, 4), np.complex64)])
case(F, "IRFFT_short_input", lambda a, l: raw.IRFFT(input=a, fft_length=l),
     [cplx((2, 3), np.complex64, 46), C(arr([8], np.int32))])
