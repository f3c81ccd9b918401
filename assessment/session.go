package assessment

import "fmt"

// Session asks an instrument's questions one at a time, as on the phone:
// Next gives the next question, Answer records the reply, and Result is
// available at any point with its completeness.
//
// Skip logic applies: an item is asked only when its show_if holds. An
// adaptive instrument (the triage) also stops asking the items that only
// decide the level once the answers so far make the level certain; the
// items that raise flags (who can help, barriers, ...) are still asked.
//
// A Session is not safe for concurrent use.
type Session struct {
	in  *Instrument
	ans *AnswerSet
}

// NewSession starts a session with no answers.
func NewSession(in *Instrument) *Session {
	return &Session{in: in, ans: in.NewAnswers()}
}

// Instrument is the instrument the session asks.
func (s *Session) Instrument() *Instrument { return s.in }

// Answers are the answers recorded so far. They belong to the session.
func (s *Session) Answers() *AnswerSet { return s.ans }

// Next returns the next question to ask, or false when there is none left.
func (s *Session) Next() (Item, bool) {
	k := s.next()
	if k < 0 {
		return Item{}, false
	}
	return s.in.def.Items[k], true
}

// Done reports whether no question is left.
func (s *Session) Done() bool { return s.next() < 0 }

func (s *Session) next() int {
	var buf [128]bool
	st := newState(s.in, s.ans, buf[:0])
	certain := -1
	for k := range s.in.items {
		if st.eff[k] || !st.shown(k) {
			continue
		}
		if s.in.skippable(k) {
			if certain < 0 {
				certain = 0
				if s.in.levelCertain(&st) {
					certain = 1
				}
			}
			if certain == 1 {
				continue
			}
		}
		return k
	}
	return -1
}

// Answer records v as the answer to item id. The item must be askable now:
// shown by the skip logic and not left out because the level is certain;
// an item already answered may be answered again to correct it. A wrong
// value is an *AnswersError; an item that cannot be asked now wraps
// ErrNotAskable.
func (s *Session) Answer(id string, v Value) error {
	k, ok := s.in.index[id]
	if !ok {
		return fmt.Errorf("%w: unknown item %q", ErrNotAskable, id)
	}
	var buf [128]bool
	st := newState(s.in, s.ans, buf[:0])
	if !st.eff[k] {
		if !st.shown(k) {
			return fmt.Errorf("%w: item %q is skipped by the answers given so far", ErrNotAskable, id)
		}
		if s.in.skippable(k) && s.in.levelCertain(&st) {
			return fmt.Errorf("%w: item %q is no longer needed, the level is already certain", ErrNotAskable, id)
		}
	}
	return s.ans.Set(id, v)
}

// Result scores the answers given so far. Unlike Instrument.Score it
// accepts missing required items: Completeness tells how far the session
// has gone (1 when Next has nothing left to ask).
func (s *Session) Result() Result {
	r := Result{}
	var buf [128]bool
	st := newState(s.in, s.ans, buf[:0])
	s.in.evaluate(&st, &r)
	return r
}
