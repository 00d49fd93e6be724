
/
x0Placeholder*
dtype0*
shape:
H
StringToHashBucketFastStringToHashBucketFastx0*
num_bucketsè"ª