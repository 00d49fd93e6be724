
3
x0Placeholder*
shape
:*
dtype0
3
x1Placeholder*
shape
:*
dtype0
3
x2Placeholder*
shape
:*
dtype0
*
AddNAddNx0x1x2*
N*
T0"ª