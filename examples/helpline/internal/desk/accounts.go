package desk

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"math/big"
	"time"

	"github.com/google/uuid"
	"github.com/passerelle-sante/passerelle/store"
	"github.com/passerelle-sante/passerelle/territory"
)

// AddUser creates an account with login, roles and région (a coordinator's
// view; "" for France), with password hashed by bcrypt at cost (0 means 12).
func AddUser(ctx context.Context, accounts store.Accounts, login, password string, roles []store.Role, region string, cost int, now time.Time) (store.Account, error) {
	if cost == 0 {
		cost = 12
	}
	if !store.ValidLogin(login) {
		return store.Account{}, fmt.Errorf("--login %q: 3 to 64 of a-z 0-9 . _ - starting with a letter or digit", login)
	}
	if len(roles) == 0 {
		return store.Account{}, errors.New("--role: at least one role is needed")
	}
	for _, r := range roles {
		if !r.Valid() {
			return store.Account{}, fmt.Errorf("--role %q: one of %v", r, store.Roles)
		}
	}
	if region != "" {
		ref, err := territory.Default()
		if err != nil {
			return store.Account{}, err
		}
		if _, ok := ref.Region(region); !ok {
			return store.Account{}, fmt.Errorf("--region %q: not a région code (e.g. 84, 75, 11)", region)
		}
	}
	h, err := HashPassword(password, cost)
	if err != nil {
		return store.Account{}, err
	}
	id, err := uuid.NewRandom()
	if err != nil {
		return store.Account{}, err
	}
	a := store.Account{ID: id, Login: login, PasswordHash: h, Roles: roles, Region: region, CreatedAt: now, UpdatedAt: now}
	if err := accounts.SaveAccount(ctx, a); err != nil {
		if errors.Is(err, store.ErrLoginTaken) {
			return store.Account{}, fmt.Errorf("--login %q: already taken", login)
		}
		return store.Account{}, err
	}
	a.Version = 1
	return a, nil
}

// RandomPassword returns n characters drawn from letters and digits that
// are hard to confuse when read aloud or copied (no 0/O, 1/l/I).
func RandomPassword(n int) string {
	const alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, n)
	for i := range b {
		k, err := rand.Int(rand.Reader, big.NewInt(int64(len(alphabet))))
		if err != nil {
			panic("desk: no randomness: " + err.Error())
		}
		b[i] = alphabet[k.Int64()]
	}
	return string(b)
}

// EnsureAdmin creates the account "admin" with a random 16-character
// password when the store holds no account at all, and writes the password
// once to out with a line telling to change it. It reports whether it
// created the account.
func EnsureAdmin(ctx context.Context, accounts store.Accounts, out io.Writer, cost int, now time.Time) (bool, error) {
	all, err := accounts.ListAccounts(ctx)
	if err != nil {
		return false, err
	}
	if len(all) > 0 {
		return false, nil
	}
	pw := RandomPassword(16)
	if _, err := AddUser(ctx, accounts, "admin", pw, []store.Role{store.RoleAdmin}, "", cost, now); err != nil {
		return false, err
	}
	fmt.Fprintf(out, "Premier démarrage : compte « admin » créé, mot de passe : %s\n", pw)
	fmt.Fprintf(out, "First start: account \"admin\" created, password: %s\n", pw)
	fmt.Fprintln(out, "Changez-le dès la connexion : « Mot de passe » en haut de page ; créez les comptes de l'équipe dans « Comptes ».")
	fmt.Fprintln(out, "Change it once signed in: \"Password\" at the top of the page; create the team's accounts in \"Accounts\".")
	return true, nil
}
