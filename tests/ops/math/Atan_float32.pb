
3
x0Placeholder*
shape
:*
dtype0

AtanAtanx0*
T0"ª