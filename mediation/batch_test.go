package mediation

import (
	"testing"
)

func TestBatchPolicy(t *testing.T) {
	ok := validPlace()
	badHours := validPlace()
	badHours.ID, badHours.Hours = "h", "du lundi au vendredi"
	badPhone := validPlace()
	badPhone.ID, badPhone.Phone = "t", "appeler la mairie"
	noName := validPlace()
	noName.ID, noName.Name = "n", ""
	dup := validPlace()
	b := NewBatch("f", "test", nil)
	for i, p := range []Place{ok, badHours, badPhone, noName, dup} {
		b.Add(i+1, p, nil)
	}
	want := []Status{StatusAccepted, StatusRepaired, StatusRepaired, StatusRejected, StatusRejected}
	for i, o := range b.Report.Rows {
		if o.Status != want[i] {
			t.Errorf("row %d: %s %v, want %s", o.Row, o.Status, o.Reasons, want[i])
		}
	}
	if h := b.Places[1]; h.Hours != "" || !h.HasFlag(FlagHoursUnparsed) {
		t.Errorf("bad hours kept: %+v", h)
	}
	if p := b.Places[2]; p.Phone != "" || !p.HasFlag(FlagValuesDropped) {
		t.Errorf("bad phone kept: %+v", p)
	}
	if r := b.Report.Rows[4].Reasons[0]; r.Code != CodeDuplicateID || r.MessageFR == "" {
		t.Errorf("duplicate: %+v", r)
	}
	// A place read back with flags from an earlier import is not repaired again.
	flagged := validPlace()
	flagged.ID, flagged.Flags = "f", []RepairFlag{FlagApproximateLocation}
	if s := b.Add(6, flagged, nil); s != StatusAccepted {
		t.Errorf("flagged place: %s", s)
	}
}
