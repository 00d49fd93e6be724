
7
x0Placeholder*
shape:*
dtype0
/
x1Placeholder*
shape:*
dtype0
1
ReshapeReshapex0x1*
Tshape0*
T0"ª