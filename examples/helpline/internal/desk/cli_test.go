package desk

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/passerelle-sante/passerelle/store"
	"github.com/passerelle-sante/passerelle/store/memory"
	"golang.org/x/crypto/bcrypt"
)

func noEnv(string) string { return "" }

func TestAddUserCommand(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "desk.db")
	var out, errb bytes.Buffer
	code := Main(context.Background(), []string{"adduser", "--store", db, "--login", "marie.l", "--role", "teleadvisor,ambassador", "--region", "75"},
		strings.NewReader("un mot de passe solide\n"), &out, &errb, noEnv, nil)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	wantContains(t, out.String(), "marie.l (teleadvisor, ambassador)")

	for _, tc := range []struct {
		args  []string
		stdin string
		code  int
		want  string
	}{
		{[]string{"adduser", "--store", db, "--login", "marie.l", "--role", "teleadvisor"}, "un autre mot de passe\n", 1, `--login "marie.l": already taken`},
		{[]string{"adduser", "--store", db, "--login", "Bad Login", "--role", "teleadvisor"}, "un autre mot de passe\n", 1, `--login "Bad Login"`},
		{[]string{"adduser", "--store", db, "--login", "paul", "--role", "chef"}, "un autre mot de passe\n", 1, `--role "chef"`},
		{[]string{"adduser", "--store", db, "--login", "paul", "--role", "coordinator", "--region", "99"}, "un autre mot de passe\n", 1, `--region "99"`},
		{[]string{"adduser", "--store", db, "--login", "paul", "--role", "admin"}, "court\n", 1, "at least 12 characters"},
		{[]string{"adduser", "--store", db, "--role", "admin"}, "", 2, "--login and --role are required"},
	} {
		var o, e bytes.Buffer
		if got := Main(context.Background(), tc.args, strings.NewReader(tc.stdin), &o, &e, noEnv, nil); got != tc.code {
			t.Errorf("%v: exit %d, want %d (%s)", tc.args, got, tc.code, e.String())
		}
		wantContains(t, e.String(), tc.want)
	}
}

func TestEnsureAdminOnlyOnce(t *testing.T) {
	st := memory.New(nil)
	defer st.Close()
	var out bytes.Buffer
	created, err := EnsureAdmin(context.Background(), st, &out, bcrypt.MinCost, time.Now())
	if err != nil || !created {
		t.Fatalf("created %v, %v", created, err)
	}
	text := out.String()
	wantContains(t, text, "compte « admin » créé", "Changez-le")
	pw := strings.Fields(strings.SplitN(text, "mot de passe : ", 2)[1])[0]
	if len(pw) != 16 {
		t.Fatalf("password %q is not 16 characters", pw)
	}
	a, err := st.AccountByLogin(context.Background(), "admin")
	if err != nil || bcrypt.CompareHashAndPassword([]byte(a.PasswordHash), []byte(pw)) != nil || !a.Has(store.RoleCoordinator) {
		t.Fatalf("admin account = %+v, %v", a, err)
	}
	out.Reset()
	created, err = EnsureAdmin(context.Background(), st, &out, bcrypt.MinCost, time.Now())
	if err != nil || created || out.Len() != 0 {
		t.Fatalf("second start: created %v, %v, printed %q", created, err, out.String())
	}
}

// TestServeAndShutdown starts the command on a free port with a SQLite
// file, signs in with the printed first password, and stops it by
// cancelling its context (as SIGINT does).
func TestServeAndShutdown(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	db := filepath.Join(t.TempDir(), "desk.db")
	var errb syncBuffer
	ready := make(chan string, 1)
	done := make(chan int, 1)
	env := func(k string) string {
		if k == "PASSERELLE_STORE" {
			return "sqlite:" + db
		}
		return ""
	}
	go func() {
		done <- Main(ctx, []string{"--addr", "127.0.0.1:0", "--lang", "en"}, strings.NewReader(""), io.Discard, &errb, env,
			func(addr string) { ready <- addr })
	}()
	var addr string
	select {
	case addr = <-ready:
	case code := <-done:
		t.Fatalf("exit %d before serving: %s", code, errb.String())
	case <-time.After(60 * time.Second):
		t.Fatal("the desk did not start in 60 s")
	}
	res, err := http.Get("http://" + addr + "/health")
	if err != nil {
		t.Fatal(err)
	}
	var h map[string]string
	_ = json.NewDecoder(res.Body).Decode(&h)
	res.Body.Close()
	if h["status"] != "ok" {
		t.Fatalf("health = %v", h)
	}
	login, err := http.Get("http://" + addr + "/login")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(login.Body)
	login.Body.Close()
	wantContains(t, string(b), `<html lang="en">`)
	wantContains(t, errb.String(), `account "admin" created, password: `, "desk listening")
	pw := strings.Fields(strings.SplitN(errb.String(), "password: ", 2)[1])[0]
	body := strings.NewReader(`{"login":"admin","password":"` + pw + `"}`)
	signed, err := http.Post("http://"+addr+"/api/v1/login", "application/json", body)
	if err != nil {
		t.Fatal(err)
	}
	signed.Body.Close()
	if signed.StatusCode != http.StatusOK {
		t.Fatalf("sign-in with the printed password: %d", signed.StatusCode)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("exit %d after shutdown: %s", code, errb.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("no graceful shutdown within 15 s")
	}
	wantContains(t, errb.String(), "shutting down")
}

func TestServeBadFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--lang", "de"}, 2, `--lang "de": fr or en`},
		{[]string{"--store", "memory:", "--rules", "/nonexistent/rules.yaml", "--addr", "127.0.0.1:0"}, 1, "--rules /nonexistent/rules.yaml"},
		{[]string{"--store", "memory:", "--plugins", "/nonexistent/plugins", "--addr", "127.0.0.1:0"}, 1, "--plugins /nonexistent/plugins"},
		{[]string{"--store", "memory:", "--addr", "999.0.0.1:0"}, 1, "--addr 999.0.0.1:0"},
		{[]string{"extra"}, 2, `unexpected argument "extra"`},
	} {
		var e syncBuffer
		if got := Main(context.Background(), tc.args, strings.NewReader(""), io.Discard, &e, noEnv, nil); got != tc.code {
			t.Errorf("%v: exit %d, want %d: %s", tc.args, got, tc.code, e.String())
		}
		wantContains(t, e.String(), tc.want)
	}
}
