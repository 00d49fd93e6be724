
3
x0Placeholder*
dtype0*
shape
:

L2LossL2Lossx0*
T0"ª