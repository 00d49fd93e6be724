
?
x0Placeholder*
dtype0*
shape:
x
	AvgPool3D	AvgPool3Dx0*
strides	
*
T0*
ksize	
*
data_formatNDHWC*
paddingSAME"ª