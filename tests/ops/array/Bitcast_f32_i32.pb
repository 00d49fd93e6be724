
/
x0Placeholder*
shape:*
dtype0
+
BitcastBitcastx0*

type0*
T0"ª