package desk

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/passerelle-sante/passerelle/store"
)

var (
	shownPassword = regexp.MustCompile(`<code>([A-Za-z0-9]{16})</code>`)
	accountRowRe  = regexp.MustCompile(`data-account-id="([^"]+)"`)
)

// accountFor reads an account from the store by login.
func accountFor(t *testing.T, d *testDesk, login string) store.Account {
	t.Helper()
	a, err := d.Store.AccountByLogin(context.Background(), login)
	if err != nil {
		t.Fatalf("account %q: %v", login, err)
	}
	return a
}

func TestAdminCreatesAccountAndItSignsIn(t *testing.T) {
	_, d := newTestServer(t)
	admin := d.As(store.RoleAdmin)
	wantContains(t, admin.get("/followup").Body, `id="nav-accounts" href="/admin/accounts"`)
	page := admin.get("/admin/accounts")
	wantStatus(t, page, http.StatusOK)
	wantContains(t, page.Body, `<table id="accounts">`, `>teleadvisor</th>`, `<form id="create-account"`)
	if strings.Contains(page.Body, "$2a$") {
		t.Fatal("the accounts page shows a password hash")
	}

	res := admin.post("/admin/accounts", url.Values{"login": {"c.martin"}, "role": {"coordinator", "ambassador"}, "region": {"76"}})
	wantStatus(t, res, http.StatusCreated)
	m := shownPassword.FindStringSubmatch(res.Body)
	if m == nil {
		t.Fatalf("no password shown once:\n%s", res.Body)
	}
	a := accountFor(t, d, "c.martin")
	if a.Region != "76" || !a.Has(store.RoleCoordinator) || !a.Has(store.RoleAmbassador) || a.Has(store.RoleTeleadvisor) {
		t.Fatalf("stored account = %+v", a)
	}
	if strings.Contains(admin.get("/admin/accounts").Body, m[1]) {
		t.Fatal("the password is shown again")
	}
	c := d.newClient()
	wantStatus(t, c.signIn("c.martin", m[1]), http.StatusSeeOther)
	wantStatus(t, c.get("/coverage"), http.StatusOK)
	wantStatus(t, c.get("/call"), http.StatusForbidden)
	wantStatus(t, c.get("/admin/accounts"), http.StatusForbidden)
}

func TestAdminAccountBadInput(t *testing.T) {
	_, d := newTestServer(t)
	admin := d.As(store.RoleAdmin)
	for _, tc := range []struct {
		name   string
		form   url.Values
		status int
		want   string
	}{
		{"bad login", url.Values{"login": {"Marie Dupont"}, "role": {"teleadvisor"}}, http.StatusUnprocessableEntity, "Identifiant « marie dupont » : 3 à 64 caractères"},
		{"no role", url.Values{"login": {"m.dupont"}}, http.StatusUnprocessableEntity, "cochez au moins un rôle"},
		{"unknown role", url.Values{"login": {"m.dupont"}, "role": {"superuser"}}, http.StatusUnprocessableEntity, "Rôle « superuser » inconnu."},
		{"unknown région", url.Values{"login": {"m.dupont"}, "role": {"coordinator"}, "region": {"99"}}, http.StatusUnprocessableEntity, "Région « 99 »"},
		{"taken", url.Values{"login": {"teleadvisor"}, "role": {"teleadvisor"}}, http.StatusConflict, "Identifiant « teleadvisor » : déjà pris."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := admin.post("/admin/accounts", tc.form)
			wantStatus(t, res, tc.status)
			wantContains(t, res.Body, tc.want)
		})
	}
	// What was typed is kept: the roles ticked stay ticked.
	res := admin.post("/admin/accounts", url.Values{"login": {"x"}, "role": {"ambassador"}})
	wantContains(t, res.Body, `value="x"`, `value="ambassador" checked`)
	// A forged token, another role.
	wantStatus(t, admin.post("/admin/accounts", url.Values{"login": {"m.dupont"}, "role": {"teleadvisor"}, "csrf": {"forged"}}), http.StatusForbidden)
	wantStatus(t, d.As(store.RoleCoordinator).post("/admin/accounts", url.Values{"login": {"m.dupont"}, "role": {"admin"}}), http.StatusForbidden)
	if _, err := d.Store.AccountByLogin(context.Background(), "m.dupont"); err == nil {
		t.Fatal("a refused form created the account")
	}
}

