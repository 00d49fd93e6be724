
?
x0Placeholder*
dtype0*
shape:
?
x1Placeholder*
dtype0*
shape:
z
Conv3DConv3Dx0x1*
T0*
paddingSAME*
strides	
*
data_formatNDHWC*
	dilations	
"ª