
7
x0Placeholder*
dtype0	*
shape:
/
x1Placeholder*
dtype0	*
shape:
;
SegmentMeanSegmentMeanx0x1*
T0	*
Tindices0	"ª