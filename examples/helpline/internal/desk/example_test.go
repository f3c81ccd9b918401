package desk_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/passerelle-sante/passerelle/examples/helpline/internal/desk"
	"github.com/passerelle-sante/passerelle/store"
	"github.com/passerelle-sante/passerelle/store/memory"
	"golang.org/x/crypto/bcrypt"
)

// A desk on a memory store with one teleadvisor account, served by
// httptest (an integrator would use an http.Server), then a sign-in
// through the JSON API.
func Example() {
	st := memory.New(nil)
	defer st.Close()
	_, err := desk.AddUser(context.Background(), st, "camille", "un mot de passe assez long",
		[]store.Role{store.RoleTeleadvisor}, "", bcrypt.MinCost, time.Now())
	if err != nil {
		fmt.Println(err)
		return
	}
	srv, err := desk.New(desk.Config{Store: st, BcryptCost: bcrypt.MinCost})
	if err != nil {
		fmt.Println(err)
		return
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()

	res, err := http.Post(ts.URL+"/api/v1/login", "application/json",
		strings.NewReader(`{"login":"camille","password":"un mot de passe assez long"}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer res.Body.Close()
	var session struct {
		Login string       `json:"login"`
		Roles []store.Role `json:"roles"`
	}
	if err := json.NewDecoder(res.Body).Decode(&session); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.StatusCode, session.Login, session.Roles)
	// Output:
	// 200 camille [teleadvisor]
}
