
3
x0Placeholder*
shape
:*
dtype0
/
x1Placeholder*
shape:*
dtype0
O
GatherGatherx0x1*
Tindices0*
Tparams0*
validate_indices("ª