
/
x0Placeholder*
dtype0*
shape:
G
StringToHashBucketFastStringToHashBucketFastx0*
num_buckets"ª