
3
x0Placeholder*
dtype0*
shape
:

ExpExpx0*
T0"ª