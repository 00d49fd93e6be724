
/
x0Placeholder*
shape:*
dtype0
/
x1Placeholder*
shape:*
dtype0
4
ListDiffListDiffx0x1*
out_idx0*
T0"ª