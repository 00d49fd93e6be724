
3
x0Placeholder*
dtype0*
shape
:
!
IdentityIdentityx0*
T0"ª