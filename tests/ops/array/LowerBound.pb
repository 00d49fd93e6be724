
3
x0Placeholder*
dtype0*
shape
:
3
x1Placeholder*
dtype0*
shape
:
9

LowerBound
LowerBoundx0x1*
out_type0*
T0"ª