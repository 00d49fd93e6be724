
/
x0Placeholder*
dtype0*
shape:
C
CheckNumericsV2CheckNumericsV2x0*
messagebad y*
T0"ª