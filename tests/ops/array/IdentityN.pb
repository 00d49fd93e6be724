
/
x0Placeholder*
shape:*
dtype0
/
x1Placeholder*
shape:*
dtype0
+
	IdentityN	IdentityNx0x1*
T
2"ª