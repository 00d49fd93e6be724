
/
x0Placeholder*
dtype0*
shape:
4
StringToNumberStringToNumberx0*
out_type0"ª