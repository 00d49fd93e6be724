
3
x0Placeholder*
shape
:*
dtype0
*
QrQrx0*
T0*
full_matrices("ª