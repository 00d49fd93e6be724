
3
x0Placeholder*
shape
:*
dtype0
3
x1Placeholder*
shape
:*
dtype0
,
PadPadx0x1*
	Tpaddings0*
T0"ª