
/
x0Placeholder*
dtype0*
shape:

StringStripStringStripx0"ª