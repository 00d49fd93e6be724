
?
x0Placeholder*
shape:*
dtype0
x
	AvgPool3D	AvgPool3Dx0*
data_formatNDHWC*
paddingSAME*
strides	
*
T0*
ksize	
"ª