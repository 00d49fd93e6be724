
3
x0Placeholder*
shape
:*
dtype0
9
c1Const*
dtype0*
valueB:
ÿÿÿÿÿÿÿÿÿ
C

ReduceJoin
ReduceJoinx0c1*
	separator|*
	keep_dims("ª