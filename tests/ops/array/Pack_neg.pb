
/
x0Placeholder*
dtype0	*
shape:
/
x1Placeholder*
dtype0	*
shape:
;
PackPackx0x1*
N*
axisÿÿÿÿÿÿÿÿÿ*
T0	"ª