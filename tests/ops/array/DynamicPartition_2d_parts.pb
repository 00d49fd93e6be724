
7
x0Placeholder*
shape:*
dtype0	
3
x1Placeholder*
shape
:*
dtype0
K
DynamicPartitionDynamicPartitionx0x1*
num_partitions*
T0	"ª