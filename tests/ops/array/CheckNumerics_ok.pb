
/
x0Placeholder*
dtype0*
shape:
;
CheckNumericsCheckNumericsx0*
messagem*
T0"ª