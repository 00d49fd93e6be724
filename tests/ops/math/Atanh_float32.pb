
3
x0Placeholder*
shape
:*
dtype0

AtanhAtanhx0*
T0"ª