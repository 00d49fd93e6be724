
3
x0Placeholder*
shape
:*
dtype0
3
x1Placeholder*
shape
:*
dtype0
:
MatrixSolveMatrixSolvex0x1*
T0*
adjoint("ª