
3
x0Placeholder*
dtype0*
shape
:
/
x1Placeholder*
dtype0*
shape:
O
GatherGatherx0x1*
validate_indices(*
Tindices0*
Tparams0"ª