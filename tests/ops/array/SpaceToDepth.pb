
;
x0Placeholder*
shape:*
dtype0
R
SpaceToDepthSpaceToDepthx0*
data_formatNHWC*
T0*

block_size"ª