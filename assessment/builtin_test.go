package assessment

import "testing"

func TestBuiltinsLoad(t *testing.T) {
	ins, err := Builtins()
	if err != nil {
		t.Fatal(err)
	}
	if len(ins) != 4 {
		t.Fatalf("got %d built-ins, want 4", len(ins))
	}
}
