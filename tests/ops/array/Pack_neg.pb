
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
T0	*
N*
axisÿÿÿÿÿÿÿÿÿ"ª