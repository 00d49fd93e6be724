
/
x0Placeholder*
shape:*
dtype0
4
StringToNumberStringToNumberx0*
out_type0"ª