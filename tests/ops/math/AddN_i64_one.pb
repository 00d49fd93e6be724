
/
x0Placeholder*
shape:*
dtype0	
"
AddNAddNx0*
N*
T0	"ª