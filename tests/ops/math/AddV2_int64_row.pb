
3
x0Placeholder*
dtype0	*
shape
:
/
x1Placeholder*
dtype0	*
shape:

AddV2AddV2x0x1*
T0	"ª