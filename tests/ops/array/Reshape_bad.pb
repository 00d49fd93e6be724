
7
x0Placeholder*
dtype0*
shape:
/
x1Placeholder*
dtype0*
shape:
1
ReshapeReshapex0x1*
T0*
Tshape0"ª