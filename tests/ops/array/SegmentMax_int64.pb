
7
x0Placeholder*
shape:*
dtype0	
/
x1Placeholder*
shape:*
dtype0	
9

SegmentMax
SegmentMaxx0x1*
Tindices0	*
T0	"ª