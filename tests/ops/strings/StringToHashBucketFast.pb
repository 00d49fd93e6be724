
/
x0Placeholder*
shape:*
dtype0
H
StringToHashBucketFastStringToHashBucketFastx0*
num_bucketsè"ª