package desk

import (
	"math"
	"os"
	"regexp"
	"strconv"
	"testing"
)

// luminance is the WCAG relative luminance of a #rrggbb colour.
func luminance(hex string) float64 {
	var c [3]float64
	for i := range c {
		v, _ := strconv.ParseUint(hex[1+2*i:3+2*i], 16, 8)
		s := float64(v) / 255
		if s <= 0.03928 {
			c[i] = s / 12.92
		} else {
			c[i] = math.Pow((s+0.055)/1.055, 2.4)
		}
	}
	return 0.2126*c[0] + 0.7152*c[1] + 0.0722*c[2]
}

func contrast(a, b string) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// TestContrast reads the colours of desk.css and checks every pair of
// text and background the pages use against WCAG's 4.5:1.
func TestContrast(t *testing.T) {
	css, err := os.ReadFile("static/desk.css")
	if err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{"white": "#ffffff"}
	for _, m := range regexp.MustCompile(`--([a-z-]+):\s*(#[0-9a-fA-F]{6})`).FindAllStringSubmatch(string(css), -1) {
		vars[m[1]] = m[2]
	}
	for _, p := range []struct{ fg, bg, where string }{
		{"ink", "paper", "body text"}, {"muted", "paper", "hints"}, {"muted", "band", "hints on grey"},
		{"blue", "paper", "links and buttons"}, {"white", "blue", "primary buttons, map numbers"},
		{"white", "blue-dark", "header"}, {"blue-dark", "paper", "current menu entry"},
		{"red", "paper", "errors"}, {"green", "paper", "success"}, {"ink", "amber-bg", "messages"},
		{"ink", "band", "table heads"},
	} {
		fg, bg := vars[p.fg], vars[p.bg]
		if fg == "" || bg == "" {
			t.Fatalf("%s: colour --%s or --%s missing from desk.css", p.where, p.fg, p.bg)
		}
		if r := contrast(fg, bg); r < 4.5 {
			t.Errorf("%s: %s on %s is %.2f:1, below 4.5:1", p.where, fg, bg, r)
		}
	}
}
