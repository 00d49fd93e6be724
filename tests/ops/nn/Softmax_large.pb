
3
x0Placeholder*
shape
:*
dtype0

SoftmaxSoftmaxx0*
T0"ª