
3
x0Placeholder*
dtype0*
shape
:

ConjConjx0*
T0"ª