
3
x0Placeholder*
shape
:*
dtype0

InvInvx0*
T0"ª