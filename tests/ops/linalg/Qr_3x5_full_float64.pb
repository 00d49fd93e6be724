
3
x0Placeholder*
shape
:*
dtype0
*
QrQrx0*
full_matrices(*
T0"ª