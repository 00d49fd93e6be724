
?
x0Placeholder*
shape:*
dtype0
x
	MaxPool3D	MaxPool3Dx0*
data_formatNDHWC*
paddingSAME*
strides	
*
T0*
ksize	
"ª