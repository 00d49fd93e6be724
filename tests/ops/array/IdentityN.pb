
/
x0Placeholder*
dtype0*
shape:
/
x1Placeholder*
dtype0*
shape:
+
	IdentityN	IdentityNx0x1*
T
2"ª