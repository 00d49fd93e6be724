
7
x0Placeholder*
shape:*
dtype0
4
UnpackUnpackx0*
T0*	
num*

axis"ª