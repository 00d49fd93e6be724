
3
x0Placeholder*
shape
:*
dtype0

IsInfIsInfx0*
T0"ª