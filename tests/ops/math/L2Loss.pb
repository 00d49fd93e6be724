
3
x0Placeholder*
shape
:*
dtype0

L2LossL2Lossx0*
T0"ª