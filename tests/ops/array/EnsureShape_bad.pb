
-
x0Placeholder*
shape:*
dtype0
<
EnsureShapeEnsureShapex0*
shape
:*
T0"ª