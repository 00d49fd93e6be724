
3
x0Placeholder*
shape
:*
dtype0

AcosAcosx0*
T0"ª