
/
x0Placeholder*
shape:*
dtype0
,
UniqueUniquex0*
out_idx0*
T0"ª