
-
x0Placeholder*
dtype0*
shape:
-
x1Placeholder*
dtype0*
shape:
-
x2Placeholder*
dtype0*
shape:
?
MatrixSolveLsMatrixSolveLsx0x1x2*

fast(*
T0"ª