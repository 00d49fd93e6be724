
3
x0Placeholder*
dtype0*
shape
:
3
x1Placeholder*
dtype0*
shape
:
:
MatrixSolveMatrixSolvex0x1*
adjoint(*
T0"ª