
3
x0Placeholder*
dtype0*
shape
:

LgammaLgammax0*
T0"ª