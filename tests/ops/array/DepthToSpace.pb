
;
x0Placeholder*
shape:*
dtype0
R
DepthToSpaceDepthToSpacex0*
T0*
data_formatNHWC*

block_size"ª