
3
x0Placeholder*
shape
:*
dtype0

/
x1Placeholder*
shape:*
dtype0

 

LogicalAnd
LogicalAndx0x1"ª