package desk

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"golang.org/x/crypto/bcrypt"

	"github.com/passerelle-sante/passerelle/store"
)

// adminRoutes are the account screens: an administrator lists, creates,
// disables, enables accounts and resets their passwords; everyone signed
// in changes their own password.
func (s *Server) adminRoutes(mux *http.ServeMux) {
	admin := store.RoleAdmin
	s.handle(mux, "GET /admin/accounts", s.needs(s.accountsPage, admin))
	s.handle(mux, "POST /admin/accounts", s.needs(s.createAccount, admin))
	s.handle(mux, "POST /admin/accounts/{id}/{op}", s.needs(s.accountOp, admin))
	s.handle(mux, "GET /account/password", s.needs(s.passwordPage))
	s.handle(mux, "POST /account/password", s.needs(s.changePassword))
}

// accountRow is one account in the list: never its hash.
type accountRow struct {
	ID       string
	Login    string
	Roles    string
	Region   string
	Disabled bool
	Version  int
	Self     bool
}

// accountsData is the accounts page's content.
type accountsData struct {
	Accounts []accountRow
	Roles    []choice
	Regions  []choice
	Login    string
	Error    string
	// NewPassword is shown once, right after a creation or a reset, for
	// the administrator to hand over; it is never stored in clear.
	NewPassword string
	For         string
}

func (s *Server) accountsData(r *http.Request, d accountsData) (accountsData, error) {
	all, err := s.accounts.ListAccounts(r.Context())
	if err != nil {
		return d, err
	}
	me, _ := s.sessionOf(r)
	lang := langOf(r.Context())
	for _, a := range all {
		roles := make([]string, len(a.Roles))
		for i, ro := range a.Roles {
			roles[i] = tr(lang, "role."+string(ro))
		}
		region := tr(lang, "accounts.france")
		if rg, ok := s.communes.Region(a.Region); ok {
			region = rg.Name
		}
		d.Accounts = append(d.Accounts, accountRow{ID: a.ID.String(), Login: a.Login, Roles: strings.Join(roles, ", "),
			Region: region, Disabled: a.Disabled, Version: a.Version, Self: me != nil && me.AccountID == a.ID})
	}
	if d.Roles == nil {
		for _, ro := range store.Roles {
			d.Roles = append(d.Roles, choice{Value: string(ro), Text: tr(lang, "role."+string(ro))})
		}
	}
	if d.Regions == nil {
		d.Regions = append([]choice{{Value: "", Text: tr(lang, "accounts.france"), Checked: true}}, s.regionChoices("")...)
	}
	return d, nil
}

func (s *Server) showAccounts(w http.ResponseWriter, r *http.Request, status int, d accountsData) {
	d, err := s.accountsData(r, d)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	s.render(w, r, status, "admin_accounts", s.page(r, "accounts.title", "accounts", d))
}

func (s *Server) accountsPage(w http.ResponseWriter, r *http.Request) {
	s.showAccounts(w, r, http.StatusOK, accountsData{})
}

// createAccount creates an account with a generated password, shown once.
func (s *Server) createAccount(w http.ResponseWriter, r *http.Request) {
	lang := langOf(r.Context())
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, http.StatusBadRequest, tr(lang, "error.400"))
		return
	}
	login := strings.ToLower(strings.TrimSpace(r.PostFormValue("login")))
	var roles []store.Role
	var chosen []choice
	for _, ro := range store.Roles {
		on := slices.Contains(r.PostForm["role"], string(ro))
		chosen = append(chosen, choice{Value: string(ro), Text: tr(lang, "role."+string(ro)), Checked: on})
		if on {
			roles = append(roles, ro)
		}
	}
	region := r.PostFormValue("region")
	regions := append([]choice{{Value: "", Text: tr(lang, "accounts.france"), Checked: region == ""}}, s.regionChoices(region)...)
	again := accountsData{Login: login, Roles: chosen, Regions: regions}
	for _, v := range r.PostForm["role"] {
		if !store.Role(v).Valid() {
			again.Error = tr(lang, "accounts.err.role", v)
			s.showAccounts(w, r, http.StatusUnprocessableEntity, again)
			return
		}
	}
	switch {
	case !store.ValidLogin(login):
		again.Error = tr(lang, "accounts.err.login", login)
	case len(roles) == 0:
		again.Error = tr(lang, "accounts.err.noroles")
	case region != "" && !s.knownRegion(region):
		again.Error = tr(lang, "accounts.err.region", region)
	}
	if again.Error != "" {
		s.showAccounts(w, r, http.StatusUnprocessableEntity, again)
		return
	}
	pw := RandomPassword(16)
	a, err := withHashSlotFor(s.hashSlots, func() (store.Account, error) {
		return AddUser(r.Context(), s.accounts, login, pw, roles, region, s.cfg.BcryptCost, s.now())
	})
	if err != nil {
		if errors.Is(err, store.ErrLoginTaken) || strings.Contains(err.Error(), "already taken") {
			again.Error = tr(lang, "accounts.err.taken", login)
			s.showAccounts(w, r, http.StatusConflict, again)
			return
		}
		s.internal(w, r, err)
		return
	}
	s.log.Info("account created", "account", a.ID, "roles", a.Roles, "by", sessionAccountID(s, r))
	s.showAccounts(w, r, http.StatusCreated, accountsData{NewPassword: pw, For: a.Login})
}

