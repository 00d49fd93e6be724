
/
x0Placeholder*
shape:*
dtype0
/
x1Placeholder*
shape:*
dtype0	
°
StringNGramsStringNGramsx0x1*
Tsplits0	*
ngram_widths
*
left_pad<*
	pad_width*
	separator_*
preserve_short_sequences(*
	right_pad>"ª