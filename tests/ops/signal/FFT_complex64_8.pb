
3
x0Placeholder*
dtype0*
shape
:

FFTFFTx0*
Tcomplex0"ª