
3
x0Placeholder*
dtype0*
shape
:
!
DeepCopyDeepCopyx0*
T0"ª