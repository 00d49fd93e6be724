
-
x0Placeholder*
shape:*
dtype0
-
x1Placeholder*
shape:*
dtype0
-
x2Placeholder*
dtype0*
shape:
?
MatrixSolveLsMatrixSolveLsx0x1x2*

fast(*
T0"ª