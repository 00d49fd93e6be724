
/
x0Placeholder*
shape:*
dtype0
 
DecodeBase64DecodeBase64x0"ª