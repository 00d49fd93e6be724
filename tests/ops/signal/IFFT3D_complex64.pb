
;
x0Placeholder*
dtype0*
shape:
$
IFFT3DIFFT3Dx0*
Tcomplex0"ª