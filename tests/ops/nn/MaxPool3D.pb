
?
x0Placeholder*
dtype0*
shape:
x
	MaxPool3D	MaxPool3Dx0*
T0*
ksize	
*
paddingSAME*
strides	
*
data_formatNDHWC"ª