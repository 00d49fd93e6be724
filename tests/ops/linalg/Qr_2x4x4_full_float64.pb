
7
x0Placeholder*
dtype0*
shape:
*
QrQrx0*
full_matrices(*
T0"ª