
7
x0Placeholder*
dtype0*
shape:
)
SizeSizex0*
out_type0*
T0"ª