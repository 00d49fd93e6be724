
3
x0Placeholder*
shape
:*
dtype0

ReluRelux0*
T0"ª