
3
x0Placeholder*
dtype0*
shape
:
E
EnsureShapeEnsureShapex0*
T0*
shape:ÿÿÿÿÿÿÿÿÿ"ª