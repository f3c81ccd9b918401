package store

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/passerelle-sante/passerelle/referral"
)

// referralPayload is the outbox payload of a referral event: codes and
// counts, no person id (a sink that needs the person asks the store).
type referralPayload struct {
	Pathway referral.PathwayID `json:"pathway"`
	PlaceID string             `json:"place_id,omitempty"`
	From    referral.Status    `json:"from,omitempty"`
	Status  referral.Status    `json:"status"`
	Version int                `json:"version"`
}

// ReferralWrite returns the outbox event, and the journal entry when the
// status changed, that storing next implies; prev is nil for a creation.
// next.Version must already be the stored version. Every store calls it so
// that all write the same events.
func ReferralWrite(prev, next *referral.Referral) (Event, *JournalEntry) {
	p := referralPayload{Pathway: next.Pathway, PlaceID: next.PlaceID, Status: next.Status, Version: next.Version}
	ev := Event{ID: uuid.New(), Subject: next.ID.String(), At: next.CreatedAt}
	switch {
	case prev == nil:
		ev.Kind = KindReferralCreated
	case prev.Status != next.Status:
		ev.Kind = KindReferralStatusChanged
		p.From = prev.Status
	default:
		ev.Kind = KindReferralUpdated
	}
	if !next.UpdatedAt.IsZero() && prev != nil {
		ev.At = next.UpdatedAt
	}
	ev.Payload, _ = json.Marshal(p) // a struct of strings and ints always encodes
	if prev == nil || prev.Status == next.Status {
		return ev, nil
	}
	actor := string(referral.ActorSystem)
	if n := len(next.History); n > 0 && next.History[n-1].By != "" {
		actor = string(next.History[n-1].By)
	}
	detail, _ := json.Marshal(map[string]any{"from": prev.Status, "to": next.Status, "version": next.Version})
	return ev, &JournalEntry{At: ev.At, Actor: actor, Action: JournalStatusChange, Subject: next.ID.String(), Detail: detail}
}

// PurgeEntry is the journal entry that records a purge.
func PurgeEntry(req PurgeRequest, rep PurgeReport) JournalEntry {
	actor := req.Actor
	if actor == "" {
		actor = string(referral.ActorSystem)
	}
	at := req.At
	if at.IsZero() {
		at = time.Now()
	}
	detail, _ := json.Marshal(map[string]any{"before": req.Before.UTC().Format(time.RFC3339Nano), "referrals": rep.Referrals, "actions": rep.Actions, "accompaniments": rep.Accompaniments, "events": rep.Events})
	return JournalEntry{At: at, Actor: actor, Action: JournalPurge, Detail: detail}
}

// CheckAppend validates a journal entry before it is appended and fills At.
func CheckAppend(e *JournalEntry, now time.Time) error {
	if e.Action == "" {
		return ErrInvalidf("journal entry: action is empty")
	}
	if len(e.Detail) > 0 && !json.Valid(e.Detail) {
		return ErrInvalidf("journal entry %q: detail is not valid JSON", e.Action)
	}
	if e.At.IsZero() {
		e.At = now
	}
	return nil
}

// LastChange is the time a referral's age counts from, for retention: its
// last status change, or its creation.
func LastChange(r *referral.Referral) time.Time {
	if r.UpdatedAt.After(r.CreatedAt) {
		return r.UpdatedAt
	}
	return r.CreatedAt
}

// CursorOf is the List cursor after a referral: its created_at (RFC 3339,
// nanoseconds, UTC) and id joined by "~". All stores use this form.
func CursorOf(createdAt time.Time, id uuid.UUID) string {
	return createdAt.UTC().Format(time.RFC3339Nano) + "~" + id.String()
}

// ParseCursor reads a cursor written by CursorOf.
func ParseCursor(c string) (time.Time, uuid.UUID, error) {
	ts, ids, ok := strings.Cut(c, "~")
	at, err1 := time.Parse(time.RFC3339Nano, ts)
	id, err2 := uuid.Parse(ids)
	if !ok || err1 != nil || err2 != nil {
		return time.Time{}, uuid.Nil, fmt.Errorf("%w: bad cursor %q", referral.ErrInvalidReferral, c)
	}
	return at, id, nil
}
