
3
x0Placeholder*
dtype0*
shape
:
3
	LeakyRelu	LeakyRelux0*
T0*
alpha%š™™>"ª