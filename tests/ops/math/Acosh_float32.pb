
3
x0Placeholder*
shape
:*
dtype0

AcoshAcoshx0*
T0"ª