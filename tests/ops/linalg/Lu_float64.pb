
3
x0Placeholder*
shape
:*
dtype0
,
LuLux0*
T0*
output_idx_type0"ª