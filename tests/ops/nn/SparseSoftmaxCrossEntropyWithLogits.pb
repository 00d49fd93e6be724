
3
x0Placeholder*
shape
:*
dtype0
/
x1Placeholder*
shape:*
dtype0
j
#SparseSoftmaxCrossEntropyWithLogits#SparseSoftmaxCrossEntropyWithLogitsx0x1*
Tlabels0*
T0"ª