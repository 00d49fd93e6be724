
/
x0Placeholder*
dtype0
*
shape:


LogicalNot
LogicalNotx0"ª