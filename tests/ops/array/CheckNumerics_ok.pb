
/
x0Placeholder*
shape:*
dtype0
;
CheckNumericsCheckNumericsx0*
messagem*
T0"ª