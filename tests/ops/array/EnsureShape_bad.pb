
-
x0Placeholder*
shape:*
dtype0
<
EnsureShapeEnsureShapex0*
T0*
shape
:"ª