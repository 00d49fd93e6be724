
3
x0Placeholder*
dtype0*
shape
:

RsqrtRsqrtx0*
T0"ª