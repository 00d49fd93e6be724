
3
x0Placeholder*
shape
:*
dtype0

TanTanx0*
T0"ª