
3
x0Placeholder*
shape
:*
dtype0
E
EnsureShapeEnsureShapex0*
shape:ÿÿÿÿÿÿÿÿÿ*
T0"ª