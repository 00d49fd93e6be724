
/
x0Placeholder*
shape:*
dtype0
G
StringToHashBucketFastStringToHashBucketFastx0*
num_buckets"ª