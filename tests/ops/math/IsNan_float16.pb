
3
x0Placeholder*
shape
:*
dtype0

IsNanIsNanx0*
T0"ª