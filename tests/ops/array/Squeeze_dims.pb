
7
x0Placeholder*
shape:*
dtype0
?
SqueezeSqueezex0*
squeeze_dims

ÿÿÿÿÿÿÿÿÿ*
T0"ª