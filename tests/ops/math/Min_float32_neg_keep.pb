
7
x0Placeholder*
dtype0*
shape:
9
c1Const*
valueB:
ÿÿÿÿÿÿÿÿÿ*
dtype0
8
MinMinx0c1*
T0*

Tidx0*
	keep_dims("ª