package main

import "context"

// openNetwork opens the store at url for the network commands: every
// store.Store keeps the network and the referrals.
func openNetwork(ctx context.Context, e *env, url string) (networkBackend, error) {
	s, err := openStore(ctx, e, url)
	if err != nil {
		return nil, err
	}
	return s, nil
}