func TestAdminDisablesResetsEnables(t *testing.T) {
	_, d := newTestServer(t)
	admin := d.As(store.RoleAdmin)
	tele := d.As(store.RoleTeleadvisor)
	wantStatus(t, tele.get("/followup"), http.StatusOK)
	a := accountFor(t, d, "teleadvisor")
	ver := func(a store.Account) url.Values { return url.Values{"version": {strconv.Itoa(a.Version)}} }

	// Disabling ends its sessions at once and refuses its sign-in.
	res := admin.post("/admin/accounts/"+a.ID.String()+"/disable", ver(a))
	wantStatus(t, res, http.StatusSeeOther)
	wantContains(t, admin.follow(res).Body, "Compte désactivé")
	if tele.get("/followup").Status != http.StatusSeeOther {
		t.Fatal("a disabled account's session still opens pages")
	}
	if d.newClient().signIn("teleadvisor", testPassword).Status == http.StatusSeeOther {
		t.Fatal("a disabled account signs in")
	}
	// A stale version is refused, saying so.
	res = admin.post("/admin/accounts/"+a.ID.String()+"/enable", ver(a))
	wantStatus(t, res, http.StatusConflict)
	wantContains(t, res.Body, "a été modifié entre-temps")

	// Enable, then reset: the old password no longer works, the new one does.
	a = accountFor(t, d, "teleadvisor")
	wantStatus(t, admin.post("/admin/accounts/"+a.ID.String()+"/enable", ver(a)), http.StatusSeeOther)
	a = accountFor(t, d, "teleadvisor")
	res = admin.post("/admin/accounts/"+a.ID.String()+"/reset", ver(a))
	wantStatus(t, res, http.StatusOK)
	m := shownPassword.FindStringSubmatch(res.Body)
	if m == nil {
		t.Fatalf("no new password shown:\n%s", res.Body)
	}
	if d.newClient().signIn("teleadvisor", testPassword).Status == http.StatusSeeOther {
		t.Fatal("the old password still signs in")
	}
	wantStatus(t, d.newClient().signIn("teleadvisor", m[1]), http.StatusSeeOther)

	// The admin cannot disable itself; unknown ids and operations are 404.
	me := accountFor(t, d, "admin")
	res = admin.post("/admin/accounts/"+me.ID.String()+"/disable", ver(me))
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res.Body, "Vous ne pouvez pas désactiver votre propre compte.")
	wantStatus(t, admin.post("/admin/accounts/00000000-0000-4000-8000-000000000000/disable", url.Values{"version": {"1"}}), http.StatusNotFound)
	wantStatus(t, admin.post("/admin/accounts/"+me.ID.String()+"/delete", ver(me)), http.StatusNotFound)
	wantStatus(t, admin.post("/admin/accounts/"+me.ID.String()+"/reset", nil), http.StatusBadRequest)
	if rows := accountRowRe.FindAllString(admin.get("/admin/accounts").Body, -1); len(rows) != len(store.Roles) {
		t.Fatalf("%d account rows, want %d", len(rows), len(store.Roles))
	}
}

func TestChangeOwnPassword(t *testing.T) {
	_, d := newTestServer(t)
	c := d.As(store.RoleAmbassador)
	other := d.newClient()
	wantStatus(t, other.signIn("ambassador", testPassword), http.StatusSeeOther)
	wantContains(t, c.get("/actions").Body, `id="nav-password" href="/account/password"`)
	wantStatus(t, c.get("/account/password"), http.StatusOK)

	for _, tc := range []struct {
		form   url.Values
		status int
		want   string
	}{
		{url.Values{"current": {testPassword}, "new": {"une longue phrase"}, "confirm": {"une autre phrase"}}, http.StatusUnprocessableEntity, "Les deux nouveaux mots de passe diffèrent."},
		{url.Values{"current": {"wrong password!"}, "new": {"une longue phrase"}, "confirm": {"une longue phrase"}}, http.StatusForbidden, "Le mot de passe actuel est faux."},
		{url.Values{"current": {testPassword}, "new": {"court"}, "confirm": {"court"}}, http.StatusUnprocessableEntity, "12 caractères au moins"},
	} {
		res := c.post("/account/password", tc.form)
		wantStatus(t, res, tc.status)
		wantContains(t, res.Body, tc.want)
	}
	res := c.post("/account/password", url.Values{"current": {testPassword}, "new": {"une longue phrase"}, "confirm": {"une longue phrase"}})
	wantStatus(t, res, http.StatusSeeOther)
	wantContains(t, c.follow(c.follow(res)).Body, "Mot de passe changé") // via / to the role's first screen
	wantStatus(t, c.get("/actions"), http.StatusOK)
	if other.get("/actions").Status != http.StatusSeeOther {
		t.Fatal("the account's other session survived the password change")
	}
	wantStatus(t, d.newClient().signIn("ambassador", "une longue phrase"), http.StatusSeeOther)
	wantStatus(t, d.Anon.post("/account/password", nil), http.StatusSeeOther)
}
