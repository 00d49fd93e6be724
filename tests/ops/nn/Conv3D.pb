
?
x0Placeholder*
dtype0*
shape:
?
x1Placeholder*
dtype0*
shape:
z
Conv3DConv3Dx0x1*
strides	
*
T0*
data_formatNDHWC*
	dilations	
*
paddingSAME"ª