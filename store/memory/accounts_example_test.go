package memory_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/passerelle-sante/passerelle/store"
	"github.com/passerelle-sante/passerelle/store/memory"
	"github.com/passerelle-sante/passerelle/store/storetest"
)

// A staff account is saved once per login; its event names its roles and
// région, never its login nor its hash.
func ExampleStore_SaveAccount() {
	ctx := context.Background()
	s := memory.New(nil)
	defer s.Close()
	a := storetest.NewAccount("coord.idf", store.RoleCoordinator)
	a.Region = "11"
	if err := s.SaveAccount(ctx, a); err != nil {
		fmt.Println(err)
		return
	}
	err := s.SaveAccount(ctx, storetest.NewAccount("coord.idf"))
	fmt.Println(errors.Is(err, store.ErrLoginTaken))
	got, _ := s.AccountByLogin(ctx, "coord.idf")
	fmt.Println(got.Roles, got.Region, got.Version)
	evs, _ := s.Pending(ctx, 10)
	fmt.Println(evs[0].Kind, evs[0].Subject == a.ID.String())
	// Output:
	// true
	// [coordinator] 11 1
	// account.created true
}
