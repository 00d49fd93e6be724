
3
x0Placeholder*
shape
:*
dtype0
/
x1Placeholder*
shape:*
dtype0
9

SegmentMax
SegmentMaxx0x1*
T0*
Tindices0"ª