
3
x0Placeholder*
dtype0*
shape
:

IsNanIsNanx0*
T0"ª