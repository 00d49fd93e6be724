
/
x0Placeholder*
dtype0*
shape:
8
CastCastx0*

DstT0*
Truncate(*

SrcT0"ª