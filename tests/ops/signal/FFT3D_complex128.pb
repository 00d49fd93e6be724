
;
x0Placeholder*
dtype0*
shape:
"
FFT3DFFT3Dx0*
Tcomplex0"ª