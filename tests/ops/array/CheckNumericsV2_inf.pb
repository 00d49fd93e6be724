
/
x0Placeholder*
shape:*
dtype0
C
CheckNumericsV2CheckNumericsV2x0*
messagebad y*
T0"ª