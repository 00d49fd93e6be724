
/
x0Placeholder*
shape:*
dtype0
3
InvertPermutationInvertPermutationx0*
T0"ª