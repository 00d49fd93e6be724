
?
x0Placeholder*
shape:*
dtype0
?
x1Placeholder*
shape:*
dtype0
z
Conv3DConv3Dx0x1*
data_formatNDHWC*
	dilations	
*
paddingSAME*
strides	
*
T0"ª