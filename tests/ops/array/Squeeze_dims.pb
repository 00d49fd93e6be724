
7
x0Placeholder*
dtype0*
shape:
?
SqueezeSqueezex0*
T0*
squeeze_dims

ÿÿÿÿÿÿÿÿÿ"ª