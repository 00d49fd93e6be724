
;
x0Placeholder*
dtype0*
shape:
R
SpaceToDepthSpaceToDepthx0*

block_size*
data_formatNHWC*
T0"ª