
3
x0Placeholder*
dtype0*
shape
:
%

MatrixDiag
MatrixDiagx0*
T0"ª