
7
x0Placeholder*
dtype0*
shape:
4
UnpackUnpackx0*	
num*
T0*

axis"ª