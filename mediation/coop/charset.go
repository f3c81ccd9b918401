package coop

import (
	"unicode/utf8"
)

// windows1252High maps the bytes 0x80–0x9F of Windows-1252 to Unicode; the
// other bytes are Latin-1, their own code point. Excel in French saves
// "CSV (séparateur : point-virgule)" in this encoding, so an export opened
// and saved again by a mediator usually arrives in it.
var windows1252High = [32]rune{
	'€', 0xFFFD, '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', 0xFFFD, 'Ž', 0xFFFD,
	0xFFFD, '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', 0xFFFD, 'ž', 'Ÿ',
}

// toUTF8 returns data as UTF-8: unchanged when it already is, read as
// Windows-1252 otherwise.
func toUTF8(data []byte) []byte {
	if utf8.Valid(data) {
		return data
	}
	out := make([]byte, 0, len(data)+len(data)/8)
	for _, b := range data {
		switch {
		case b < 0x80:
			out = append(out, b)
		case b < 0xA0:
			out = utf8.AppendRune(out, windows1252High[b-0x80])
		default:
			out = utf8.AppendRune(out, rune(b))
		}
	}
	return out
}
