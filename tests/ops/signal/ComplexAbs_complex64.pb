
3
x0Placeholder*
dtype0*
shape
:
1

ComplexAbs
ComplexAbsx0*
T0*

Tout0"ª