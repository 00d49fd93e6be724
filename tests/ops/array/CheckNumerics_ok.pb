
/
x0Placeholder*
shape:*
dtype0
;
CheckNumericsCheckNumericsx0*
T0*
messagem"ª