
3
x0Placeholder*
dtype0*
shape
:
 
IFFTIFFTx0*
Tcomplex0"ª