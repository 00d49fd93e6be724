
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
	dilations	
*
strides	
*
T0*
paddingSAME*
data_formatNDHWC"ª