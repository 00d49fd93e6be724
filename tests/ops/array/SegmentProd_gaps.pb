
3
x0Placeholder*
shape
:*
dtype0
/
x1Placeholder*
shape:*
dtype0
;
SegmentProdSegmentProdx0x1*
Tindices0*
T0"ª