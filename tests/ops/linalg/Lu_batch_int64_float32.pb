
;
x0Placeholder*
dtype0*
shape:
,
LuLux0*
T0*
output_idx_type0	"ª