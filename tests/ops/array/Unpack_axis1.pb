
7
x0Placeholder*
dtype0*
shape:
4
UnpackUnpackx0*	
num*

axis*
T0"ª