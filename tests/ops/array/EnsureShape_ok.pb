
3
x0Placeholder*
shape
:*
dtype0
E
EnsureShapeEnsureShapex0*
T0*
shape:ÿÿÿÿÿÿÿÿÿ"ª