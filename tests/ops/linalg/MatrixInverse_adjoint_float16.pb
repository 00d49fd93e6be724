
3
x0Placeholder*
dtype0*
shape
:
:
MatrixInverseMatrixInversex0*
adjoint(*
T0"ª