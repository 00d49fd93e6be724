
/
x0Placeholder*
shape:*
dtype0
/
x1Placeholder*
dtype0	*
shape:
°
StringNGramsStringNGramsx0x1*
preserve_short_sequences(*
	right_pad>*
left_pad<*
	separator_*
	pad_width*
Tsplits0	*
ngram_widths
"ª