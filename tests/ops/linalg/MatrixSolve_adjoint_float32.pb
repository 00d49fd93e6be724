
7
x0Placeholder*
dtype0*
shape:
7
x1Placeholder*
shape:*
dtype0
:
MatrixSolveMatrixSolvex0x1*
adjoint(*
T0"ª