
/
x0Placeholder*
dtype0	*
shape:
M
StatelessRandomGetKeyCounterStatelessRandomGetKeyCounterx0*
Tseed0	"ª