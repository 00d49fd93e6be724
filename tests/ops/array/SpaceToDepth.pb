
;
x0Placeholder*
shape:*
dtype0
R
SpaceToDepthSpaceToDepthx0*
data_formatNHWC*

block_size*
T0"ª