
/
x0Placeholder*
shape:*
dtype0	
/
x1Placeholder*
shape:*
dtype0	
;
PackPackx0x1*
N*
axisÿÿÿÿÿÿÿÿÿ*
T0	"ª