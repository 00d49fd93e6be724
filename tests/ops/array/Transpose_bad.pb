
7
x0Placeholder*
dtype0*
shape:
/
x1Placeholder*
dtype0*
shape:
4
	Transpose	Transposex0x1*
T0*
Tperm0"ª