
7
x0Placeholder*
dtype0*
shape:
/
x1Placeholder*
dtype0*
shape:
:
ShapeNShapeNx0x1*
out_type0*
T0*
N"ª