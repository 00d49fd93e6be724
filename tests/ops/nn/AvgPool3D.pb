
?
x0Placeholder*
shape:*
dtype0
x
	AvgPool3D	AvgPool3Dx0*
paddingSAME*
T0*
data_formatNDHWC*
strides	
*
ksize	
"ª