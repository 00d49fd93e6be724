
?
x0Placeholder*
shape:*
dtype0
x
	MaxPool3D	MaxPool3Dx0*
paddingSAME*
data_formatNDHWC*
T0*
strides	
*
ksize	
"ª