
3
x0Placeholder*
shape
:*
dtype0	
#
	ZerosLike	ZerosLikex0*
T0	"ª