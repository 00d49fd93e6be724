
7
x0Placeholder*
shape:*
dtype0
/
x1Placeholder*
shape:*
dtype0
/
x2Placeholder*
shape:*
dtype0
0
SliceSlicex0x1x2*
Index0*
T0"ª