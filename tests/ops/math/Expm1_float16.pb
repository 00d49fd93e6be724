
3
x0Placeholder*
shape
:*
dtype0

Expm1Expm1x0*
T0"ª