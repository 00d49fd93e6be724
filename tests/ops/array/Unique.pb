
/
x0Placeholder*
dtype0*
shape:
,
UniqueUniquex0*
T0*
out_idx0"ª