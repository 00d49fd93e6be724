
/
x0Placeholder*
shape:*
dtype0
3
StringUpperStringUpperx0*
encodingutf-8"ª