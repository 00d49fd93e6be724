
3
x0Placeholder*
shape
:*
dtype0

LgammaLgammax0*
T0"ª