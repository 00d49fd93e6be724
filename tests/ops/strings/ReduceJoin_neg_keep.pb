
3
x0Placeholder*
dtype0*
shape
:
9
c1Const*
valueB:
ÿÿÿÿÿÿÿÿÿ*
dtype0
C

ReduceJoin
ReduceJoinx0c1*
	separator|*
	keep_dims("ª