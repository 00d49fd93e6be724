
/
x0Placeholder*
shape:*
dtype0	
@
UniqueWithCountsUniqueWithCountsx0*
out_idx0	*
T0	"ª