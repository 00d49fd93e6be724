
3
x0Placeholder*
dtype0*
shape
:
*
QrQrx0*
T0*
full_matrices("ª