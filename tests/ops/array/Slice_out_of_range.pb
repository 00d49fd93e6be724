
7
x0Placeholder*
dtype0*
shape:
/
x1Placeholder*
dtype0*
shape:
/
x2Placeholder*
dtype0*
shape:
0
SliceSlicex0x1x2*
T0*
Index0"ª