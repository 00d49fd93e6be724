
/
x0Placeholder*
dtype0*
shape:
3
StringUpperStringUpperx0*
encodingutf-8"ª