
3
x0Placeholder*
dtype0*
shape
:
/
x1Placeholder*
dtype0*
shape:
9

SegmentSum
SegmentSumx0x1*
T0*
Tindices0"ª