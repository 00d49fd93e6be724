
/
x0Placeholder*
dtype0*
shape:
3
x1Placeholder*
dtype0*
shape
:
3
x2Placeholder*
dtype0*
shape
:
5
SubstrSubstrx0x1x2*
unitBYTE*
T0"ª