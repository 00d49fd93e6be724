
7
x0Placeholder*
dtype0*
shape:

SoftmaxSoftmaxx0*
T0"ª