
/
x0Placeholder*
shape:*
dtype0
8
CastCastx0*

DstT0*

SrcT0*
Truncate("ª