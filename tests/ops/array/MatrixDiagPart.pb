
7
x0Placeholder*
shape:*
dtype0
-
MatrixDiagPartMatrixDiagPartx0*
T0"ª