
3
x0Placeholder*
dtype0*
shape
:

EluElux0*
T0"ª