
;
x0Placeholder*
shape:*
dtype0
q
AvgPoolAvgPoolx0*
ksize
*
paddingSAME*
T0*
strides
*
data_formatNHWC"ª