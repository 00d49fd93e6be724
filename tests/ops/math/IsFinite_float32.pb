
3
x0Placeholder*
shape
:*
dtype0
!
IsFiniteIsFinitex0*
T0"ª