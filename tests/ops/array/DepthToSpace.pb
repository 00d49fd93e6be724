
;
x0Placeholder*
dtype0*
shape:
R
DepthToSpaceDepthToSpacex0*
T0*
data_formatNHWC*

block_size"ª