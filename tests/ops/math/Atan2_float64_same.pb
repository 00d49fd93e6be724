
3
x0Placeholder*
shape
:*
dtype0
3
x1Placeholder*
shape
:*
dtype0

Atan2Atan2x1x0*
T0"ª