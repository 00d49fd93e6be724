
3
x0Placeholder*
shape
:*
dtype0

SigmoidSigmoidx0*
T0"ª