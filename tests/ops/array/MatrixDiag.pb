
3
x0Placeholder*
shape
:*
dtype0
%

MatrixDiag
MatrixDiagx0*
T0"ª