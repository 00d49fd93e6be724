
3
x0Placeholder*
dtype0	*
shape
:
#
	ZerosLike	ZerosLikex0*
T0	"ª