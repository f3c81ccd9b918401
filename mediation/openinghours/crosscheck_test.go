package openinghours

import (
	"testing"
	"time"
)

// bruteNextOpen probes minute by minute; the reference for NextOpen.
func bruteNextOpen(s *Schedule, from time.Time, within time.Duration) (time.Time, bool) {
	for t := from; t.Before(from.Add(within)); t = t.Add(time.Minute) {
		if s.IsOpen(t) {
			return t, true
		}
	}
	return time.Time{}, false
}

// bruteSlots builds the open periods minute by minute, ignoring comments.
func bruteSlots(s *Schedule, from, to time.Time) [][2]time.Time {
	var out [][2]time.Time
	for t := from; t.Before(to); t = t.Add(time.Minute) {
		if !s.IsOpen(t) {
			continue
		}
		if n := len(out); n > 0 && out[n-1][1].Equal(t) {
			out[n-1][1] = t.Add(time.Minute)
			continue
		}
		out = append(out, [2]time.Time{t, t.Add(time.Minute)})
	}
	return out
}

// crossCheck compares the breakpoint search with minute probing over a window.
func crossCheck(t *testing.T, hours string, from time.Time, window time.Duration) {
	t.Helper()
	s, err := Parse(hours)
	if err != nil {
		t.Fatalf("Parse(%q): %v", hours, err)
	}
	want, wantOK := bruteNextOpen(s, from, window)
	got, ok := s.NextOpen(from)
	if ok && !got.Before(from.Add(window)) {
		ok = false
	}
	if ok != wantOK || (ok && !got.Equal(want)) {
		t.Errorf("%q: NextOpen(%s) = %s %v, minute scan says %s %v", hours, from, got, ok, want, wantOK)
	}
	if within := s.OpenWithin(from, window); within != wantOK {
		t.Errorf("%q: OpenWithin(%s, %s) = %v, minute scan says %v", hours, from, window, within, wantOK)
	}
	brute := bruteSlots(s, from, from.Add(window))
	var slots [][2]time.Time
	for _, sl := range s.Slots(from, from.Add(window)) {
		// Slots split at comment changes; the scan does not see comments.
		if n := len(slots); n > 0 && slots[n-1][1].Equal(sl.Start) {
			slots[n-1][1] = sl.End
			continue
		}
		slots = append(slots, [2]time.Time{sl.Start, sl.End})
	}
	if len(slots) != len(brute) {
		t.Errorf("%q: Slots from %s: %d slots, minute scan finds %d", hours, from, len(slots), len(brute))
		return
	}
	for i := range slots {
		if !slots[i][0].Equal(brute[i][0]) || !slots[i][1].Equal(brute[i][1]) {
			t.Errorf("%q: slot %d = %s..%s, minute scan %s..%s", hours, i, slots[i][0], slots[i][1], brute[i][0], brute[i][1])
		}
	}
}

func TestCrossCheckRealData(t *testing.T) {
	if testing.Short() {
		t.Skip("minute scans")
	}
	froms := []time.Time{at(2025, 3, 3, 12, 7), at(2025, 3, 29, 20, 0), at(2025, 10, 25, 18, 0)}
	for i, v := range realHours(t) {
		crossCheck(t, v, froms[i%len(froms)], 3*24*time.Hour)
	}
}

func TestCrossCheckSyntax(t *testing.T) {
	values := []string{
		"Fr 22:00-02:00; Sa 10:00-12:00", "Fr 22:00-02:00, Sa 10:00-12:00", "Mo-Su 20:00-02:00; Su 10:00-12:00",
		"Su 02:00-03:00", "Su 02:30-04:00", "Su 01:00-02:30", "Sa 23:00-03:00", "Su 00:00-48:00",
		"Mo-Fr 09:00-17:00; PH off", "24/7; Su 02:00-03:00 off", "Sa-Su 18:00+", "sunrise-sunset; Su off",
		`Mo-Fr 09:00-12:00 || "rdv"`, "Mo-Fr 08:00-18:00; We 12:00-14:00 off", "Sa[-1] 10:00-12:00",
		"week 13-14 Sa-Su 09:00-10:00", "Mar 30 02:00-05:00", "Fr 22:00-03:00; Sa 01:00-02:00 off",
		"10:00-12:00; easter -2 days-easter +1 day off", "Mar 29-Apr 02 10:00-12:00", "Oct 25-Oct 27 off; Su 01:00-04:00",
	}
	// Around the spring and autumn DST changes of 2025 and a normal week.
	froms := []time.Time{at(2025, 3, 28, 12, 0), at(2025, 10, 24, 12, 0), at(2025, 3, 3, 0, 0), at(2025, 4, 17, 0, 0)}
	for _, v := range values {
		for _, f := range froms {
			crossCheck(t, v, f, 4*24*time.Hour)
		}
	}
}
