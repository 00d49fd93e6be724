
/
x0Placeholder*
shape:*
dtype0
/
x1Placeholder*
shape:*
dtype0
/
x2Placeholder*
shape:*
dtype0	
/
x3Placeholder*
shape:*
dtype0	
@
DynamicStitchDynamicStitchx0x1x2x3*
N*
T0	"ª