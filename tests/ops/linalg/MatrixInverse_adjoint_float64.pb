
7
x0Placeholder*
shape:*
dtype0
:
MatrixInverseMatrixInversex0*
adjoint(*
T0"ª