package mediation

import (
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
)

func hday(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestAmbassadorStatusHistory(t *testing.T) {
	a := Ambassador{ID: uuid.New(), Region: "76", Kind: AmbassadorKinds()[0], Status: AmbassadorActive,
		JoinedAt: hday("2024-03-01"), StatusSince: hday("2024-03-01")}
	// Paused through the whole of 2025's first half, active again in July,
	// gone in October.
	for _, c := range []struct {
		s AmbassadorStatus
		d string
	}{{AmbassadorPaused, "2024-12-15"}, {AmbassadorActive, "2025-07-01"}, {AmbassadorLeft, "2025-10-01"}} {
		if err := a.SetStatus(c.s, hday(c.d)); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.SetStatus(AmbassadorLeft, hday("2025-11-01")); err != nil || len(a.StatusHistory) != 3 {
		t.Fatalf("setting the same status again: %v, history %d", err, len(a.StatusHistory))
	}
	if err := a.ValidateAt(hday("2026-01-01")); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		from, to string
		active   bool
		left     bool
	}{
		{"2024-01-01", "2024-03-01", false, false}, // before joining
		{"2024-03-01", "2024-04-01", true, false},
		{"2025-01-01", "2025-07-01", false, false}, // paused all along
		{"2025-01-01", "2025-07-02", true, false},  // active again on its last day
		{"2025-01-01", "2026-01-01", true, true},
		{"2025-10-01", "2026-01-01", false, true}, // left on the first day
		{"2026-01-01", "2027-01-01", false, false},
	} {
		from, to := hday(c.from), hday(c.to)
		if got := a.ActiveDuring(from, to); got != c.active {
			t.Errorf("ActiveDuring(%s, %s) = %v, want %v", c.from, c.to, got, c.active)
		}
		if got := a.LeftDuring(from, to); got != c.left {
			t.Errorf("LeftDuring(%s, %s) = %v, want %v", c.from, c.to, got, c.left)
		}
	}

	// Without a history: active from joining until the last change.
	old := Ambassador{Status: AmbassadorPaused, JoinedAt: hday("2024-01-01"), StatusSince: hday("2025-03-01")}
	if !old.ActiveDuring(hday("2025-01-01"), hday("2026-01-01")) || old.ActiveDuring(hday("2025-03-01"), hday("2026-01-01")) {
		t.Error("a record without history is active from joining until its last status change")
	}

	// A history that does not chain is refused, field by field.
	bad := a
	bad.StatusHistory = append([]AmbassadorStatusChange(nil), a.StatusHistory...)
	bad.StatusHistory[1].From = AmbassadorLeft
	bad.StatusHistory[2].Day = hday("2025-01-01")
	err := bad.ValidateAt(hday("2026-01-01"))
	if err == nil {
		t.Fatal("a broken history was accepted")
	}
	for _, want := range []string{"status_history[1].from", "status_history[2].day"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %s", err, want)
		}
	}
}
