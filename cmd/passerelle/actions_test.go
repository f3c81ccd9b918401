package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/passerelle-sante/passerelle/mediation"
)

func TestActionsAddAndList(t *testing.T) {
	f := newFakeNetwork()
	adds := [][]string{
		{"--type", "atelier_activation", "--date", "2024-11-05", "--commune", "12202", "--duration", "120",
			"--people", "9", "--accounts", "6", "--referrals", "2", "--age", "60_69=5", "--age", "70_et_plus=4",
			"--gender", "feminin=6", "--gender", "masculin=3", "--theme", "sante", "--organiser", "Centre social Rodez Nord"},
		{"--type", "webinaire", "--date", "2024-12-02", "--remote", "--people", "40", "--accounts", "3"},
		{"--type", "stand_ouverture_compte", "--date", "2025-01-15", "--commune", "69123", "--people", "55", "--accounts", "21", "--referrals", "4"},
	}
	for _, a := range adds {
		if code, _, errOut := runNetwork(t, f, "", append([]string{"actions", "add"}, a...)...); code != 0 {
			t.Fatalf("add %v: exit %d: %s", a, code, errOut)
		}
	}
	for _, a := range f.actions {
		if a.Commune == "12202" && (a.Departement != "12" || a.Region != "76") {
			t.Errorf("Rodez action placed in %s / %s", a.Departement, a.Region)
		}
	}
	tests := []struct {
		args   []string
		totals actionTotals
	}{
		{nil, actionTotals{Actions: 3, PeopleSensitised: 104, AccountsActivated: 30, ReferralsMade: 6}},
		{[]string{"--region", "76"}, actionTotals{Actions: 1, PeopleSensitised: 9, AccountsActivated: 6, ReferralsMade: 2}},
		{[]string{"--departement", "69", "--departement", "12"}, actionTotals{Actions: 2, PeopleSensitised: 64, AccountsActivated: 27, ReferralsMade: 6}},
		{[]string{"--type", "webinaire"}, actionTotals{Actions: 1, PeopleSensitised: 40, AccountsActivated: 3}},
		{[]string{"--from", "2024-12-01", "--to", "2025-01-15"}, actionTotals{Actions: 1, PeopleSensitised: 40, AccountsActivated: 3}},
	}
	for _, tt := range tests {
		code, out, errOut := runNetwork(t, f, "", append([]string{"actions", "list", "--format", "json"}, tt.args...)...)
		if code != 0 {
			t.Fatalf("list %v: exit %d: %s", tt.args, code, errOut)
		}
		var got struct {
			Actions []mediation.Action
			Totals  actionTotals
		}
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatal(err)
		}
		if got.Totals != tt.totals || len(got.Actions) != tt.totals.Actions {
			t.Errorf("list %v: %d actions, totals %+v, want %+v", tt.args, len(got.Actions), got.Totals, tt.totals)
		}
	}
	code, out, _ := runNetwork(t, f, "", "actions", "list")
	if code != 0 || !strings.Contains(out, "à distance") || !strings.Contains(out, "3 action(s)") {
		t.Errorf("text list: exit %d\n%s", code, out)
	}
}

func TestActionsAddRejects(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		want []string
	}{
		{"negative counts", []string{"--type", "permanence", "--date", "2024-10-01", "--commune", "12202", "--people", "-4", "--referrals", "-1"}, 1,
			[]string{"people_sensitised", "referrals_made", "negative"}},
		{"unknown commune", []string{"--type", "permanence", "--date", "2024-10-01", "--commune", "12999"}, 1, []string{"commune", "12999"}},
		{"date in the future", []string{"--type", "permanence", "--date", "2999-10-01", "--commune", "12202"}, 1, []string{"date", "future"}},
		{"nowhere", []string{"--type", "permanence", "--date", "2024-10-01"}, 1, []string{"commune", "required"}},
		{"unknown type", []string{"--type", "kermesse", "--date", "2024-10-01", "--remote"}, 1, []string{"type", "kermesse"}},
		{"more accounts than people", []string{"--type", "webinaire", "--date", "2024-10-01", "--remote", "--people", "3", "--accounts", "5"}, 1, []string{"accounts_activated"}},
		{"age counts above people", []string{"--type", "webinaire", "--date", "2024-10-01", "--remote", "--people", "3", "--age", "70_et_plus=5"}, 1, []string{"participants.by_age"}},
		{"bad age flag", []string{"--type", "webinaire", "--date", "2024-10-01", "--remote", "--age", "70_et_plus"}, 2, []string{"KEY=N"}},
		{"no date", []string{"--type", "webinaire", "--remote"}, 2, []string{"--date"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeNetwork()
			code, _, errOut := runNetwork(t, f, "", append([]string{"actions", "add"}, tt.args...)...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d: %s", code, tt.code, errOut)
			}
			for _, w := range tt.want {
				if !strings.Contains(errOut, w) {
					t.Errorf("error %q does not name %q", errOut, w)
				}
			}
			if len(f.actions) != 0 {
				t.Errorf("a rejected action was stored")
			}
		})
	}
}

func TestActionsGroupHasImportCoop(t *testing.T) {
	code, out, _ := runNetwork(t, newFakeNetwork(), "", "actions", "--help")
	if code != 0 || !strings.Contains(out, "import-coop") || !strings.Contains(out, "add") || !strings.Contains(out, "list") {
		t.Errorf("actions --help: exit %d\n%s", code, out)
	}
}
