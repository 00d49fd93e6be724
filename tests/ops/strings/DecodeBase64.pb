
/
x0Placeholder*
dtype0*
shape:
 
DecodeBase64DecodeBase64x0"ª