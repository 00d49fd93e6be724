
3
x0Placeholder*
dtype0*
shape
:

CosCosx0*
T0"ª