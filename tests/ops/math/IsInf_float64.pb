
3
x0Placeholder*
dtype0*
shape
:

IsInfIsInfx0*
T0"ª