
;
x0Placeholder*
dtype0*
shape:
r
AvgPoolAvgPoolx0*
T0*
paddingVALID*
ksize
*
strides
*
data_formatNHWC"ª