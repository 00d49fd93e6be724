
/
x0Placeholder*
shape:*
dtype0



LogicalNot
LogicalNotx0"ª