package store_test

import (
	"context"
	"errors"
	"strconv"
	"testing"

	"github.com/passerelle-sante/passerelle/store"
)

// list serves 0..n-1 in pages of size, with the next index as the cursor.
func list(n, size int, calls *int) func(string) ([]int, string, error) {
	return func(c string) ([]int, string, error) {
		*calls++
		from := 0
		if c != "" {
			from, _ = strconv.Atoi(c)
		}
		var page []int
		for i := from; i < n && len(page) < size; i++ {
			page = append(page, i)
		}
		next := ""
		if from+len(page) < n {
			next = strconv.Itoa(from + len(page))
		}
		return page, next, nil
	}
}

func TestAllPages(t *testing.T) {
	calls := 0
	got, err := store.All(context.Background(), list(7, 3, &calls))
	if err != nil || len(got) != 7 || got[6] != 6 || calls != 3 {
		t.Fatalf("All = %v, %v after %d calls; want 0..6 after 3", got, err, calls)
	}
	boom := errors.New("boom")
	calls = 0
	err = store.Pages(context.Background(), list(7, 3, &calls), func([]int) error { return boom })
	if !errors.Is(err, boom) || calls != 1 {
		t.Fatalf("fn's error: %v after %d calls", err, calls)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	calls = 0
	if _, err := store.All(ctx, list(7, 3, &calls)); !errors.Is(err, context.Canceled) || calls != 0 {
		t.Fatalf("cancelled: %v after %d calls", err, calls)
	}
}
