
7
x0Placeholder*
dtype0*
shape:
"
FFT2DFFT2Dx0*
Tcomplex0"ª