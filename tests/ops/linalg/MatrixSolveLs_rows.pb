
-
x0Placeholder*
shape:*
dtype0
-
x1Placeholder*
dtype0*
shape:
-
x2Placeholder*
shape:*
dtype0
?
MatrixSolveLsMatrixSolveLsx0x1x2*

fast(*
T0"ª