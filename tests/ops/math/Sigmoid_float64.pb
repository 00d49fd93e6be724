
3
x0Placeholder*
dtype0*
shape
:

SigmoidSigmoidx0*
T0"ª