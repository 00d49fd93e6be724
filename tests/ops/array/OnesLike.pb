
3
x0Placeholder*
dtype0*
shape
:
!
OnesLikeOnesLikex0*
T0"ª