
7
x0Placeholder*
dtype0	*
shape:
3
x1Placeholder*
dtype0*
shape
:
K
DynamicPartitionDynamicPartitionx0x1*
num_partitions*
T0	"ª