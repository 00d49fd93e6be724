
;
x0Placeholder*
dtype0*
shape:
r
AvgPoolAvgPoolx0*
strides
*
T0*
ksize
*
data_formatNHWC*
paddingVALID"ª