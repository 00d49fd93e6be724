
-
x0Placeholder*
dtype0*
shape:
<
EnsureShapeEnsureShapex0*
shape
:*
T0"ª