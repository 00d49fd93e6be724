
/
x0Placeholder*
shape:*
dtype0
+
EncodeBase64EncodeBase64x0*	
pad("ª