
3
x0Placeholder*
dtype0*
shape
:
3
MatrixDeterminantMatrixDeterminantx0*
T0"ª