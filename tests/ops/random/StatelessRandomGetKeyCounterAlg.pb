
/
x0Placeholder*
dtype0	*
shape:
S
StatelessRandomGetKeyCounterAlgStatelessRandomGetKeyCounterAlgx0*
Tseed0	"ª