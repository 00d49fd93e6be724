
/
x0Placeholder*
dtype0*
shape:
/
x1Placeholder*
shape:*
dtype0
/
x2Placeholder*
shape:*
dtype0
:
SubstrSubstrx0x1x2*
T0*
unit	UTF8_CHAR"ª