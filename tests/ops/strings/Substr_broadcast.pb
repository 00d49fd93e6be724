
/
x0Placeholder*
shape:*
dtype0
3
x1Placeholder*
shape
:*
dtype0
3
x2Placeholder*
shape
:*
dtype0
5
SubstrSubstrx0x1x2*
unitBYTE*
T0"ª