
3
x0Placeholder*
dtype0*
shape
:
3
x1Placeholder*
dtype0*
shape
:
2
PackPackx0x1*
N*

axis*
T0"ª