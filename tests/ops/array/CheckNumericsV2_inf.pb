
/
x0Placeholder*
dtype0*
shape:
C
CheckNumericsV2CheckNumericsV2x0*
T0*
messagebad y"ª