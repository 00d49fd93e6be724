
?
x0Placeholder*
dtype0*
shape:
x
	MaxPool3D	MaxPool3Dx0*
strides	
*
T0*
ksize	
*
data_formatNDHWC*
paddingSAME"ª