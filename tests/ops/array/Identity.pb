
3
x0Placeholder*
shape
:*
dtype0
!
IdentityIdentityx0*
T0"ª