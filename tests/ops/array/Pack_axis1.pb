
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
2
PackPackx0x1*
N*

axis*
T0"ª