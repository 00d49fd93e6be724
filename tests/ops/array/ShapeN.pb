
7
x0Placeholder*
shape:*
dtype0
/
x1Placeholder*
shape:*
dtype0
:
ShapeNShapeNx0x1*
out_type0*
N*
T0"ª