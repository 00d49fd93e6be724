
3
x0Placeholder*
shape
:*
dtype0
9
LogMatrixDeterminantLogMatrixDeterminantx0*
T0"ª