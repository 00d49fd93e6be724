
3
x0Placeholder*
shape
:*
dtype0
3
MatrixDeterminantMatrixDeterminantx0*
T0"ª