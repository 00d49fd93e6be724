
3
x0Placeholder*
shape
:*
dtype0

AsinAsinx0*
T0"ª