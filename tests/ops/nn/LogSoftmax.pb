
3
x0Placeholder*
shape
:*
dtype0
%

LogSoftmax
LogSoftmaxx0*
T0"ª