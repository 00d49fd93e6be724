
/
x0Placeholder*
shape:*
dtype0
,
UniqueUniquex0*
T0*
out_idx0"ª