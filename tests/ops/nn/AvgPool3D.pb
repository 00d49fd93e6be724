
?
x0Placeholder*
dtype0*
shape:
x
	AvgPool3D	AvgPool3Dx0*
T0*
paddingSAME*
ksize	
*
strides	
*
data_formatNDHWC"ª