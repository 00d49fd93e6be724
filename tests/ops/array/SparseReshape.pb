
3
x0Placeholder*
dtype0	*
shape
:
/
x1Placeholder*
dtype0	*
shape:
/
x2Placeholder*
dtype0	*
shape:
*
SparseReshapeSparseReshapex0x1x2"ª