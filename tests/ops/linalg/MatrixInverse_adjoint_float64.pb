
7
x0Placeholder*
dtype0*
shape:
:
MatrixInverseMatrixInversex0*
T0*
adjoint("ª