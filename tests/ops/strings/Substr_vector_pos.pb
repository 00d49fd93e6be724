
/
x0Placeholder*
dtype0*
shape:
/
x1Placeholder*
dtype0*
shape:
/
x2Placeholder*
dtype0*
shape:
:
SubstrSubstrx0x1x2*
unit	UTF8_CHAR*
T0"ª