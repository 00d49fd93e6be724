
3
x0Placeholder*
shape
:*
dtype0

SinhSinhx0*
T0"ª