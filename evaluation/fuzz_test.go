package evaluation

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/passerelle-sante/passerelle/internal/jsonschemas"
	"github.com/stretchr/testify/require"
)

// FuzzCellJSON: whatever a Count or a Measure accepts, it writes back in the
// same form and reads again to the same value; a masked cell never carries a
// value.
func FuzzCellJSON(f *testing.F) {
	for _, s := range []string{`{"count":5}`, `{"masked":true}`, `{"value":0.75}`, `{"undefined":true}`,
		`{"count":0}`, `{"count":-1}`, `{"masked":true,"count":3}`, `{"value":1,"masked":true}`, `null`, `[]`, `{"count":1e3}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var c Count
		if json.Unmarshal(b, &c) == nil {
			out, err := json.Marshal(c)
			if err != nil {
				t.Fatal(err)
			}
			var c2 Count
			if err := json.Unmarshal(out, &c2); err != nil || c2 != c {
				t.Fatalf("%s → %+v → %s → %+v, %v", b, c, out, c2, err)
			}
			if c.Masked && c.N != 0 {
				t.Fatalf("masked count carries %d", c.N)
			}
		}
		var m Measure
		if json.Unmarshal(b, &m) == nil {
			out, err := json.Marshal(m)
			if err != nil {
				return // NaN or Inf cannot come from JSON; nothing else fails
			}
			var m2 Measure
			if err := json.Unmarshal(out, &m2); err != nil || m2 != m {
				t.Fatalf("%s → %+v → %s → %+v, %v", b, m, out, m2, err)
			}
			if (m.Masked || m.Undefined) && m.Value != 0 {
				t.Fatalf("masked or undefined measure carries %v", m.Value)
			}
		}
	})
}

// A computed report, empty or not, follows the schema.
func TestReportFollowsSchema(t *testing.T) {
	sch, err := jsonschemas.Compile(ReportSchema(), ReportSchemaURL)
	require.NoError(t, err)
	ref := testRef(t)
	full, err := Compute(context.Background(), handRecords().Source(), opts(Options{Communes: ref,
		Targets: []Target{{Indicator: "actions.count", Value: 10}}}))
	require.NoError(t, err)
	empty, err := Compute(context.Background(), (&Records{}).Source(), opts(Options{Communes: ref}))
	require.NoError(t, err)
	for _, rep := range []*Report{full, empty} {
		b, err := json.Marshal(rep)
		require.NoError(t, err)
		var doc any
		require.NoError(t, json.Unmarshal(b, &doc))
		require.NoError(t, sch.Validate(doc))
		var back Report
		require.NoError(t, json.Unmarshal(b, &back))
		b2, err := json.Marshal(&back)
		require.NoError(t, err)
		require.JSONEq(t, string(b), string(b2), "a report reads back as itself")
	}
	var doc any
	require.NoError(t, json.Unmarshal([]byte(`{"referrals":{"funnel":{"proposed":{"count":3,"masked":true}}}}`), &doc))
	require.Error(t, sch.Validate(doc))
}
