
3
x0Placeholder*
dtype0*
shape
:
E
EnsureShapeEnsureShapex0*
shape:ÿÿÿÿÿÿÿÿÿ*
T0"ª