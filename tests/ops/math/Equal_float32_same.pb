
3
x0Placeholder*
shape
:*
dtype0
3
x1Placeholder*
shape
:*
dtype0
?
EqualEqualx0x1*
incompatible_shape_error(*
T0"ª