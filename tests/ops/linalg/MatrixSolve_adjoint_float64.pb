
7
x0Placeholder*
shape:*
dtype0
7
x1Placeholder*
shape:*
dtype0
:
MatrixSolveMatrixSolvex0x1*
T0*
adjoint("ª