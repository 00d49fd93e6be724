
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
SumSumx0c1*
T0*
	keep_dims(*

Tidx0"ª