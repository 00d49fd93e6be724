
7
x0Placeholder*
dtype0*
shape:
$
IFFT2DIFFT2Dx0*
Tcomplex0"ª