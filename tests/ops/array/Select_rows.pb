
/
x0Placeholder*
dtype0
*
shape:
3
x1Placeholder*
dtype0*
shape
:
3
x2Placeholder*
dtype0*
shape
:
%
SelectSelectx0x1x2*
T0"ª