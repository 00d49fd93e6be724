
;
x0Placeholder*
shape:*
dtype0
r
AvgPoolAvgPoolx0*
ksize
*
paddingVALID*
T0*
strides
*
data_formatNHWC"ª