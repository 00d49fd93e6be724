
7
x0Placeholder*
shape:*
dtype0
/
x1Placeholder*
shape:*
dtype0
4
	Transpose	Transposex0x1*
Tperm0*
T0"ª