
/
x0Placeholder*
shape:*
dtype0	
"
AddNAddNx0*
T0	*
N"ª