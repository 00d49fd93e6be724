
/
x0Placeholder*
shape:*
dtype0
?
CheckNumericsCheckNumericsx0*
messagebad x*
T0"ª