
3
x0Placeholder*
dtype0*
shape
:
/
x1Placeholder*
dtype0*
shape:
E
NotEqualNotEqualx0x1*
T0*
incompatible_shape_error("ª