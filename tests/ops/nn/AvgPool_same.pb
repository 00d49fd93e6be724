
;
x0Placeholder*
shape:*
dtype0
q
AvgPoolAvgPoolx0*
data_formatNHWC*
paddingSAME*
strides
*
T0*
ksize
"ª