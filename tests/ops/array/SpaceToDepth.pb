
;
x0Placeholder*
dtype0*
shape:
R
SpaceToDepthSpaceToDepthx0*
T0*

block_size*
data_formatNHWC"ª