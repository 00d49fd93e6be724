
;
x0Placeholder*
shape:*
dtype0
r
AvgPoolAvgPoolx0*
data_formatNHWC*
paddingVALID*
strides
*
T0*
ksize
"ª