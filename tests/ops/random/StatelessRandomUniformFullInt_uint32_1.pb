
0
c0Const*
valueB:*
dtype0
/
x1Placeholder*
dtype0*
shape:
i
StatelessRandomUniformFullIntStatelessRandomUniformFullIntc0x1*
T0*
dtype0*
Tseed0"ª