
3
x0Placeholder*
shape
:*
dtype0

RintRintx0*
T0"ª