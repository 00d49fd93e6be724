
3
x0Placeholder*
dtype0
*
shape
:
/
x1Placeholder*
dtype0
*
shape:

	LogicalOr	LogicalOrx0x1"ª