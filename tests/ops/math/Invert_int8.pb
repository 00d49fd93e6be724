
/
x0Placeholder*
shape:*
dtype0

InvertInvertx0*
T0"ª