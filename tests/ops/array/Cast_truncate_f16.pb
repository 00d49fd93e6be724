
/
x0Placeholder*
shape:*
dtype0
8
CastCastx0*

SrcT0*
Truncate(*

DstT0"ª