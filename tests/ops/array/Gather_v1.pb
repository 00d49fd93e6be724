
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
validate_indices(*
Tparams0*
Tindices0"ª