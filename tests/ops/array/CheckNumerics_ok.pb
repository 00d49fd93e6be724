
/
x0Placeholder*
dtype0*
shape:
;
CheckNumericsCheckNumericsx0*
T0*
messagem"ª