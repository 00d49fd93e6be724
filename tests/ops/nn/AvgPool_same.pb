
;
x0Placeholder*
dtype0*
shape:
q
AvgPoolAvgPoolx0*
strides
*
T0*
ksize
*
data_formatNHWC*
paddingSAME"ª