
3
x0Placeholder*
dtype0*
shape
:
%
RealRealx0*
T0*

Tout0"ª