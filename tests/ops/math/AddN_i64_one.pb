
/
x0Placeholder*
dtype0	*
shape:
"
AddNAddNx0*
T0	*
N"ª