// accountOp disables, enables an account or resets its password. The form
// carries the version read, so two administrators cannot undo each other
// unknowingly.
func (s *Server) accountOp(w http.ResponseWriter, r *http.Request) {
	lang := langOf(r.Context())
	id, err := uuid.Parse(r.PathValue("id"))
	if err != nil {
		s.fail(w, r, http.StatusNotFound, tr(lang, "accounts.err.notfound"))
		return
	}
	op := r.PathValue("op")
	if op != "disable" && op != "enable" && op != "reset" {
		s.fail(w, r, http.StatusNotFound, tr(lang, "error.404"))
		return
	}
	version, err := strconv.Atoi(r.PostFormValue("version"))
	if err != nil {
		s.fail(w, r, http.StatusBadRequest, tr(lang, "accounts.err.version"))
		return
	}
	a, err := s.accounts.GetAccount(r.Context(), id)
	if errors.Is(err, store.ErrAccountNotFound) {
		s.fail(w, r, http.StatusNotFound, tr(lang, "accounts.err.notfound"))
		return
	} else if err != nil {
		s.internal(w, r, err)
		return
	}
	if me, _ := s.sessionOf(r); me != nil && me.AccountID == id && op == "disable" {
		s.showAccounts(w, r, http.StatusUnprocessableEntity, accountsData{Error: tr(lang, "accounts.err.self")})
		return
	}
	if a.Version != version {
		s.showAccounts(w, r, http.StatusConflict, accountsData{Error: tr(lang, "accounts.err.conflict", a.Login)})
		return
	}
	var pw string
	switch op {
	case "disable":
		a.Disabled = true
	case "enable":
		a.Disabled = false
	case "reset":
		pw = RandomPassword(16)
		h, err := withHashSlotFor(s.hashSlots, func() (string, error) { return HashPassword(pw, s.cfg.BcryptCost) })
		if err != nil {
			s.internal(w, r, err)
			return
		}
		a.PasswordHash = h
	}
	a.UpdatedAt = s.now()
	if err := s.accounts.UpdateAccount(r.Context(), &a); errors.Is(err, store.ErrAccountConflict) {
		s.showAccounts(w, r, http.StatusConflict, accountsData{Error: tr(lang, "accounts.err.conflict", a.Login)})
		return
	} else if err != nil {
		s.internal(w, r, err)
		return
	}
	if op != "enable" {
		s.sessions.dropAccount(a.ID) // disabled, or its old password no longer opens a session
	}
	s.log.Info("account "+op, "account", a.ID, "by", sessionAccountID(s, r))
	if op == "reset" {
		s.showAccounts(w, r, http.StatusOK, accountsData{NewPassword: pw, For: a.Login})
		return
	}
	s.redirectFlash(w, r, "/admin/accounts", "accounts.done."+op)
}

func sessionAccountID(s *Server, r *http.Request) string {
	if ss, ok := s.sessionOf(r); ok {
		return ss.AccountID.String()
	}
	return ""
}

func (s *Server) knownRegion(code string) bool {
	_, ok := s.communes.Region(code)
	return ok
}

// passwordData is the password page's content.
type passwordData struct{ Error string }

func (s *Server) passwordPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "password", s.page(r, "password.title", "password", passwordData{}))
}

// changePassword changes the signed-in account's password after checking
// the current one; the account's other sessions end.
func (s *Server) changePassword(w http.ResponseWriter, r *http.Request) {
	lang := langOf(r.Context())
	ss, _ := s.sessionOf(r)
	again := func(status int, key string, args ...any) {
		s.render(w, r, status, "password", s.page(r, "password.title", "password", passwordData{Error: tr(lang, key, args...)}))
	}
	cur, next, confirm := r.PostFormValue("current"), r.PostFormValue("new"), r.PostFormValue("confirm")
	if next != confirm {
		again(http.StatusUnprocessableEntity, "password.err.confirm")
		return
	}
	a, err := s.accounts.GetAccount(r.Context(), ss.AccountID)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	ok, err := withHashSlotFor(s.hashSlots, func() (bool, error) {
		return bcrypt.CompareHashAndPassword([]byte(a.PasswordHash), []byte(cur)) == nil, nil
	})
	if err != nil {
		s.internal(w, r, err)
		return
	}
	if !ok {
		s.limiter.fail("login:" + a.Login)
		again(http.StatusForbidden, "password.err.current")
		return
	}
	h, err := withHashSlotFor(s.hashSlots, func() (string, error) { return HashPassword(next, s.cfg.BcryptCost) })
	if err != nil {
		again(http.StatusUnprocessableEntity, "password.err.weak")
		return
	}
	a.PasswordHash, a.UpdatedAt = h, s.now()
	if err := s.accounts.UpdateAccount(r.Context(), &a); err != nil {
		s.internal(w, r, err)
		return
	}
	s.sessions.dropAccountExcept(a.ID, ss.ID)
	s.log.Info("password changed", "account", a.ID)
	s.redirectFlash(w, r, "/", "password.done")
}

// withHashSlotFor runs f, a bcrypt computation, when one of the server's
// hash slots is free: at most half the processors hash at once, so a crowd
// signing in at 9 a.m. slows sign-in, not the calls in progress.
func withHashSlotFor[T any](slots chan struct{}, f func() (T, error)) (T, error) {
	slots <- struct{}{}
	defer func() { <-slots }()
	return f()
}
