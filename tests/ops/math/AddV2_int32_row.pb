
3
x0Placeholder*
shape
:*
dtype0
/
x1Placeholder*
shape:*
dtype0

AddV2AddV2x0x1*
T0"ª