
7
x0Placeholder*
shape:*
dtype0
9
c1Const*
dtype0*
valueB:
ÿÿÿÿÿÿÿÿÿ
8
SumSumx0c1*

Tidx0*
	keep_dims(*
T0"ª