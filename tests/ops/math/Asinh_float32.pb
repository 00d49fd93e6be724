
3
x0Placeholder*
shape
:*
dtype0

AsinhAsinhx0*
T0"ª