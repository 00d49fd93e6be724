
7
x0Placeholder*
dtype0*
shape:
9
ShapeShapex0*
out_type0*
T0:íÏ"ª