
;
x0Placeholder*
dtype0*
shape:
q
AvgPoolAvgPoolx0*
T0*
paddingSAME*
ksize
*
strides
*
data_formatNHWC"ª