package territory

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Fold is the normalisation used for name matching: lower case, accents
// and ligatures spelled in plain letters (é → e, œ → oe), every other
// non-letter, non-digit (hyphen, apostrophe, dot, ...) turned into a space,
// the words "st" and "ste" spelled "saint" and "sainte", and spaces
// collapsed. Fold(Fold(s)) == Fold(s).
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 8)
	space := true // no leading space
	word := 0     // start of the current word in b
	endWord := func() {
		w := b.String()[word:]
		switch w {
		case "st", "ste":
			// "st" → "saint", "ste" → "sainte": rewrite the tail in place.
			tail := "saint"
			if w == "ste" {
				tail = "sainte"
			}
			str := b.String()[:word] + tail
			b.Reset()
			b.WriteString(str)
		}
	}
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if r < utf8.RuneSelf {
			switch {
			case 'A' <= r && r <= 'Z':
				r += 'a' - 'A'
			case 'a' <= r && r <= 'z', '0' <= r && r <= '9':
			default:
				r = ' '
			}
		} else {
			if unicode.Is(unicode.Mn, r) {
				continue // combining accent of a decomposed letter
			}
			r = unicode.ToLower(r)
			if plain := plainLetter(r); plain != "" {
				if space {
					word = b.Len()
					space = false
				}
				b.WriteString(plain)
				continue
			}
			if r == utf8.RuneError || !(unicode.IsLetter(r) || unicode.IsDigit(r)) || unicode.Is(unicode.Lm, r) || unicode.ToLower(r) != r {
				r = ' '
			}
		}
		if r == ' ' {
			if !space {
				endWord()
				b.WriteByte(' ')
				space = true
			}
			continue
		}
		if space {
			word = b.Len()
			space = false
		}
		b.WriteRune(r)
	}
	if !space {
		endWord()
	}
	return strings.TrimSuffix(b.String(), " ")
}

// plainLetter spells the accented Latin letters found in French, Breton,
// Basque, Occitan, Alsatian and overseas names with plain ones.
func plainLetter(r rune) string {
	switch r {
	case 'à', 'á', 'â', 'ã', 'ä', 'å', 'ā', 'ă', 'ą':
		return "a"
	case 'ç', 'ć', 'č':
		return "c"
	case 'è', 'é', 'ê', 'ë', 'ē', 'ė', 'ę', 'ě':
		return "e"
	case 'ì', 'í', 'î', 'ï', 'ī', 'ı':
		return "i"
	case 'ñ', 'ń', 'ň':
		return "n"
	case 'ò', 'ó', 'ô', 'õ', 'ö', 'ø', 'ō', 'ő':
		return "o"
	case 'ù', 'ú', 'û', 'ü', 'ū', 'ů', 'ű':
		return "u"
	case 'ý', 'ÿ':
		return "y"
	case 'š', 'ś':
		return "s"
	case 'ž', 'ź', 'ż':
		return "z"
	case 'œ':
		return "oe"
	case 'æ':
		return "ae"
	case 'ß':
		return "ss"
	case 'ł':
		return "l"
	case 'đ', 'ð':
		return "d"
	case 'þ':
		return "th"
	}
	return ""
}
