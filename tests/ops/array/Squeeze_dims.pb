
7
x0Placeholder*
shape:*
dtype0
?
SqueezeSqueezex0*
T0*
squeeze_dims

ÿÿÿÿÿÿÿÿÿ"ª