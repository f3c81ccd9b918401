package store

import "context"

// Pages walks a paged list method to its end: it calls list with the cursor
// of each page ("" for the first) and fn with each page, until list returns
// an empty cursor, or list, fn or ctx fails.
//
//	err := store.Pages(ctx, func(c string) ([]referral.Referral, string, error) {
//		return st.List(ctx, referral.Filter{PersonID: pid, Limit: 1000, Cursor: c})
//	}, func(page []referral.Referral) error { … })
func Pages[T any](ctx context.Context, list func(cursor string) ([]T, string, error), fn func(page []T) error) error {
	cursor := ""
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		page, next, err := list(cursor)
		if err != nil {
			return err
		}
		if err := fn(page); err != nil {
			return err
		}
		if next == "" || len(page) == 0 {
			return nil
		}
		cursor = next
	}
}

// All is Pages that collects every record.
func All[T any](ctx context.Context, list func(cursor string) ([]T, string, error)) ([]T, error) {
	var out []T
	err := Pages(ctx, list, func(page []T) error {
		out = append(out, page...)
		return nil
	})
	return out, err
}
