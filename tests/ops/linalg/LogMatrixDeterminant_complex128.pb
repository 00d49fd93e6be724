
7
x0Placeholder*
dtype0*
shape:
9
LogMatrixDeterminantLogMatrixDeterminantx0*
T0"ª