
/
x0Placeholder*
dtype0*
shape:
+
BitcastBitcastx0*

type0*
T0"ª