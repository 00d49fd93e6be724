
;
x0Placeholder*
shape:*
dtype0
!
CholeskyCholeskyx0*
T0"ª