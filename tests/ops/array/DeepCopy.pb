
3
x0Placeholder*
shape
:*
dtype0
!
DeepCopyDeepCopyx0*
T0"ª