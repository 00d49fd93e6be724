
3
x0Placeholder*
shape
:*
dtype0

CoshCoshx0*
T0"ª