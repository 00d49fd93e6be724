
3
x0Placeholder*
dtype0*
shape
:
!
IsFiniteIsFinitex0*
T0"ª