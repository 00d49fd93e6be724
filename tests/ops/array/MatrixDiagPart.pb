
7
x0Placeholder*
dtype0*
shape:
-
MatrixDiagPartMatrixDiagPartx0*
T0"ª