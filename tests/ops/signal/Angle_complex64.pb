
3
x0Placeholder*
dtype0*
shape
:
'
AngleAnglex0*
T0*

Tout0"ª