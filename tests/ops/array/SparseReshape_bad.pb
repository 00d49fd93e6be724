
3
x0Placeholder*
shape
:*
dtype0	
/
x1Placeholder*
shape:*
dtype0	
/
x2Placeholder*
shape:*
dtype0	
*
SparseReshapeSparseReshapex0x1x2"ª