
3
x0Placeholder*
shape
:*
dtype0

ExpExpx0*
T0"ª