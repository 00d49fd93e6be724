
3
x0Placeholder*
shape
:*
dtype0
!
OnesLikeOnesLikex0*
T0"ª