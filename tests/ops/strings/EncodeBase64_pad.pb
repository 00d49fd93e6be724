
/
x0Placeholder*
dtype0*
shape:
+
EncodeBase64EncodeBase64x0*	
pad("ª