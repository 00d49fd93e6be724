
7
x0Placeholder*
dtype0*
shape:

RankRankx0*
T0"ª