
/
x0Placeholder*
shape:*
dtype0

WhereWherex0*
T0"ª