
-
x0Placeholder*
dtype0*
shape:
<
EnsureShapeEnsureShapex0*
T0*
shape
:"ª