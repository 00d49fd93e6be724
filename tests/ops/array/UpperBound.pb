
3
x0Placeholder*
shape
:*
dtype0
3
x1Placeholder*
shape
:*
dtype0
9

UpperBound
UpperBoundx0x1*
out_type0*
T0"ª