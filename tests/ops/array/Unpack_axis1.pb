
7
x0Placeholder*
shape:*
dtype0
4
UnpackUnpackx0*	
num*

axis*
T0"ª