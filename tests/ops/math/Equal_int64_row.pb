
3
x0Placeholder*
dtype0	*
shape
:
/
x1Placeholder*
dtype0	*
shape:
?
EqualEqualx0x1*
T0	*
incompatible_shape_error("ª