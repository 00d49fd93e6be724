
7
x0Placeholder*
dtype0*
shape:
?
SqueezeSqueezex0*
squeeze_dims

ÿÿÿÿÿÿÿÿÿ*
T0"ª