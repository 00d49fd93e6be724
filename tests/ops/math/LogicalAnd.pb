
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
 

LogicalAnd
LogicalAndx0x1"ª