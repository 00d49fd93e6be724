
3
x0Placeholder*
shape
:*
dtype0
:
MatrixInverseMatrixInversex0*
T0*
adjoint("ª